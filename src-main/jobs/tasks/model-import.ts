import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { summarizeModel } from '../../common/ir/summary';
import { encodeModel } from '../../formats/model/tppw-model';
import { writeBytesAtomic } from '../../formats/node/files';
import { loadModelFile } from '../../formats/node/load-model';
import type { JobContext } from '../job-context';

/**
 * Imports a model file: parses it into the graph IR, keeps the IR as a `.tppw` copy under
 * `artifacts/models/` named by its SHA-256 (so a run stays reproducible after the source moves,
 * and importing the same model twice stores one copy), and records its summary.
 */
export interface ModelImportParams {
  readonly path: string;
  /** The weights file of a Keras architecture JSON `path`. */
  readonly weights?: string;
  readonly name?: string;
}

export async function modelImportTask(context: JobContext, raw: unknown): Promise<void> {
  const params = raw as ModelImportParams;
  const { store } = context;
  context.progress('parse', 0, 1);
  const model = await loadModelFile(params.path, { weights: params.weights });
  context.checkCancelled();
  const bytes = encodeModel(model);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const artifact = join('artifacts', 'models', `${sha256}.tppw`);
  if (!existsSync(join(store.dir.root, artifact))) writeBytesAtomic(join(store.dir.root, artifact), bytes, 'model copy');
  const summary = summarizeModel(model.graph, model.snn);
  const modelId = store.db.transaction(() => {
    const id = store.models.insert({ name: params.name ?? basename(params.path), sourcePath: params.path, format: model.format, sha256, artifact, summary });
    store.artifacts.add({ kind: 'model', path: artifact, sha256, bytes: bytes.length, owner: `model:${id}` });
    return id;
  })();
  store.jobs.setResult(context.jobId, { modelId });
  context.progress('parse', 1, 1);
  for (const w of summary.warnings) context.log('warn', w);
  context.log('info', `imported ${params.path}${params.weights ? ` with weights ${params.weights}` : ''} (${model.format}, ${summary.totals.params} parameters, ${summary.totals.macs} MACs) as model ${modelId}`);
}
