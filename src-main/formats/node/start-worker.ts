import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread from a module next to the caller, whether the workbench runs from its
 * TypeScript sources (tsx, vitest: the worker registers tsx's loader first) or from a build.
 */
export function startWorker(fileWithoutExtension: string, fromFile: string, workerData: unknown, options: { quiet?: boolean } = {}): Worker {
  // quiet: the worker's stdout and stderr are drained and dropped instead of reaching ours (native
  // libraries compiled to wasm print diagnostics there, which would corrupt --json output).
  const io = options.quiet ? { stdout: true, stderr: true } : {};
  const worker = fromFile.endsWith('.ts')
    ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(`${fileWithoutExtension}.ts`)});`, { eval: true, workerData, ...io })
    : new Worker(`${fileWithoutExtension}.js`, { workerData, ...io });
  if (options.quiet) {
    worker.stdout.resume();
    worker.stderr.resume();
  }
  return worker;
}
