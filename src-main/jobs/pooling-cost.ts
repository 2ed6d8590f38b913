import { join } from 'node:path';
import type { PoolingCost, RunStart } from '../common/contract';
import { invalidArgument, WorkbenchError } from '../common/errors';
import { awaitReply, startWorker } from '../formats/node/start-worker';
import { inputTransformFor } from '../engine/experiment/run-study';
import type { Store } from '../store/store';
import { datasetSource } from './tasks/run';
import type { PoolingCostRequest } from './pooling-cost-worker';

/** Samples the pre-flight measurement evaluates (the first ones of the run's, or its subset's). */
export const POOLING_COST_SAMPLES = 256;
const TIME_LIMIT_MS = 300_000;

/**
 * What replacing max pooling by average pooling costs the ANN, before a run is queued: its
 * accuracy both ways on the run's first POOLING_COST_SAMPLES samples (opened as the run would
 * open them), in a worker thread so the service keeps answering meanwhile.
 */
export function measurePoolingCost(store: Store, params: RunStart): Promise<PoolingCost> {
  const model = store.models.get(params.modelId);
  if (model === undefined) throw new WorkbenchError('not_found', `there is no model ${params.modelId}`);
  const dataset = store.datasets.get(params.datasetId);
  if (dataset === undefined) throw new WorkbenchError('not_found', `there is no dataset ${params.datasetId}`);
  // the stored summary says whether there is anything to measure, and the input scaling it records
  const { summary } = model;
  if (!summary.nodes.some((n) => n.op === 'maxPool')) throw invalidArgument('the model has no max pooling: there is nothing to replace');
  const recorded = summary.preprocessing !== null ? { preprocessing: summary.preprocessing } : {};
  const request: PoolingCostRequest = {
    artifact: join(store.dir.root, model.artifact),
    source: datasetSource(store, dataset, params, inputTransformFor(recorded, params.transform ?? {}).transform),
    samples: Math.min(params.limit, POOLING_COST_SAMPLES),
    ...(params.sampleSeed !== undefined ? { sampleSeed: params.sampleSeed } : {}),
    ...(params.split !== undefined ? { split: params.split } : {}),
    staticInput: params.input !== 'steps' && params.study.encoding !== 'rate',
  };
  const worker = startWorker(join(__dirname, 'pooling-cost-worker'), __filename, request, { quiet: true });
  return awaitReply<PoolingCost>(worker, TIME_LIMIT_MS, {
    timeout: () => new WorkbenchError('internal', `measuring the ANN with average pooling took longer than ${TIME_LIMIT_MS / 1000} s`),
    error: (error) => new WorkbenchError('internal', `measuring the ANN with average pooling failed: ${error.message}`),
    exit: (code) => new WorkbenchError('internal', `the pooling measurement thread stopped (exit code ${code})`),
  });
}
