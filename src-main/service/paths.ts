import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { WorkbenchError } from '../common/errors';
import { checkWritableFile, fileError } from '../formats/node/files';

/**
 * Paths that arrive in requests. With registered roots (the HTTP bridge), a path must resolve —
 * symbolic links followed — to a place inside one of them; relative paths are taken from the
 * first root. Without roots (the local CLI user), any existing path is accepted.
 */
export function resolveRequestPath(path: string, roots: readonly string[] | undefined, what: string, want: 'file' | 'folder' | 'any'): string {
  const absolute = resolve(roots?.[0] ?? process.cwd(), path);
  const outside = (): WorkbenchError =>
    new WorkbenchError('invalid_argument', `${what} ${path} is outside the folders this server may read (${roots!.join(', ')}); start tppw serve with --root for it`);
  // Outside the roots is refused before the file system is asked, so requests cannot probe it.
  if (roots !== undefined && !roots.some((root) => isInside(absolute, resolve(root)))) throw outside();
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch (error) {
    throw fileError(error, path, what);
  }
  if (roots !== undefined && !roots.some((root) => isInside(real, realpathSync(root)))) throw outside();
  const isFolder = statSync(real).isDirectory();
  if (want === 'folder' && !isFolder) throw new WorkbenchError('invalid_argument', `${what} ${path} is not a folder`);
  if (want === 'file' && isFolder) throw new WorkbenchError('invalid_argument', `${what} ${path} is a folder, not a file`);
  return real;
}

/**
 * A file a request asks the service to write (an export's `out`). Checked before any work: it must
 * be writable (not a folder, its nearest existing parent a writable folder) and, with registered
 * roots, lie inside one of them — the nearest existing parent resolved through symbolic links.
 */
export function resolveOutputPath(path: string, roots: readonly string[] | undefined, what: string): string {
  const absolute = resolve(roots?.[0] ?? process.cwd(), path);
  if (roots !== undefined) {
    const outside = (): WorkbenchError => new WorkbenchError('invalid_argument', `${what} ${path} is outside the folders this server may write (${roots.join(', ')})`);
    if (!roots.some((root) => isInside(absolute, resolve(root)))) throw outside();
    let parent = dirname(absolute);
    while (!existsSync(parent)) parent = dirname(parent);
    const real = realpathSync(parent);
    if (!roots.some((root) => existsSync(root) && isInside(real, realpathSync(root)))) throw outside();
  }
  checkWritableFile(absolute, what);
  return absolute;
}

/** Whether `path` is `root` or lies below it (both already resolved). */
export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
