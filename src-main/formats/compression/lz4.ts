import { decompress as lz4jsDecompress } from 'lz4js';

/**
 * LZ4 frame decompression (the LZ4 Frame Format, lz4/doc/lz4_Frame_format.md). The portable
 * implementation is lz4js (plain JavaScript, any runtime); Node registers lz4-napi's native
 * decoder (lz4_flex), about four times faster, through `useLz4FrameDecoder` (formats/node/fast-lz4).
 */
type FrameDecoder = (frame: Uint8Array) => Uint8Array;

let decoder: FrameDecoder = (frame) => lz4jsDecompress(frame);
let name = 'lz4js';

export function useLz4FrameDecoder(next: FrameDecoder, label: string): void {
  decoder = next;
  name = label;
}

export function decompressLz4Frame(frame: Uint8Array): Uint8Array {
  return decoder(frame);
}

export function lz4DecoderName(): string {
  return name;
}
