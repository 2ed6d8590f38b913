import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { HandlerArgs, Job, ModelDetail, ModelRow } from '../common/contract';
import { WorkbenchError } from '../common/errors';
import type { ServiceContext } from './context';
import { notFound } from './errors';
import { resolveRequestPath } from './paths';

/** models.*: import a model file (a job), list, show the IR summary, remove (with its copy). */
export function importModel(ctx: ServiceContext, args: HandlerArgs<'models.import'>): Job {
  const path = resolveRequestPath(args.path, ctx.roots, 'model file', 'file');
  // The weights file is read too, so it passes the same root policy as the model file.
  const weights = args.weights === undefined ? undefined : resolveRequestPath(args.weights, ctx.roots, 'weights file', 'file');
  const id = ctx.store.jobs.create('model-import', { path, ...(weights ? { weights } : {}), ...(args.name ? { name: args.name } : {}) });
  ctx.dispatch();
  return ctx.store.jobs.get(id)!;
}

export function listModels(ctx: ServiceContext): ModelRow[] {
  return ctx.store.models.list();
}

export function showModel(ctx: ServiceContext, args: HandlerArgs<'models.show'>): ModelDetail {
  const { artifact: _artifact, ...detail } = ctx.store.models.get(args.id) ?? notFound('model', args.id);
  return detail;
}

export function removeModel(ctx: ServiceContext, args: HandlerArgs<'models.remove'>): { removed: number } {
  const { store } = ctx;
  const model = store.models.get(args.id) ?? notFound('model', args.id);
  const runs = store.conversions.usingModel(args.id);
  if (runs.length > 0) throw new WorkbenchError('invalid_argument', `model ${args.id} is used by run${runs.length > 1 ? 's' : ''} ${runs.join(', ')}: remove those first`);
  const removed = store.db.transaction(() => {
    store.artifacts.removeOwner(`model:${args.id}`);
    return store.models.remove(args.id);
  })();
  // The content-addressed copy goes when no other model shares it.
  if (store.artifacts.references(model.artifact) === 0) rmSync(join(store.dir.root, model.artifact), { force: true });
  return { removed };
}
