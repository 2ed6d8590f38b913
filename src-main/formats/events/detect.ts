import { unsupported } from '../../common/errors';
import { isMat, isMat73 } from '../arrays/mat5';
import type { EventFormat } from './types';

/**
 * Which event format a file holds, from its first bytes (magic strings, header keys); the file
 * name's extension only settles what content cannot (N-MNIST `.bin` has no header at all).
 */
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

function startsWith(head: Uint8Array, text: string | readonly number[]): boolean {
  const bytes = typeof text === 'string' ? Array.from(text, (c) => c.charCodeAt(0)) : text;
  return bytes.every((b, i) => head[i] === b);
}

export function detectEventFormat(head: Uint8Array, name: string): EventFormat {
  if (startsWith(head, '#!AER-DAT1')) return 'aedat1';
  if (startsWith(head, '#!AER-DAT2')) return 'aedat2';
  if (startsWith(head, '#!AER-DAT3')) return 'aedat3.1';
  if (startsWith(head, '#!AER-DAT4')) return 'aedat4';
  if (startsWith(head, NPY_MAGIC)) return 'npy';
  if (startsWith(head, HDF5_SIGNATURE)) return 'hdf5';
  if (startsWith(head, 'Event Stream')) return 'es';
  // MATLAB v7.3 files are HDF5 behind a 512-byte user block
  if (isMat(head)) return isMat73(head) ? 'hdf5' : 'mat';
  const ext = name.toLowerCase().split('.').pop() ?? '';
  if (ext === 'csv' || ext === 'txt') return 'csv';
  // jAER's AEDAT 1.0 files may carry '#' comment lines and no version line
  if (head[0] === 0x23 && (ext === 'aedat' || ext === 'aedat1')) return 'aedat1';
  if (head[0] === 0x25 /* % */) {
    const text = new TextDecoder('latin1').decode(head.subarray(0, Math.min(head.length, 4096))).toLowerCase();
    if (/%\s*evt\s*3|format\s+evt3/.test(text)) return 'evt3';
    if (/%\s*evt\s*2\.1|format\s+evt21/.test(text)) return 'evt2.1';
    if (/%\s*evt\s*2|format\s+evt2/.test(text)) return 'evt2';
    if (/data file containing|%\s*version\s+\d/.test(text) || ext === 'dat') return 'dat';
    if (ext === 'raw') throw unsupported(`${name}: a Prophesee RAW file whose header names no event format this build reads (EVT 2.0, 2.1, 3.0)`);
  }
  if (ext === 'bin' || ext === 'bs2') return 'nmnist-bin';
  if (ext === 'dat') return 'dat';
  throw unsupported(`${name}: not an event file this build recognises (AEDAT 1/2/3.1/4, Prophesee RAW EVT 2.0/2.1/3.0 and DAT, N-MNIST .bin, Event Stream .es, CSV/TXT, MATLAB .mat, NumPy, HDF5)`);
}
