import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../../common/errors';
import type { Graph } from '../../common/ir/types';
import type { SampleSet } from '../../datasets/sample-set';
import { argmaxRows } from '../metrics/accuracy';
import { batches, batchSizeFor } from './batching';
import { GraphTensors } from './graph-tensors';
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
export async function evaluateAnn(graph: Graph, set: SampleSet, indices: Int32Array, options: { batchSize?: number; onBatch?: (samplesDone: number) => void } = {}): Promise<AnnEvaluation> {
  const batchSize = options.batchSize ?? batchSizeFor(graph);
  checkModelMatchesData(graph, set);
  const weights = new GraphTensors(graph);
  const predictions = new Int32Array(indices.length);
  const classes = graph.shapes.get(graph.output)![0]!;
  let firstLogits: Float32Array | undefined;
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
  let correct = 0;
  for (let i = 0; i < indices.length; i++) if (predictions[i] === set.labels[indices[i]!]) correct++;
  return { predictions, accuracy: indices.length === 0 ? 0 : correct / indices.length, constantOutput: constantOutput && indices.length > 1 };
}
