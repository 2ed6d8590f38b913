import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { RunStart } from '../../common/contract';
import { WorkbenchError } from '../../common/errors';
import type { Graph } from '../../common/ir/types';
import type { DatasetRow } from '../../common/contract';
import { openEvaluationData, type DatasetSource } from '../../datasets/evaluation-data';
import type { ImageLayout } from '../../datasets/image-layouts';
import { firstIndices, type InputTransform } from '../../datasets/image-set';
import { seededSubset } from '../../datasets/subsets';
import { initBackend } from '../../engine/backend/select';
import { runExperiment } from '../../engine/experiment/run-experiment';
import { decodeModel } from '../../formats/model/tppw-model';
import { readBytes } from '../../formats/node/files';
import type { Store } from '../../store/store';
import type { JobContext } from '../job-context';

/**
 * A conversion study over a registered model and dataset. Every finished (method, T, seed) unit
 * is stored at once; a resumed run (same job, same conversion) simulates only the units that
 * are not stored yet and assembles the same result as an uninterrupted run with the same seeds.
 */
export async function runTask(context: JobContext, raw: unknown): Promise<void> {
  const params = raw as RunStart;
  const { store } = context;
  const conversionId = store.conversions.byJob(context.jobId);
  if (conversionId === undefined) throw new WorkbenchError('internal', `job ${context.jobId} has no conversion record`);
  const modelRow = store.models.get(params.modelId);
  if (modelRow === undefined) throw new WorkbenchError('not_found', `model ${params.modelId} no longer exists`);
  const dataset = store.datasets.get(params.datasetId);
  if (dataset === undefined) throw new WorkbenchError('not_found', `dataset ${params.datasetId} no longer exists`);
  const artifact = join(store.dir.root, modelRow.artifact);
  const { graph } = decodeModel(readBytes(artifact, 'stored model copy'), artifact);

  const warnings: string[] = [];
  const transform = params.transform ?? graph.preprocessing;
  if (transform === undefined) warnings.push('the model does not record its input scaling and none was given: using x·1 + 0');
  const source = datasetSource(store, dataset, params, transform ?? { scale: 1, offset: 0 });
  const opened = openEvaluationData(source, { limit: params.limit, calibration: params.calibration, ...(params.split ? { split: params.split } : {}) });
  warnings.push(...opened.warnings);
  const { data } = opened;
  const backend = await initBackend('auto');
  context.checkCancelled();
  const alreadyStored = store.conversions.unitsDone(conversionId);
  if (alreadyStored > 0) context.log('info', `resuming: ${alreadyStored} units already stored are not simulated again`);

  const result = await runExperiment({
    ...params.study,
    graph: withName(graph, modelRow.name),
    data,
    indices: params.sampleSeed === undefined ? firstIndices(data, params.limit) : seededSubset(data.count, params.limit, params.sampleSeed),
    calibration: opened.calibration,
    backend: backend.name,
    input: params.input,
    workers: backend.name === 'tensorflow' ? 1 : availableParallelism(),
    isolate: true,
    signal: context.signal,
    stored: (unit) => store.conversions.storedOutcome(conversionId, unit),
    onUnit: (outcome) => {
      store.conversions.storeUnit(conversionId, outcome);
      context.checkCancelled();
    },
    onProgress: (p) => {
      context.checkCancelled();
      context.progress(p.step, p.current, p.total);
    },
  });
  const full = { ...result, warnings: [...warnings, ...result.warnings] };
  store.conversions.setSummary(conversionId, full);
  store.jobs.setResult(context.jobId, { conversionId });
  for (const w of full.warnings) context.log('warn', w);
  context.log('info', `run finished: ${full.results.length} (method, T) results on ${full.samples} samples in ${(full.wallMs / 1000).toFixed(1)} s`);
}

function withName(graph: Graph, name: string): Graph {
  return graph.name ? graph : { ...graph, name };
}

/** Opens a registered dataset from its stored index (event datasets are not scanned again). */
function datasetSource(store: Store, dataset: DatasetRow, params: RunStart, transform: InputTransform): DatasetSource {
  if (dataset.kind === 'images') {
    const images = params.images ?? {};
    return {
      kind: 'images',
      root: dataset.path,
      layout: dataset.layout as ImageLayout,
      splits: store.datasets.splits(dataset.id),
      options: { transform, ...(images.resize ? { resize: images.resize } : {}), ...(images.crop ? { crop: images.crop } : {}), ...(images.channels ? { channels: images.channels } : {}) },
    };
  }
  const frames = params.frames ?? { polarity: 'two-channels' as const, split: 'count' as const };
  return {
    kind: 'events',
    index: store.datasets.eventIndex(dataset.id),
    options: { polarity: frames.polarity, split: frames.split, transform, ...(frames.size ? { size: frames.size } : {}) },
  };
}
