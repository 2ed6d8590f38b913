import * as tf from '@tensorflow/tfjs-core';
import type { Graph } from '../../common/ir/types';
import type { SampleSet } from '../../datasets/sample-set';
import { batches, batchSizeFor } from '../ann/batching';
import { GraphTensors } from '../ann/graph-tensors';
import { runGraph } from '../ann/run-graph';

/**
 * Runs the ANN over `indices` of a sample set in batches and hands each batch's output of every
 * node in `capture` to `visit` (values in the node's NHWC order, the batch leading; or, with
 * `reduce`, what it makes of the output tensor, computed by the backend), then calls `onBatch`
 * with the samples done so far. `elements` is the size of the captured output. Tensors are
 * released batch by batch.
 */
export async function forEachCapturedBatch(
  graph: Graph,
  set: SampleSet,
  indices: Int32Array,
  capture: ReadonlySet<string>,
  visit: (node: string, values: Float32Array, elements: number) => void,
  onBatch?: (samplesDone: number) => void,
  reduce?: (output: tf.Tensor) => tf.Tensor,
): Promise<void> {
  const weights = new GraphTensors(graph);
  try {
    for (const [start, end] of batches(indices.length, batchSizeFor(graph))) {
      const batch = indices.subarray(start, end);
      const x = tf.tensor(set.read(batch), [batch.length, ...set.shape]);
      const { output, captured } = runGraph(graph, weights, x, capture);
      output.dispose();
      x.dispose();
      for (const [node, tensor] of captured) {
        const reduced = reduce?.(tensor) ?? tensor;
        const values = (await reduced.data()) as Float32Array;
        tensor.dispose();
        reduced.dispose();
        visit(node, values, tensor.size);
      }
      onBatch?.(end);
    }
  } finally {
    weights.dispose();
  }
}
