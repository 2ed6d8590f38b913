import { setTimeout as sleep } from 'node:timers/promises';
import type { HandlerInput, HandlerName, HandlerOutput, Job } from '../common/contract';
import { WorkbenchError } from '../common/errors';
import { WorkbenchService } from '../service/service';
import { defaultDataDir } from '../store/data-dir';
import { invalidArgument } from '../common/errors';
import type { OptionKind, Options } from './args';

/** The CLI as a transport of the contract: a service on the data directory, called in-process. */
export const SERVICE_OPTIONS: Record<string, OptionKind> = { 'data-dir': 'string', json: 'flag' };

export const SERVICE_USAGE = `  --data-dir DIR             the workbench data directory (default: TPPW_DATA_DIR, else the platform's
                             app-data folder)
  --json                     print the answer as JSON`;

export class ServiceClient {
  private constructor(
    private readonly service: WorkbenchService,
    readonly dataDir: string,
  ) {}

  static open(o: Options): ServiceClient {
    const dataDir = o.string('data-dir') ?? defaultDataDir();
    return new ServiceClient(new WorkbenchService({ dataDir }), dataDir);
  }

  call<K extends HandlerName>(name: K, args: HandlerInput<K>): Promise<HandlerOutput<K>> {
    return this.service.call(name, args);
  }

  close(): void {
    this.service.close();
  }

  /** Follows a job until it ends, with a live progress bar on stderr; returns the final job. */
  async follow(jobId: number, stream: NodeJS.WriteStream = process.stderr): Promise<Job> {
    const bar = progressBar(stream);
    try {
      for (;;) {
        const job = await this.call('jobs.show', { id: jobId });
        if (job.status !== 'queued' && job.status !== 'running') return job;
        bar.show(job);
        await sleep(250);
      }
    } finally {
      bar.clear();
    }
  }
}

/** The job's outcome as the CLI's exit: succeeded passes, anything else is the job's error. */
export function settle(job: Job): Job {
  if (job.status === 'succeeded') return job;
  if (job.error !== null) throw WorkbenchError.fromData(job.error);
  throw new WorkbenchError(job.status === 'cancelled' ? 'cancelled' : 'io', `job ${job.id} ended ${job.status}${job.status === 'interrupted' ? ' (its worker died; resume it)' : ''}`);
}

export function positionalId(positionals: readonly string[], command: string): number {
  if (positionals.length !== 1) throw invalidArgument(`${command}: expects one ID, got ${positionals.length} arguments`);
  const id = Number(positionals[0]);
  if (!Number.isInteger(id) || id <= 0) throw invalidArgument(`${command}: '${positionals[0]}' is not an ID (a positive integer)`);
  return id;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** `[##########----------]  48%  simulate 3456/7200  eta 12 s`, rewritten in place on a terminal. */
function progressBar(stream: NodeJS.WriteStream): { show(job: Job): void; clear(): void } {
  const tty = stream.isTTY === true;
  let last = 0;
  let wrote = false;
  return {
    show(job: Job): void {
      const now = Date.now();
      if (!tty && now - last < 3000) return;
      last = now;
      const p = job.progress;
      const share = p && p.total > 0 ? Math.min(1, p.current / p.total) : 0;
      const filled = Math.round(share * 24);
      const eta = p?.etaMs != null ? `  eta ${Math.ceil(p.etaMs / 1000)} s` : '';
      const what = p ? `${p.step} ${fmtCount(p.current)}/${fmtCount(p.total)}` : job.status;
      const line = `job ${job.id} [${'#'.repeat(filled)}${'-'.repeat(24 - filled)}] ${(100 * share).toFixed(0).padStart(3)}%  ${what}${eta}`;
      stream.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
      wrote = true;
    },
    clear(): void {
      if (tty && wrote) stream.write('\r\x1b[2K');
    },
  };
}

function fmtCount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
