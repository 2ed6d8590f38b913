import { createRequire } from 'node:module';
import { useLz4FrameDecoder } from '../compression/lz4';

/**
 * Registers lz4-napi's native LZ4 frame decoder when its prebuilt binary loads for this platform;
 * otherwise the portable lz4js decoder stays in use.
 */
try {
  const require = createRequire(__filename);
  const native = require('lz4-napi') as { decompressFrameSync(data: Buffer): Buffer };
  useLz4FrameDecoder((frame) => {
    const out = native.decompressFrameSync(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength));
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }, 'lz4-napi');
} catch {
  // no native binary for this platform: lz4js remains
}
