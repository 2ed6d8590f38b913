import { Worker, parentPort } from 'node:worker_threads';
import { WorkbenchError, toErrorData, type ErrorData } from '../../common/errors';

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

/** What a one-shot worker posts back: its value, or the error it met (see `postOutcome`). */
export type WorkerReply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorData };

/** Worker side of `awaitReply`: posts the value a promise settles to, or its error as data. */
export function postOutcome<T>(work: Promise<T>): void {
  work.then(
    (value) => parentPort!.postMessage({ ok: true, value } satisfies WorkerReply<T>),
    (error: unknown) => parentPort!.postMessage({ ok: false, error: toErrorData(error) } satisfies WorkerReply<T>),
  );
}

/** How a one-shot worker's failures read to the user: it ran out of time, threw, or stopped. */
export interface WorkerFailures {
  readonly timeout: () => Error;
  readonly error: (error: Error) => Error;
  readonly exit: (code: number) => Error;
}

/**
 * The one reply of a worker that does one job: its value, or the error it posted; the worker is
 * stopped after `limitMs`, and a thread error or an exit before replying is an error too. The
 * worker is terminated once the reply (or the failure) is in.
 */
export function awaitReply<T>(worker: Worker, limitMs: number, failures: WorkerFailures): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      f();
    };
    const timer = setTimeout(() => finish(() => reject(failures.timeout())), limitMs);
    worker.on('message', (m: WorkerReply<T>) => finish(() => (m.ok ? resolve(m.value) : reject(WorkbenchError.fromData(m.error)))));
    worker.on('error', (error) => finish(() => reject(failures.error(error))));
    worker.on('exit', (code) => finish(() => reject(failures.exit(code))));
  });
}
