import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src-main/common/ir/graph';
import { GraphTensors } from '../../../src-main/engine/ann/graph-tensors';
import { runGraph } from '../../../src-main/engine/ann/run-graph';
import { foldBatchNorm } from '../../../src-main/engine/prepare/fold-batch-norm';
import { prepareForConversion } from '../../../src-main/engine/prepare/prepare';
import type { Graph } from '../../../src-main/common/ir/types';
import { useBackend } from '../../helpers/backend';
import { smallCnn } from '../../helpers/graphs';

function forward(graph: Graph, x: tf.Tensor): Float32Array {
  const weights = new GraphTensors(graph);
  const { output } = runGraph(graph, weights, x);
  const data = output.dataSync() as Float32Array;
  output.dispose();
  weights.dispose();
  return data;
}

describe('preparing an ANN for conversion', () => {
  beforeAll(() => useBackend('wasm'));
  const x = (): tf.Tensor => tf.randomUniform([4, 8, 8, 2], -1, 1, 'float32', 11);

  it('folding batch norm keeps the outputs (to float32 rounding) and drops the BN node', () => {
    const graph = smallCnn(2);
    const folded = foldBatchNorm(graph);
    expect(folded.nodes.some((n) => n.op === 'batchNorm')).toBe(false);
    // The folded conv takes the BN's name, so edges and reports keep pointing at it.
    expect(folded.nodes.find((n) => n.name === 'bn')?.op).toBe('conv2d');
    expect(folded.weights.has('bn/g')).toBe(false);
    const input = x();
    const a = forward(graph, input);
    const b = forward(folded, input);
    input.dispose();
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-5);
  });

  it('drops the output softmax and refuses max pooling unless asked to swap it', () => {
    const graph = smallCnn(3);
    const prepared = prepareForConversion(graph, 'refuse');
    expect(prepared.graph.output).toBe('d');
    const withMax = buildGraph({ ...graph, nodes: graph.nodes.map((n) => (n.op === 'avgPool' ? { ...n, op: 'maxPool' as const } : n)) });
    expect(() => prepareForConversion(withMax, 'refuse')).toThrow(/max pooling is not spike-compatible as it stands \(nodes: p1\); pass --maxpool exact .* or avg/);
    const swapped = prepareForConversion(withMax, 'avg');
    expect(swapped.swappedMaxPools).toEqual(['p1']);
    expect(swapped.graph.nodes.find((n) => n.name === 'p1')?.op).toBe('avgPool');
  });

  it('refuses clip with a negative floor, naming the node', () => {
    const graph = smallCnn(4, false);
    const bad = buildGraph({ ...graph, nodes: graph.nodes.map((n) => (n.name === 'r2' ? { name: 'r2', op: 'clip' as const, inputs: n.inputs, min: -1, max: 1 } : n)) });
    expect(() => prepareForConversion(bad, 'refuse')).toThrow(/'r2' \(clip with min -1; spiking neurons need min 0\)/);
  });
});
