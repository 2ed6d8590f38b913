import type { DatasetDetail, DatasetRow, HandlerArgs, Job } from '../common/contract';
import { WorkbenchError } from '../common/errors';
import { EVENT_FILE_NAMES, isEventFileName } from '../datasets/event-layouts';
import { isFolder } from '../datasets/image-layouts';
import type { ServiceContext } from './context';
import { notFound } from './errors';
import { checkDatasetLinks, resolveRequestPath } from './paths';

/** datasets.*: register a folder (an indexing job), list, show, remove (the files stay). */
export function importDataset(ctx: ServiceContext, args: HandlerArgs<'datasets.import'>): Job {
  const path = resolveRequestPath(args.path, ctx.roots, 'dataset', 'any');
  checkDatasetLinks(path, ctx.roots);
  if (!isFolder(path) && !isEventFileName(path)) throw new WorkbenchError('invalid_argument', `${args.path} is neither a dataset folder nor an event file (${EVENT_FILE_NAMES})`);
  const existing = ctx.store.datasets.byPath(path);
  if (existing !== undefined) throw new WorkbenchError('invalid_argument', `${path} is already registered as dataset ${existing.id} (${existing.name})`);
  const id = ctx.store.jobs.create('dataset-index', { path, ...(args.name ? { name: args.name } : {}), ...(args.layout ? { layout: args.layout } : {}) });
  ctx.dispatch();
  return ctx.store.jobs.get(id)!;
}

export function listDatasets(ctx: ServiceContext): DatasetRow[] {
  return ctx.store.datasets.list();
}

export function showDataset(ctx: ServiceContext, args: HandlerArgs<'datasets.show'>): DatasetDetail {
  return ctx.store.datasets.detail(args.id) ?? notFound('dataset', args.id);
}

export function removeDataset(ctx: ServiceContext, args: HandlerArgs<'datasets.remove'>): { removed: number } {
  if (ctx.store.datasets.get(args.id) === undefined) notFound('dataset', args.id);
  const runs = ctx.store.conversions.usingDataset(args.id);
  if (runs.length > 0) throw new WorkbenchError('invalid_argument', `dataset ${args.id} is used by run${runs.length > 1 ? 's' : ''} ${runs.join(', ')}: remove those first`);
  return { removed: ctx.store.datasets.remove(args.id) };
}
