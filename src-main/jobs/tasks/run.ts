import { join } from 'node:path';
import type { DatasetRow, RunStart } from '../../common/contract';
import { WorkbenchError } from '../../common/errors';
import type { Graph } from '../../common/ir/types';
import { openEvaluationData, type DatasetSource } from '../../datasets/evaluation-data';
import type { ImageLayout, InputTransform } from '../../common/datasets';
import { inputTransformFor, runStudy } from '../../engine/experiment/run-study';
import { decodeModel } from '../../formats/model/tppw-model';
import { readBytes } from '../../formats/node/files';
import type { Store } from '../../store/store';
import type { JobContext } from '../job-context';
import { WORKBENCH_VERSION } from '../../common/version';
import { storeConvertedNetwork, storeEnvironment } from './run-artifacts';

/**
 * A conversion study over a registered model and dataset. Every finished (method, T, seed) unit
 * is stored at once; a resumed run (same job, same conversion) simulates only the units that
 * are not stored yet and assembles the same result as an uninterrupted run with the same seeds.
 * The converted networks and the machine it ran on are kept beside (run-artifacts.ts).
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

  const chosen = inputTransformFor(graph, params.transform ?? {});
  const source = datasetSource(store, dataset, params, chosen.transform);
  const opened = openEvaluationData(source, { limit: params.limit, calibration: params.calibration, ...(params.split ? { split: params.split } : {}) });
  context.checkCancelled();
  storeEnvironment(store, conversionId, WORKBENCH_VERSION);
  const alreadyStored = store.conversions.unitsDone(conversionId);
  if (alreadyStored > 0) context.log('info', `resuming: ${alreadyStored} units already stored are not simulated again`);

  const full = await runStudy({
    graph: withName(graph, modelRow.name),
    study: params.study,
    data: opened.data,
    calibration: opened.calibration,
    input: params.input,
    limit: params.limit,
    sampleSeed: params.sampleSeed,
    calibrationAsked: params.calibration,
    isolate: true,
    warnings: [...(chosen.warning !== undefined ? [chosen.warning] : []), ...opened.warnings],
    signal: context.signal,
    stored: (unit) => store.conversions.storedOutcome(conversionId, unit),
    // Each converted network is kept, so it can be exported (NIR, .tppw) without running again.
    onConverted: (model, T) => storeConvertedNetwork(store, conversionId, model, T),
    onUnit: (outcome) => {
      store.conversions.storeUnit(conversionId, outcome);
      context.checkCancelled();
    },
    onProgress: (p) => {
      context.checkCancelled();
      context.progress(p.step, p.current, p.total);
    },
  });
  store.conversions.setSummary(conversionId, full);
  store.jobs.setResult(context.jobId, { conversionId });
  for (const w of full.warnings) context.log('warn', w);
  context.log('info', `run finished: ${full.results.length} (method, T) results on ${full.samples} samples in ${(full.wallMs / 1000).toFixed(1)} s`);
}

function withName(graph: Graph, name: string): Graph {
  return graph.name ? graph : { ...graph, name };
}

/** Opens a registered dataset from its stored index (event datasets are not scanned again). */
export function datasetSource(store: Store, dataset: DatasetRow, params: RunStart, transform: InputTransform): DatasetSource {
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
