import type { EventMessage, Job } from '../../common/contract';
import { pathKind, type PathKind } from '../../formats/node/path-kind';
import type { PathGrants } from './path-grants';
import type { ServiceClient } from './service-client';

/**
 * Files and folders handed to the app outside the renderer: picked from the File menu, dropped on
 * the window, opened with the app (macOS open-file, the command line of this or a second launch).
 * Each is granted, imported as a dataset or a model (as the menu item says, or by content), and
 * the window shows the list it lands in. Failures, of the call or of the import job later, are
 * reported, since no form in the renderer is waiting for them.
 */
export interface OpenerDeps {
  readonly service: Pick<ServiceClient, 'call'>;
  readonly grants: PathGrants;
  navigate(hash: string): void;
  report(title: string, message: string): void;
}

export class PathOpener {
  /** Import jobs started here, by job id: what to name if one fails. */
  private readonly started = new Map<number, string>();

  constructor(private readonly deps: OpenerDeps) {}

  async open(paths: readonly string[], as?: PathKind['kind']): Promise<void> {
    for (const path of paths) await this.openOne(path, as);
  }

  /** Watches the service's events for the end of the imports started here. */
  onEvent(message: EventMessage): void {
    if (message.event !== 'job.finished') return;
    const what = this.started.get(message.data.jobId);
    if (what === undefined) return;
    this.started.delete(message.data.jobId);
    if (message.data.status === 'failed') this.deps.report(`Importing ${what} failed`, message.data.error?.message ?? 'the import job failed');
  }

  private async openOne(path: string, as: PathKind['kind'] | undefined): Promise<void> {
    this.deps.grants.grant(path);
    let target: PathKind | undefined;
    try {
      target = as === undefined ? pathKind(path) : { kind: as, path };
    } catch (error) {
      return this.deps.report(`Cannot open ${path}`, (error as Error).message);
    }
    if (target === undefined) {
      return this.deps.report(`Cannot open ${path}`, 'it is neither a dataset (a folder or an event recording) nor a model file (ONNX, Keras, TensorFlow.js, .tppw) that the workbench recognises');
    }
    this.deps.grants.grant(target.path);
    const result = await this.deps.service.call(target.kind === 'dataset' ? 'datasets.import' : 'models.import', { path: target.path });
    if ('error' in result) return this.deps.report(`Cannot import ${target.path}`, result.error.message);
    this.started.set((result.data as Job).id, target.path);
    this.deps.navigate(target.kind === 'dataset' ? '#/datasets' : '#/models');
  }
}
