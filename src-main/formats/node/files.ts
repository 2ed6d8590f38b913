import { accessSync, constants, existsSync, readFileSync, statSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { WorkbenchError } from '../../common/errors';

/** File access with one clear error per failure: what, which path, why. */

export function readBytes(path: string, what = 'file'): Uint8Array {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new WorkbenchError('invalid_argument', `${what} ${path} is a directory, not a file`);
    const buffer = readFileSync(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    throw fileError(error, path, what);
  }
}

/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
export function writeBytesAtomic(path: string, bytes: Uint8Array | string, what = 'file'): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (error) {
    throw fileError(error, path, what);
  }
}

/**
 * Checks, before any work starts, that `path` can be written as a file the way
 * `writeBytesAtomic` writes it: not a folder, and its nearest existing parent a writable folder
 * (missing folders are created then). A long run is never lost to a bad output path.
 */
export function checkWritableFile(path: string, what = 'output file'): void {
  const target = resolve(path);
  try {
    if (existsSync(target)) {
      if (statSync(target).isDirectory()) throw new WorkbenchError('invalid_argument', `${what} ${path} is a directory, not a file`);
      accessSync(target, constants.W_OK);
    }
    let parent = dirname(target);
    while (!existsSync(parent)) parent = dirname(parent);
    if (!statSync(parent).isDirectory()) throw new WorkbenchError('invalid_argument', `${what} ${path}: ${parent} is a file, not a folder`);
    accessSync(parent, constants.W_OK);
  } catch (error) {
    throw fileError(error, path, what);
  }
}

export function fileError(error: unknown, path: string, what: string): WorkbenchError {
  if (error instanceof WorkbenchError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new WorkbenchError('not_found', `${what} ${path} does not exist`);
    case 'EACCES':
    case 'EPERM':
      return new WorkbenchError('io', `${what} ${path}: permission denied`);
    case 'ENOSPC':
      return new WorkbenchError('io', `${what} ${path}: the disk is full`);
    case 'EROFS':
      return new WorkbenchError('io', `${what} ${path}: the file system is read-only`);
    case 'EISDIR':
      return new WorkbenchError('invalid_argument', `${what} ${path} is a directory, not a file`);
    default:
      return new WorkbenchError('io', `${what} ${path}: ${(error as Error).message}`);
  }
}
