import { realpathSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { HandlerName } from '../../common/contract';
import type { ErrorData } from '../../common/errors';
import { isInside } from '../../service/paths';
import { pathArguments } from '../common/routes';

/**
 * Which paths a page may name in a call. The renderer is not trusted to name files: a path passes
 * only when the user chose it in this session (a native dialog, a drop on the window, "open
 * with", a file handed to the app on its command line) or it lies in a registered dataset's
 * folder. Links are resolved on both sides, so a link inside a chosen folder cannot lead out.
 */
export class PathGrants {
  private readonly granted = new Set<string>();

  grant(path: string): void {
    this.granted.add(real(path));
  }

  allows(path: string, registeredRoots: readonly string[]): boolean {
    if (!isAbsolute(path)) return false;
    const target = real(path);
    return [...this.granted, ...registeredRoots.map(real)].some((root) => isInside(target, root));
  }
}

/** The real path, or the resolved one where nothing exists yet (the service then says it is missing). */
function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** The refusal for the first path argument of a call that the user did not choose, if any. */
export async function refusedPath(name: HandlerName, args: unknown, grants: PathGrants, registeredRoots: () => Promise<readonly string[]>): Promise<ErrorData | undefined> {
  const given = pathArguments(name)
    .map((key) => (args !== null && typeof args === 'object' ? (args as Record<string, unknown>)[key] : undefined))
    .filter((value): value is string => typeof value === 'string');
  if (given.length === 0) return undefined;
  const roots = await registeredRoots();
  const refused = given.find((path) => !grants.allows(path, roots));
  if (refused === undefined) return undefined;
  return {
    kind: 'invalid_argument',
    message: `${refused}: the desktop app reads only files and folders you choose: use Browse…, the File menu, or drop it on the window (paths inside a registered dataset's folder may be typed)`,
  };
}
