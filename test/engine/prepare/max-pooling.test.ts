import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src-main/common/ir/graph';
import type { Graph, IrNode, PoolNode, WeightTensor } from '../../../src-main/common/ir/types';
import { GraphTensors } from '../../../src-main/engine/ann/graph-tensors';
import { runGraph } from '../../../src-main/engine/ann/run-graph';
import { collectActivationStats } from '../../../src-main/engine/calibrate/activation-stats';
import { convertToSnn } from '../../../src-main/engine/convert/convert';
import { runExperiment } from '../../../src-main/engine/experiment/run-experiment';
import { prepareForConversion } from '../../../src-main/engine/prepare/prepare';
import { accumulatedMaxPool } from '../../../src-main/engine/simulate/accumulated-max-pool';
import { SnnSimulator } from '../../../src-main/engine/simulate/simulator';
import { useBackend } from '../../helpers/backend';
import { randomImageSet } from '../../helpers/data';
import { positiveWeight, randomWeight } from '../../helpers/graphs';
import { study } from '../../helpers/study';

const pool = (name: string, input: string, pads: [number, number, number, number] = [0, 0, 0, 0]): IrNode => ({ name, op: 'maxPool', inputs: [input], size: [2, 2], strides: [2, 2], pads, countIncludePad: false });

/** conv 3x3 → ReLU → maxpool 2 → conv 3x3 → ReLU → maxpool 2 (padded) → flatten → dense 4, on
 * 8x8x1: LeNet's pattern, where only the first pool sees a constant analog input. */
function lenetLike(secondPool = true): Graph {
  const weights = new Map<string, WeightTensor>([
    ['c1/k', randomWeight([3, 3, 1, 3], 41)],
    ['c1/b', positiveWeight([3], 42, 0.0, 0.2)],
    ['c2/k', randomWeight([3, 3, 3, 4], 43)],
    ['c2/b', positiveWeight([4], 44, 0.0, 0.2)],
    ['d/k', randomWeight([(secondPool ? 2 * 2 : 4 * 4) * 4, 4], 45, 0.4)],
  ]);
  const nodes: IrNode[] = [
    { name: 'c1', op: 'conv2d', inputs: ['x'], kernel: 'c1/k', bias: 'c1/b', strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], groups: 1 },
    { name: 'r1', op: 'relu', inputs: ['c1'] },
    pool('p1', 'r1'),
    { name: 'c2', op: 'conv2d', inputs: ['p1'], kernel: 'c2/k', bias: 'c2/b', strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], groups: 1 },
    { name: 'r2', op: 'relu', inputs: ['c2'] },
    ...(secondPool ? [pool('p2', 'r2', [0, 1, 0, 1])] : []),
    { name: 'f', op: 'flatten', inputs: [secondPool ? 'p2' : 'r2'] },
    { name: 'd', op: 'dense', inputs: ['f'], kernel: 'd/k' },
  ];
  return buildGraph({ name: 'lenet-like', input: { name: 'x', shape: [8, 8, 1] }, nodes, output: 'd', weights });
}

function forward(graph: Graph, x: Float32Array, B: number, capture: string[] = []): Map<string, Float32Array> {
  const weights = new GraphTensors(graph);
  const input = tf.tensor(x, [B, ...graph.input.shape]);
  const { output, captured } = runGraph(graph, weights, input, new Set(capture));
  const out = new Map<string, Float32Array>([['output', output.dataSync() as Float32Array]]);
  for (const [name, t] of captured) out.set(name, t.dataSync() as Float32Array);
  [output, input, ...captured.values()].forEach((t) => t.dispose());
  weights.dispose();
  return out;
}

