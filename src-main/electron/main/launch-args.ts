import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * What a launch's command line asks for: files and folders to open ("open with" on Windows and
 * Linux passes them here, also to a second launch, whose argv reaches the first instance) and
 * `--data-dir=DIR`. Electron's own argv starts with the executable, then, when not packaged, the
 * app folder; Chromium switches start with a dash. Paths that do not exist are dropped.
 */
export interface LaunchArgs {
  readonly dataDir: string | undefined;
  readonly paths: readonly string[];
}

export function parseLaunchArgs(argv: readonly string[], cwd: string, packaged: boolean): LaunchArgs {
  const args = argv.slice(packaged ? 1 : 2);
  let dataDir: string | undefined;
  const paths: string[] = [];
  for (const arg of args) {
    if (arg.startsWith('--data-dir=')) dataDir = resolve(cwd, arg.slice('--data-dir='.length));
    else if (!arg.startsWith('-') && existsSync(resolve(cwd, arg))) paths.push(resolve(cwd, arg));
  }
  return { dataDir, paths };
}
