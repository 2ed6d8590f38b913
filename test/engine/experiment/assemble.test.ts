import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Graph, IrNode } from '../../../src-main/common/ir/types';
import { makeRandom } from '../../../src-main/common/random';
import type { MethodResult, RunResult } from '../../../src-main/common/results';
import { makeImageSet, type SampleSet } from '../../../src-main/datasets/sample-set';
import { GraphTensors } from '../../../src-main/engine/ann/graph-tensors';
import { runGraph } from '../../../src-main/engine/ann/run-graph';
import { runExperiment, type ExperimentOptions } from '../../../src-main/engine/experiment/run-experiment';
import { prepareForConversion } from '../../../src-main/engine/prepare/prepare';
import { useBackend } from '../../helpers/backend';
import { randomImageSet } from '../../helpers/data';
import { branchedCnn, smallCnn, stridedCnn } from '../../helpers/graphs';
import { study } from '../../helpers/study';
import { bruteFanout } from '../../helpers/fanout';

/** Every neuron layer the simulator runs, with a copy of its spikes (time-major T·N): the
 * oracle counts each neuron's spikes itself, without the traces' per-position sums. */
const runs: { F: number; B: number; T: number; spikes: Float32Array }[] = [];
vi.mock('../../../src-main/engine/neurons/if-layer', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src-main/engine/neurons/if-layer')>();
  return {
    runIfLayer: (...args: Parameters<typeof actual.runIfLayer>) => {
      const run = actual.runIfLayer(...args);
      runs.push({ F: args[0].F, B: args[0].B, T: args[0].T, spikes: run.spikes.slice() });
      return run;
    },
  };
});
vi.mock('../../../src-main/engine/neurons/tpp-layer', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src-main/engine/neurons/tpp-layer')>();
  return {
    runTppLayer: (...args: Parameters<typeof actual.runTppLayer>) => {
      const run = actual.runTppLayer(...args);
      runs.push({ F: args[0].F, B: args[0].B, T: args[0].T, spikes: run.spikes.slice() });
      return run;
    },
  };
});

const relus = (n: IrNode): boolean => n.op === 'relu';
const SAMPLES = 12;

/** Binary images: rate coding turns them into a spike at every step where x = 1, none where 0. */
function binarySet(shape: number[], seed: number): SampleSet {
  const random = makeRandom(seed, 3);
  const size = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: SAMPLES * size }, () => (random() < 0.5 ? 1 : 0));
  return makeImageSet({ name: 'binary images', data, count: SAMPLES, shape, layout: 'nhwc', labels: Int32Array.from({ length: SAMPLES }, (_, i) => i % 3), transform: { scale: 1, offset: 0 } });
}

/** Per-step frames with zeros and values of several sizes: frame t of sample s. */
function frameValue(s: number, t: number, i: number): number {
  return ((s * 31 + t * 7 + i * 3) % 4) * 0.5;
}
function withFrames(set: SampleSet): SampleSet {
  const size = set.shape.reduce((a, b) => a * b, 1);
  return {
    ...set,
    readSteps(indices: ArrayLike<number>, T: number): Float32Array {
      const B = indices.length;
      const out = new Float32Array(T * B * size);
      for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let i = 0; i < size; i++) out[(t * B + b) * size + i] = frameValue(indices[b]!, t, i);
      return out;
    },
  };
}

function options(graph: Graph, data: SampleSet, overrides: Partial<ExperimentOptions> = {}): ExperimentOptions {
  return {
    graph,
    data,
    indices: Int32Array.from({ length: SAMPLES }, (_, i) => i),
    calibration: { set: data, indices: Int32Array.from({ length: SAMPLES }, (_, i) => i), source: 'the same samples' },
    ...study({ methods: ['if'], timesteps: [2, 5], seeds: [0], threshold: { kind: 'percentile', percentile: 90 } }),
    backend: 'wasm',
    budgetValues: 2_000, // several batches, whose sums must add up
    ...overrides,
  };
}

/** SOPs per sample of the spiking layers up to step t, from the recorded spikes of one pass:
 * each neuron's own spike count times its brute-force fan-out. */
function layerSops(graph: Graph, t: number): number {
  const byF = new Map<number, Float64Array>();
  for (const node of graph.nodes.filter(relus)) byF.set(graph.shapes.get(node.name)!.reduce((a, b) => a * b, 1), bruteFanout(graph, node.name, relus));
  expect(byF.size).toBe(graph.nodes.filter(relus).length); // layers told apart by their size
  let sops = 0;
  for (const run of runs) {
    const fanout = byF.get(run.F)!;
    const N = run.B * run.F;
    for (let s = 0; s < t; s++) for (let i = 0; i < N; i++) if (run.spikes[s * N + i] !== 0) sops += fanout[i % run.F]!;
  }
  return sops / SAMPLES;
}

/** SOPs per sample of a spiking input up to step t: each nonzero input value drives its fan-out. */
function inputSops(graph: Graph, t: number, active: (s: number, step: number, i: number) => boolean): number {
  const fanout = bruteFanout(graph, graph.input.name, relus);
  let sops = 0;
  for (let s = 0; s < SAMPLES; s++) for (let step = 0; step < t; step++) for (let i = 0; i < fanout.length; i++) if (active(s, step, i)) sops += fanout[i]!;
  return sops / SAMPLES;
}

const at = (result: RunResult, method: string, T: number): MethodResult => result.results.find((r) => r.method === method && r.T === T)!;
const close = (actual: number, expected: number): void => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected));

