import { gunzipSync } from 'fflate';
import { invalidData } from '../../common/errors';

/** RFC 1952 member header: ID1 = 0x1f, ID2 = 0x8b. */
function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Inflates a gzip stream, or returns the bytes unchanged when they are not gzip. */
export function maybeGunzip(bytes: Uint8Array, source: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw invalidData(`${source}: gzip data is corrupt or truncated (${(error as Error).message})`);
  }
}
