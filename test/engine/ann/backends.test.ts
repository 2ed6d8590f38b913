import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src-main/common/ir/graph';
import type { IrNode, WeightTensor } from '../../../src-main/common/ir/types';
import { GraphTensors } from '../../../src-main/engine/ann/graph-tensors';
import { runGraph } from '../../../src-main/engine/ann/run-graph';
import { useBackend } from '../../helpers/backend';
import { randomWeight, smallCnn } from '../../helpers/graphs';

/** Every op the IR has, in one graph: padded/strided/grouped/depthwise convs, pools with and
 * without padding in the divisor, add, concat, clip, qcfs, batch norm, dense, softmax. */
function everyOp() {
  const weights = new Map<string, WeightTensor>([
    ['k1', randomWeight([3, 3, 4, 8], 1)],
    ['b1', randomWeight([8], 2)],
    ['kg', randomWeight([3, 3, 4, 8], 3)],
    ['kd', randomWeight([3, 3, 1, 16], 4)],
    ['lam', { shape: [1], data: Float32Array.of(0.8) }],
    ['g', randomWeight([24], 5)],
    ['be', randomWeight([24], 6)],
    ['m', randomWeight([24], 7)],
    ['v', { shape: [24], data: new Float32Array(24).fill(1.3) }],
    ['kd2', randomWeight([24, 3], 8)],
  ]);
  const conv = (name: string, input: string, kernel: string, extra: Partial<Extract<IrNode, { op: 'conv2d' }>>): IrNode => ({
    name, op: 'conv2d', inputs: [input], kernel, strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1, ...extra,
  });
  const nodes: IrNode[] = [
    conv('c1', 'x', 'k1', { bias: 'b1', pads: [1, 2, 0, 1], strides: [2, 1] }),
    { name: 'q', op: 'qcfs', inputs: ['c1'], lambda: 'lam', levels: 4 },
    conv('cg', 'q', 'kg', { groups: 2, pads: [1, 1, 1, 1] }),
    conv('cd', 'q', 'kd', { groups: 8, pads: [1, 1, 1, 1] }),
    { name: 'sum', op: 'add', inputs: ['cg', 'q'] },
    { name: 'cat', op: 'concat', inputs: ['sum', 'cd'] },
    { name: 'clip', op: 'clip', inputs: ['cat'], min: 0, max: 1.5 },
    { name: 'ap', op: 'avgPool', inputs: ['clip'], size: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: false },
    { name: 'mp', op: 'maxPool', inputs: ['clip'], size: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: false },
    { name: 'ap2', op: 'avgPool', inputs: ['clip'], size: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: true },
    { name: 'mix', op: 'add', inputs: ['ap', 'mp', 'ap2'] },
    { name: 'bn', op: 'batchNorm', inputs: ['mix'], gamma: 'g', beta: 'be', mean: 'm', variance: 'v', epsilon: 1e-5 },
    { name: 'r', op: 'relu', inputs: ['bn'] },
    { name: 'gap', op: 'globalAvgPool', inputs: ['r'] },
    { name: 'fc', op: 'dense', inputs: ['gap'], kernel: 'kd2' },
    { name: 'sm', op: 'softmax', inputs: ['fc'] },
  ];
  return buildGraph({ name: 'every-op', input: { name: 'x', shape: [9, 8, 4] }, nodes, output: 'sm', weights });
}

async function outputsOn(backend: 'wasm' | 'cpu', graph: ReturnType<typeof everyOp>, capture: string[]): Promise<Map<string, Float32Array>> {
  await useBackend(backend);
  const before = tf.memory().numTensors;
  const weights = new GraphTensors(graph);
  const x = tf.randomUniform([3, ...graph.input.shape], -1, 1, 'float32', 5);
  const { output, captured } = runGraph(graph, weights, x, new Set(capture));
  const out = new Map<string, Float32Array>([['output', output.dataSync() as Float32Array]]);
  for (const [k, t] of captured) out.set(k, t.dataSync() as Float32Array);
  tf.dispose([output, x, ...captured.values()]);
  weights.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

describe('ANN execution on every backend', () => {
  it('cpu and wasm agree on every op, and no tensor leaks', async () => {
    const graph = everyOp();
    const capture = ['c1', 'q', 'cg', 'cd', 'cat', 'ap', 'mp', 'ap2', 'bn', 'gap'];
    const cpu = await outputsOn('cpu', graph, capture);
    const wasm = await outputsOn('wasm', graph, capture);
    for (const [name, values] of cpu) {
      const other = wasm.get(name)!;
      expect(other.length).toBe(values.length);
      for (let i = 0; i < values.length; i++) expect(Math.abs(values[i]! - other[i]!), `${name}[${i}]`).toBeLessThan(2e-4);
    }
    // qcfs output lies on the λ/L grid
    for (const v of cpu.get('q')!) expect(Math.abs(v / 0.2 - Math.round(v / 0.2))).toBeLessThan(1e-4);
  });

  it('average pooling without padding in the divisor matches a hand computation', async () => {
    await useBackend('cpu');
    const nodes: IrNode[] = [{ name: 'p', op: 'avgPool', inputs: ['x'], size: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: false }];
    const graph = buildGraph({ name: 'pool', input: { name: 'x', shape: [2, 2, 1] }, nodes, output: 'p', weights: new Map() });
    const weights = new GraphTensors(graph);
    const { output } = runGraph(graph, weights, tf.tensor([1, 2, 3, 4], [1, 2, 2, 1]));
    // padded 4x4 windows each hold exactly one real value
    expect(Array.from(output.dataSync())).toEqual([1, 2, 3, 4]);
    weights.dispose();
  });

  it('smallCnn runs on both backends alike', async () => {
    const graph = smallCnn(9);
    const a = await outputsOn('cpu', graph as ReturnType<typeof everyOp>, []);
    const b = await outputsOn('wasm', graph as ReturnType<typeof everyOp>, []);
    const x = a.get('output')!;
    const y = b.get('output')!;
    for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! - y[i]!)).toBeLessThan(1e-5);
  });
});