describe('SOPs, energy and latency of a run', () => {
  beforeAll(() => useBackend('wasm'));
  beforeEach(() => {
    runs.length = 0;
  });

  const graph = stridedCnn(3);
  const data = binarySet([7, 5, 2], 4);
  // c1: 4x3 outputs × 4 channels × 3·3·2 taps
  const firstLayerMacs = 4 * 3 * 4 * 18;

  it('direct coding: SOPs count the synapses each neuron really drives, and the input costs MACs at every step', async () => {
    const result = await runExperiment(options(graph, data));
    expect(runs.length).toBeGreaterThan(2); // one anytime pass, several batches, two layers
    for (const T of [2, 5]) {
      const r = at(result, 'if', T);
      const sops = layerSops(graph, T);
      expect(sops).toBeGreaterThan(0);
      close(r.sops, sops);
      close(r.energyPj, 0.9 * sops + 4.6 * firstLayerMacs * T);
      expect(r.latencySteps).toBe(T); // IF layers fire together
    }
  });

  it('TPP: the same count, from spikes placed by the firing phase', async () => {
    const result = await runExperiment(options(graph, data, { methods: ['tpp'], timesteps: [4] }));
    const sops = layerSops(graph, 4);
    expect(sops).toBeGreaterThan(0);
    close(at(result, 'tpp', 4).sops, sops);
  });

  it('Permute moves spikes in time only: the SOPs are those of the IF counts', async () => {
    const result = await runExperiment(options(graph, data, { methods: ['if-permute'], timesteps: [4] }));
    close(at(result, 'if-permute', 4).sops, layerSops(graph, 4));
  });

  it('rate coding: the input spikes are SOPs through their own fan-out, and no MACs are charged', async () => {
    const result = await runExperiment(options(graph, data, { encoding: 'rate' }));
    const x = data.read(Int32Array.from({ length: SAMPLES }, (_, i) => i));
    const F = x.length / SAMPLES;
    for (const T of [2, 5]) {
      const r = at(result, 'if', T);
      const sops = layerSops(graph, T) + inputSops(graph, T, (s, _, i) => x[s * F + i] === 1);
      close(r.sops, sops);
      close(r.energyPj, 0.9 * sops);
    }
  });

  it('per-step event frames: every nonzero frame value is one input spike', async () => {
    const frames = withFrames(data);
    const result = await runExperiment(options(graph, frames, { input: 'steps', timesteps: [3] }));
    const sops = layerSops(graph, 3) + inputSops(graph, 3, (s, t, i) => frameValue(s, t, i) !== 0);
    close(at(result, 'if', 3).sops, sops);
    close(at(result, 'if', 3).energyPj, 0.9 * sops);
  });

  it('TPP latency is T × the spiking layers of the longest path, not of all branches', async () => {
    const branched = branchedCnn(2);
    const result = await runExperiment(options(branched, randomImageSet(SAMPLES, [4, 4, 2], 3, 6), { methods: ['tpp'], timesteps: [3] }));
    expect(result.layers).toHaveLength(5);
    expect(at(result, 'tpp', 3).latencySteps).toBe(4 * 3);
    close(at(result, 'tpp', 3).sops, layerSops(branched, 3));
  });
});

describe('thresholds tuned per T (snnc)', () => {
  beforeAll(() => useBackend('wasm'));

  /** The SNNC search done here: θ = max·(1 − 0.01 i), i = 0..94, minimising the mean squared
   * error of the T-step quantisation floor(clamp(a/θ·T, 0, T))·θ/T over every activation. */
  function mmse(values: Float32Array, T: number): number {
    let max = 0;
    for (const v of values) max = Math.max(max, v);
    let best = NaN;
    let bestError = Infinity;
    for (let i = 0; i <= 94; i++) {
      const theta = max * (1 - 0.01 * i);
      let error = 0;
      for (const a of values) {
        const q = (Math.floor(Math.min(T, Math.max(0, (a / theta) * T))) * theta) / T;
        error += (a - q) ** 2;
      }
      if (error / values.length < bestError) {
        bestError = error / values.length;
        best = theta;
      }
    }
    return best;
  }

  it('each T reports the thresholds it used, which match an independent MMSE search', async () => {
    const model = smallCnn(11);
    const calib = randomImageSet(32, [8, 8, 2], 5, 5);
    const calibration = Int32Array.from({ length: 32 }, (_, i) => i);
    const result = await runExperiment({
      ...options(model, randomImageSet(SAMPLES, [8, 8, 2], 5, 4), { threshold: { kind: 'snnc' }, timesteps: [2, 8] }),
      calibration: { set: calib, indices: calibration, source: 'calib' },
    });
    // The ANN activations of the calibration samples at each spiking layer.
    const prepared = prepareForConversion(model, 'refuse').graph;
    const weights = new GraphTensors(prepared);
    const input = tf.tensor(calib.read(calibration), [32, 8, 8, 2]);
    const { output, captured } = runGraph(prepared, weights, input, new Set(['r1', 'r2']));
    const activations = new Map([...captured].map(([name, t]) => [name, t.dataSync() as Float32Array]));
    tf.dispose([input, output, ...captured.values()]);
    weights.dispose();

    const theta = (T: number): number[] => at(result, 'if', T).perLayer.map((l) => l.threshold.mean);
    for (const T of [2, 8]) {
      expect(theta(T)).toEqual(['r1', 'r2'].map((name) => Math.fround(mmse(activations.get(name)!, T))));
    }
    expect(theta(2)).not.toEqual(theta(8));
    // The layer summary is the smallest T's; each row has its own.
    expect(result.layers.map((l) => l.threshold.mean)).toEqual(theta(2));
  });
});
