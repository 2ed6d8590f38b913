import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

/**
 * Folder entries as what they point at: a symbolic link to a folder counts as a folder and one to a
 * file as a file (datasets are often assembled from links into a shared copy); a dangling link is
 * neither. Layouts read fixed depths, never recursively, so link cycles cannot recurse.
 */
export function entryKind(parent: string, d: Dirent): 'dir' | 'file' | undefined {
  if (!d.isSymbolicLink()) return d.isDirectory() ? 'dir' : d.isFile() ? 'file' : undefined;
  try {
    const target = statSync(join(parent, d.name));
    return target.isDirectory() ? 'dir' : target.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/** Names of the subfolders (links to folders included), sorted. */
export function subfolders(path: string): string[] {
  return readdirSync(path, { withFileTypes: true }).filter((d) => entryKind(path, d) === 'dir').map((d) => d.name).sort();
}

/** Names of the files (links to files included) that `keep` accepts, sorted. */
export function filesIn(path: string, keep: (name: string) => boolean): string[] {
  return readdirSync(path, { withFileTypes: true }).filter((d) => entryKind(path, d) === 'file' && keep(d.name)).map((d) => d.name).sort();
}