describe('max pooling: exact where the input is constant in time, by spike count elsewhere', () => {
  beforeAll(() => useBackend('wasm'));
  const set = randomImageSet(16, [8, 8, 1], 4, 7);
  const indices = Int32Array.from({ length: 16 }, (_, i) => i);

  it('exact: the first pool moves before its ReLU and the ANN is unchanged bit for bit; a pool over spikes is refused by name', () => {
    const graph = lenetLike(false);
    const prepared = prepareForConversion(graph, 'exact');
    expect(prepared.graph.nodes.map((n) => n.name)).toEqual(['c1', 'p1', 'r1', 'c2', 'r2', 'f', 'd']);
    expect(prepared.graph.nodes.find((n) => n.name === 'c2')!.inputs).toEqual(['r1']);
    expect(prepared.spikingMaxPools).toEqual([]);
    expect(prepared.swappedMaxPools).toEqual([]);
    expect(prepared.notes.join(' ')).toMatch(/max pool 'p1' moved before the activation 'r1'/);
    const x = set.read(indices);
    const a = forward(graph, x, 16, ['p1']);
    const b = forward(prepared.graph, x, 16, ['r1']);
    // The spiking layer r1 now carries exactly what the ANN's pool produced.
    expect(b.get('r1')).toEqual(a.get('p1'));
    expect(b.get('output')).toEqual(a.get('output'));
    expect(() => prepareForConversion(lenetLike(), 'exact')).toThrow(/max pool 'p2' cannot be exact in the SNN: its input 'r2' carries spikes .*--maxpool spiking/);
    // Rate coding: nothing is constant in time, so even the first pool is not exact.
    expect(() => prepareForConversion(graph, 'exact', false)).toThrow(/max pool 'p1' cannot be exact/);
  });

  it('exact in the SNN: the first spiking layer integrates the pooled analog current, so its rate converges to the ANN pool', async () => {
    const prepared = prepareForConversion(lenetLike(false), 'exact');
    const stats = await collectActivationStats(prepared.graph, set, indices, { perChannel: false });
    const { model } = convertToSnn(prepared.graph, stats, { method: { kind: 'max' }, perChannel: false, neuron: 'if', reset: 'subtract', v0: 'zero', shift: false, encoding: 'direct', calibrationSamples: 16 });
    const upToR1 = { graph: buildGraph({ ...model.graph, nodes: model.graph.nodes.slice(0, 3), output: 'r1' }), snn: { ...model.snn, layers: model.snn.layers.slice(0, 1) } };
    const simulator = new SnnSimulator(upToR1);
    const T = 2000;
    const x = set.read(indices.subarray(0, 4));
    const outcome = await simulator.runBatch(x, indices.subarray(0, 4), { T, checkpoints: [T], seed: 0 });
    simulator.dispose();
    const theta = model.graph.weights.get('r1/threshold')!.data[0]!;
    const ann = forward(lenetLike(false), x, 4, ['p1']).get('p1')!;
    const rates = outcome.outputSums[0]!;
    for (let i = 0; i < ann.length; i++) expect(Math.abs(rates[i]! / T - Math.min(ann[i]!, theta))).toBeLessThanOrEqual(theta / T + 1e-6);
  });

  it('spiking: the first pool moved (exact), the second pools spikes by count; the ANN keeps its max pools', () => {
    const graph = lenetLike();
    const prepared = prepareForConversion(graph, 'spiking');
    expect(prepared.spikingMaxPools).toEqual(['p2']);
    expect(prepared.graph.nodes.map((n) => `${n.name}:${n.op}`)).toEqual(['c1:conv2d', 'p1:maxPool', 'r1:relu', 'c2:conv2d', 'r2:relu', 'p2:maxPool', 'f:flatten', 'd:dense']);
    const x = set.read(indices);
    expect(forward(prepared.graph, x, 16).get('output')).toEqual(forward(graph, x, 16).get('output'));
  });

  it('the accumulated-count max pool: output count up to every step = the largest input count, output binary, θ per channel', () => {
    // T = 5 steps, one sample, a 2x2 window (one output position), 2 channels with θ = 0.5 and 2.
    const T = 5;
    const theta = Float32Array.of(0.5, 2);
    // trains[position][channel]: which steps fire.
    const trains = [
      [[1, 0, 0, 1, 1], [0, 0, 0, 0, 1]],
      [[0, 1, 1, 0, 0], [1, 1, 0, 0, 0]],
      [[0, 0, 0, 0, 0], [0, 0, 1, 1, 0]],
      [[1, 1, 0, 0, 0], [0, 0, 0, 0, 0]],
    ];
    const data = new Float32Array(T * 4 * 2);
    for (let t = 0; t < T; t++) for (let p = 0; p < 4; p++) for (let c = 0; c < 2; c++) data[(t * 4 + p) * 2 + c] = trains[p]![c]![t]! * theta[c]!;
    const node = pool('p', 'r') as PoolNode;
    const weights = new GraphTensors(buildGraph({ name: 'g', input: { name: 'r', shape: [2, 2, 2] }, nodes: [node], output: 'p', weights: new Map() }));
    const before = tf.memory().numTensors;
    const spikes = tf.tensor(data, [T, 2, 2, 2]);
    const out = accumulatedMaxPool(node, spikes, T, theta, weights);
    const values = out.dataSync();
    spikes.dispose();
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
    weights.dispose();
    for (let c = 0; c < 2; c++) {
      let count = 0;
      for (let t = 0; t < T; t++) {
        const v = values[t * 2 + c]!;
        expect(v === 0 || v === theta[c]).toBe(true);
        count += v > 0 ? 1 : 0;
        const largest = Math.max(...trains.map((p) => p[c]!.slice(0, t + 1).reduce((a, b) => a + b, 0)));
        expect(count).toBe(largest);
      }
    }
  });

  it('a whole run per policy: the ANN accuracy is kept with exact/spiking, reported before and after with avg', async () => {
    const run = (maxPool: 'avg' | 'spiking') =>
      runExperiment({
        graph: lenetLike(),
        data: set,
        indices,
        calibration: { set, indices, source: 'same' },
        ...study({ methods: ['if', 'tpp'], timesteps: [4, 16], seeds: [0], maxPool }),
        backend: 'wasm',
      });
    const spiking = await run('spiking');
    const avg = await run('avg');
    expect(spiking.config.maxPool).toBe('spiking');
    expect(spiking.ann.accuracyBeforeSwap).toBeUndefined();
    expect(avg.ann.accuracyBeforeSwap).toBe(spiking.ann.accuracy);
    expect(spiking.notes.join(' ')).toMatch(/'p2' pools the spikes of 'r2' by accumulated count/);
    expect(spiking.results).toHaveLength(4);
  });
});
