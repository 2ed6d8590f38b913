import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './fixtures';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `tppw` entry point in a child process, as a user would. */
export function tppw(args: readonly string[], env: Record<string, string> = {}): CliRun {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src-main', 'cli', 'main.ts'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 600_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without waiting: for several CLI processes at once. */
export function tppwAsync(args: readonly string[], env: Record<string, string> = {}, options: { uid?: number; gid?: number } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src-main', 'cli', 'main.ts'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      ...options,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
