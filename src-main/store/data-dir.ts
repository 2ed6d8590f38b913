import { accessSync, constants, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileError } from '../formats/node/files';

/**
 * The data directory: `workbench.sqlite` (WAL) and `artifacts/`. Default: the platform's
 * application-data folder (XDG on Linux, Application Support on macOS, %APPDATA% on Windows);
 * `--data-dir` or TPPW_DATA_DIR overrides it.
 */
export interface DataDir {
  readonly root: string;
  readonly database: string;
  readonly artifacts: string;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env['TPPW_DATA_DIR']) return env['TPPW_DATA_DIR'];
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'TPP Workbench');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'TPP Workbench');
  return join(env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'tpp-workbench');
}

/** Creates the folders when missing and checks they are writable; one clear error otherwise. */
export function openDataDir(root: string): DataDir {
  const dir = { root, database: join(root, 'workbench.sqlite'), artifacts: join(root, 'artifacts') };
  try {
    mkdirSync(dir.artifacts, { recursive: true });
    accessSync(root, constants.W_OK);
  } catch (error) {
    throw fileError(error, root, 'data directory');
  }
  return dir;
}
