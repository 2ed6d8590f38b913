import { availableParallelism } from 'node:os';
import {
  handlerSchemas,
  type EventMessage,
  type HandlerArgs,
  type HandlerName,
  type HandlerOutput,
  type SystemInfo,
} from '../common/contract';
import type { ArtifactInfo } from '../common/report/kinds';
import { WorkbenchError } from '../common/errors';
import { WORKBENCH_VERSION } from '../common/version';
import { defaultConcurrency, dispatchJobs, recoverJobs } from '../jobs/scheduler';
import { startJobWorker } from '../jobs/spawn-worker';
import { asStoreError } from '../store/database';
import { openStore, type Store } from '../store/store';
import type { ServiceContext } from './context';
import { importDataset, listDatasets, removeDataset, showDataset } from './datasets';
import { listSamples, sampleEvents, sampleFrames, sampleImages } from './samples';
import { importModel, listModels, removeModel, showModel } from './models';
import { cancelRun, jobLogs, listJobs, listRuns, poolingCost, resumeRun, showJob, showRun, startRun } from './runs';
import { artifactFile, exportNetwork, reportRuns, showArtifact } from './exports';
import { JobWatcher } from './watcher';

/**
 * The workbench service: the contract's handlers on the store and the job workers. Every call
 * is validated against the contract's zod schema first, and every failure leaves as a
 * WorkbenchError with a kind. The CLI, the HTTP bridge and the Electron preload all call `call`.
 */
export interface ServiceOptions {
  readonly dataDir: string;
  /** Folders that request paths must lie in (HTTP bridge); undefined: any path (local CLI). */
  readonly roots?: readonly string[];
  /** Jobs running at once across all processes (default TPPW_MAX_JOBS, else one per core). */
  readonly concurrency?: number;
  /** How a job worker is started (default: a detached Node process; the Electron app will use its own). */
  readonly startWorker?: (dataDir: string, limit: number) => number;
  readonly version?: string;
}

export { WORKBENCH_VERSION } from '../common/version';

type Implementations = { [K in HandlerName]: (ctx: ServiceContext, args: HandlerArgs<K>) => HandlerOutput<K> | Promise<HandlerOutput<K>> };

const HANDLERS: Implementations = {
  'datasets.import': importDataset,
  'datasets.list': listDatasets,
  'datasets.show': showDataset,
  'datasets.remove': removeDataset,
  'datasets.samples': listSamples,
  'datasets.events': sampleEvents,
  'datasets.frames': sampleFrames,
  'datasets.images': sampleImages,
  'models.import': importModel,
  'models.list': listModels,
  'models.show': showModel,
  'models.remove': removeModel,
  'runs.start': startRun,
  'runs.poolingCost': poolingCost,
  'runs.list': listRuns,
  'runs.show': showRun,
  'runs.cancel': cancelRun,
  'runs.resume': resumeRun,
  'runs.report': reportRuns,
  'runs.export': exportNetwork,
  'artifacts.show': showArtifact,
  'jobs.list': listJobs,
  'jobs.show': showJob,
  'jobs.logs': jobLogs,
  'system.info': (ctx) => systemInfo(ctx),
};

function systemInfo(ctx: ServiceContext): SystemInfo {
  return { dataDir: ctx.store.dir.root, schemaVersion: ctx.store.schemaVersion, version: ctx.version, node: process.version, cores: availableParallelism() };
}

export class WorkbenchService {
  readonly store: Store;
  private readonly context: ServiceContext;
  private readonly listeners = new Set<(message: EventMessage) => void>();
  private watcher: { timer: NodeJS.Timeout; watcher: JobWatcher } | undefined;

  constructor(options: ServiceOptions) {
    this.store = openStore(options.dataDir);
    const limit = options.concurrency ?? defaultConcurrency();
    const start = options.startWorker ?? startJobWorker;
    this.context = { store: this.store, roots: options.roots, version: options.version ?? WORKBENCH_VERSION, dispatch: () => void dispatchJobs(this.store, limit, start) };
    // Jobs whose worker died (crash, kill, power loss) become resumable; queued ones get workers.
    recoverJobs(this.store);
    this.context.dispatch();
  }

  static isHandler(name: string): name is HandlerName {
    return Object.hasOwn(handlerSchemas, name);
  }

  async call<K extends HandlerName>(name: K, args: unknown): Promise<HandlerOutput<K>> {
    if (!WorkbenchService.isHandler(name)) throw new WorkbenchError('not_found', `there is no handler '${String(name)}'`);
    const parsed = handlerSchemas[name].safeParse(args ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length > 0 ? issue.path.join('.') : 'arguments';
      throw new WorkbenchError('invalid_argument', `${name}: ${where}: ${issue.message}`);
    }
    const handler = HANDLERS[name] as (ctx: ServiceContext, args: unknown) => HandlerOutput<K> | Promise<HandlerOutput<K>>;
    try {
      // A job whose worker died a moment ago is answered as interrupted, whatever the handler.
      this.settleDeadWorkers();
      return await handler(this.context, parsed.data);
    } catch (error) {
      throw asStoreError(error, this.store.dir.database);
    }
  }

  /** An artifact's file on disk, for transports that hand out bytes (the bridge's download route). */
  artifactFile(id: number): { info: ArtifactInfo; path: string } {
    return artifactFile(this.context, id);
  }

  /** Subscribes to the Events map; events flow while anyone listens. Returns the unsubscribe. */
  on(listener: (message: EventMessage) => void, pollMs = 200): () => void {
    this.listeners.add(listener);
    if (this.watcher === undefined) {
      const watcher = new JobWatcher(this.store, (m) => this.listeners.forEach((l) => l(m)));
      let ticks = 0;
      const timer = setInterval(() => {
        // Jobs whose worker died are settled before the poll, so their end is seen at once; every
        // few seconds, workers are started for queued ones all the same.
        if (!this.settleDeadWorkers() && ++ticks % 10 === 0) this.context.dispatch();
        watcher.poll();
      }, pollMs);
      timer.unref();
      this.watcher = { timer, watcher };
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.watcher !== undefined) {
        clearInterval(this.watcher.timer);
        this.watcher = undefined;
      }
    };
  }

  /** Marks jobs whose worker has died interrupted and starts workers for the slots they held. */
  private settleDeadWorkers(): boolean {
    if (recoverJobs(this.store).length === 0) return false;
    this.context.dispatch();
    return true;
  }

  close(): void {
    if (this.watcher !== undefined) clearInterval(this.watcher.timer);
    this.listeners.clear();
    this.store.close();
  }
}
