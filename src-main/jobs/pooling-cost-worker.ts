import { workerData } from 'node:worker_threads';
import type { PoolingCost } from '../common/contract';
import { openEvaluationData, type DatasetSource, type SplitChoice } from '../datasets/evaluation-data';
import { firstIndices } from '../datasets/sample-set';
import { seededSubset } from '../datasets/subsets';
import { checkModelMatchesData, evaluateAnn } from '../engine/ann/evaluate';
import { initBackend } from '../engine/backend/select';
import { prepareForConversion } from '../engine/prepare/prepare';
import { decodeModel } from '../formats/model/tppw-model';
import { readBytes } from '../formats/node/files';
import { postOutcome } from '../formats/node/start-worker';

export interface PoolingCostRequest {
  readonly artifact: string;
  readonly source: DatasetSource;
  readonly samples: number;
  readonly sampleSeed?: number;
  readonly split?: SplitChoice;
  /** The SNN sees a constant input (direct coding, no per-step frames). */
  readonly staticInput: boolean;
}

/** The ANN as imported and with its max pooling replaced by average pooling, on the same samples. */
async function measure(request: PoolingCostRequest): Promise<PoolingCost> {
  await initBackend('auto');
  const { graph } = decodeModel(readBytes(request.artifact, 'stored model copy'), request.artifact);
  const { data } = openEvaluationData(request.source, { limit: request.samples, calibration: 0, ...(request.split !== undefined ? { split: request.split } : {}) });
  checkModelMatchesData(graph, data);
  const indices = request.sampleSeed === undefined ? firstIndices(data, request.samples) : seededSubset(data.count, request.samples, request.sampleSeed);
  const swapped = prepareForConversion(graph, 'avg', request.staticInput).graph;
  const maxPool = (await evaluateAnn(graph, data, indices)).accuracy;
  const avgPool = (await evaluateAnn(swapped, data, indices)).accuracy;
  return { samples: indices.length, pools: graph.nodes.filter((n) => n.op === 'maxPool').map((n) => n.name), maxPool, avgPool };
}

postOutcome(measure(workerData as PoolingCostRequest));
