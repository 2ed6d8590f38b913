import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Starts a detached job worker process on a data directory, from the TypeScript sources (tsx's
 * require hook) or from a build. Its stdout and stderr go to `logs/workers.log` in the data
 * directory, so a crash leaves a trace without tying the worker to the caller's terminal.
 */
export function startJobWorker(dataDir: string, limit: number): number {
  const fromSource = __filename.endsWith('.ts');
  const entry = join(__dirname, fromSource ? 'worker-main.ts' : 'worker-main.js');
  const args = [...(fromSource ? ['--require', require.resolve('tsx/cjs')] : []), entry, dataDir, String(limit)];
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  const log = openSync(join(dataDir, 'logs', 'workers.log'), 'a');
  try {
    const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log], windowsHide: true });
    child.unref();
    return child.pid ?? -1;
  } finally {
    closeSync(log);
  }
}
