import * as tf from '@tensorflow/tfjs-core';
import { consumersOf } from '../../common/ir/graph';
import type { Graph } from '../../common/ir/types';
import { applyNode } from './apply-node';
import type { GraphTensors } from './graph-tensors';

export interface GraphRun {
  readonly output: tf.Tensor;
  /** Outputs of the nodes named in `capture`, kept alive for the caller to dispose. */
  readonly captured: Map<string, tf.Tensor>;
}

/**
 * Runs the ANN forward on one batch `x` ([B, ...input shape]). Intermediate tensors are freed
 * as soon as their last consumer has run, so peak memory is the live frontier, not the graph.
 */
export function runGraph(graph: Graph, weights: GraphTensors, x: tf.Tensor, capture: ReadonlySet<string> = new Set()): GraphRun {
  const remaining = new Map<string, number>();
  for (const [name, list] of consumersOf(graph)) remaining.set(name, list.length);
  const keep = (name: string): boolean => name === graph.output || capture.has(name);
  const values = new Map<string, tf.Tensor>([[graph.input.name, x]]);
  const captured = new Map<string, tf.Tensor>();
  let output: tf.Tensor | undefined;
  for (const node of graph.nodes) {
    const inputs = node.inputs.map((name) => values.get(name)!);
    const y = tf.tidy(() => applyNode(node, inputs, weights));
    values.set(node.name, y);
    for (const name of node.inputs) {
      const left = (remaining.get(name) ?? 1) - 1;
      remaining.set(name, left);
      if (left === 0 && name !== graph.input.name && !keep(name)) values.get(name)!.dispose();
    }
    if (capture.has(node.name)) captured.set(node.name, y);
    if (node.name === graph.output) output = y;
    else if ((remaining.get(node.name) ?? 0) === 0 && !keep(node.name)) y.dispose();
  }
  return { output: output ?? x.clone(), captured };
}
