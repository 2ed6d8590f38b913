import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../../common/errors';
import type { Graph } from '../../common/ir/types';
import type { SampleSet } from '../../datasets/sample-set';
import { argmaxRows } from '../metrics/accuracy';
import { batches, batchSizeFor } from './batching';
import { GraphTensors } from './graph-tensors';
import { shardRanges } from '../../common/plan';
import { runGraph } from './run-graph';

export interface AnnEvaluation {
  readonly predictions: Int32Array;
  readonly accuracy: number;
  /** Every sample gave exactly the same logits: the output does not depend on the input. */
  readonly constantOutput: boolean;
}

/** Checks that the model and the data fit together before any work starts. */
export function checkModelMatchesData(graph: Graph, set: SampleSet): void {
  const want = graph.input.shape;
  const have = set.shape;
  if (want.length !== have.length || want.some((d, i) => d !== have[i])) {
    throw invalidArgument(
      `model '${graph.name}' expects input [${want.join(', ')}] but ${set.name} has samples of shape [${have.join(', ')}]`,
    );
  }
  const outShape = graph.shapes.get(graph.output)!;
  const classes = outShape[outShape.length - 1]!;
  if (outShape.length !== 1 || classes < set.classes) {
    throw invalidArgument(
      `model '${graph.name}' outputs [${outShape.join(', ')}] but ${set.name} has labels up to ${set.classes - 1}`,
    );
  }
}

/** Top-1 ANN accuracy on the samples at `indices`, in memory-bounded batches. */
/**
 * The ANN's class for every sample of `indices`, evaluated part by part over the sample shards
 * (shardRanges), as the simulation workers evaluate it: a run gives the same predictions on any
 * number of threads.
 */
export async function evaluateAnn(graph: Graph, set: SampleSet, indices: Int32Array, options: { batchSize?: number; onBatch?: (samplesDone: number) => void } = {}): Promise<AnnEvaluation> {
  checkModelMatchesData(graph, set);
  const parts: AnnPart[] = [];
  for (const [start, end] of shardRanges(indices.length)) {
    parts.push(await evaluateAnnPart(graph, set, indices.subarray(start, end), { ...options, onBatch: (n) => options.onBatch?.(start + n) }));
  }
  return joinAnnParts(parts, Int32Array.from(indices, (i) => set.labels[i]!));
}

/** The ANN on some samples: each one's class, the first one's logits, and whether all gave those. */
export interface AnnPart {
  readonly predictions: Int32Array;
  readonly firstLogits: Float32Array | null;
  readonly constantOutput: boolean;
}

export async function evaluateAnnPart(graph: Graph, set: SampleSet, indices: Int32Array, options: { batchSize?: number; onBatch?: (samplesDone: number) => void } = {}): Promise<AnnPart> {
  const batchSize = options.batchSize ?? batchSizeFor(graph);
  const weights = new GraphTensors(graph);
  const predictions = new Int32Array(indices.length);
  const classes = graph.shapes.get(graph.output)![0]!;
  let firstLogits: Float32Array | null = null;
  let constantOutput = true;
  try {
    for (const [start, end] of batches(indices.length, batchSize)) {
      const batch = indices.subarray(start, end);
      const x = tf.tensor(set.read(batch), [batch.length, ...set.shape]);
      const { output } = runGraph(graph, weights, x);
      const logits = (await output.data()) as Float32Array;
      predictions.set(argmaxRows(logits, classes), start);
      firstLogits ??= logits.slice(0, classes);
      for (let i = 0; constantOutput && i < logits.length; i++) if (logits[i] !== firstLogits[i % classes]) constantOutput = false;
      output.dispose();
      x.dispose();
      options.onBatch?.(end);
    }
  } finally {
    weights.dispose();
  }
  return { predictions, firstLogits, constantOutput };
}

/** The parts in order, scored against the samples' labels (one per prediction). */
export function joinAnnParts(parts: readonly AnnPart[], labels: Int32Array): AnnEvaluation {
  const predictions = new Int32Array(labels.length);
  let at = 0;
  for (const part of parts) {
    predictions.set(part.predictions, at);
    at += part.predictions.length;
  }
  const first = parts.find((p) => p.firstLogits !== null)?.firstLogits ?? null;
  const constantOutput = parts.every((p) => p.constantOutput && (p.firstLogits === null || p.firstLogits.every((v, k) => v === first![k])));
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) correct++;
  return { predictions, accuracy: labels.length === 0 ? 0 : correct / labels.length, constantOutput: constantOutput && labels.length > 1 };
}
