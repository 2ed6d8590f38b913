import { existsSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
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

/**
 * With registered roots, the symbolic links inside a dataset (its folder, to the depth layouts
 * read) must lead inside a root too, for image and event layouts alike: a link is followed only
 * there, so a folder inside a root cannot serve the pixels or events of files outside it. A
 * dataset that is one file is its own target. Answers the first link that leads out, as an error.
 */
export function checkDatasetLinks(path: string, roots: readonly string[] | undefined, depth = 4): void {
  if (roots === undefined) return;
  const realRoots = roots.filter((r) => existsSync(r)).map((r) => realpathSync(r));
  const refuse = (link: string, target: string): never => {
    throw new WorkbenchError('invalid_argument', `dataset ${path}: ${link} is a symbolic link to ${target}, outside the folders this server may read (${roots.join(', ')}); start tppw serve with --root for it`);
  };
  const visit = (folder: string, left: number): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of entries) {
      const full = join(folder, d.name);
      if (d.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(full);
        } catch {
          continue; // dangling: no layout reads it
        }
        if (!realRoots.some((root) => isInside(target, root))) refuse(full, target);
      } else if (d.isDirectory() && left > 0) visit(full, left - 1);
    }
  };
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    throw fileError(error, path, 'dataset');
  }
  if (!realRoots.some((root) => isInside(real, root))) refuse(path, real);
  if (statSync(real).isDirectory()) visit(path, depth);
}
