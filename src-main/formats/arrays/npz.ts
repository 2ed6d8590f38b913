import { unzipSync } from 'fflate';
import { invalidData } from '../../common/errors';

/** NumPy `.npz`: a zip archive (stored or deflated) of `.npy` members named after the arrays. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Member bytes by array name (the `.npy` suffix removed). */
export function unpackNpz(bytes: Uint8Array, source: string): Map<string, Uint8Array> {
  if (!isZip(bytes)) throw invalidData(`${source}: not an .npz file (no zip local-file signature PK\\x03\\x04)`);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw invalidData(`${source}: the zip archive is corrupt or truncated (${(error as Error).message})`);
  }
  const out = new Map<string, Uint8Array>();
  for (const [name, data] of Object.entries(files)) out.set(name.replace(/\.npy$/, ''), data);
  return out;
}
