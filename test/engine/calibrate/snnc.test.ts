import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src-main/common/ir/graph';
import type { Graph, WeightTensor } from '../../../src-main/common/ir/types';
import { planStudy } from '../../../src-main/common/plan';
import type { SnnModel } from '../../../src-main/common/snn';
import { collectActivationStats } from '../../../src-main/engine/calibrate/activation-stats';
import { calibrateSnn } from '../../../src-main/engine/calibrate/snnc';
import { convertToSnn, withNeuron } from '../../../src-main/engine/convert/convert';
import { runExperiment } from '../../../src-main/engine/experiment/run-experiment';
import { decodeModel, encodeModel } from '../../../src-main/formats/model/tppw-model';
import { useBackend } from '../../helpers/backend';
import { randomImageSet } from '../../helpers/data';
import { positiveWeight, randomWeight, smallCnn } from '../../helpers/graphs';
import { study } from '../../helpers/study';

/** The small network of this test: x[4] → dense 6 → ReLU → dense 5 → ReLU → dense 3. */
function mlp(): Graph {
  const weights = new Map<string, WeightTensor>([
    ['d1/k', randomWeight([4, 6], 21, 0.9)],
    ['d1/b', positiveWeight([6], 22, 0.05, 0.3)],
    ['d2/k', randomWeight([6, 5], 23, 0.9)],
    ['d2/b', positiveWeight([5], 24, 0.05, 0.3)],
    ['d3/k', randomWeight([5, 3], 25, 0.9)],
  ]);
  return buildGraph({
    name: 'mlp',
    input: { name: 'x', shape: [4] },
    nodes: [
      { name: 'd1', op: 'dense', inputs: ['x'], kernel: 'd1/k', bias: 'd1/b' },
      { name: 'r1', op: 'relu', inputs: ['d1'] },
      { name: 'd2', op: 'dense', inputs: ['r1'], kernel: 'd2/k', bias: 'd2/b' },
      { name: 'r2', op: 'relu', inputs: ['d2'] },
      { name: 'd3', op: 'dense', inputs: ['r2'], kernel: 'd3/k' },
    ],
    output: 'd3',
    weights,
  });
}

// ---- METHODS.md "Calibration (SNNC)" written out directly, float32 like the engine ----------
const f32 = Math.fround;

/** y = x·W + b for each sample, W [in, out] row-major. */
function dense(x: Float64Array, samples: number, W: Float32Array, b: Float32Array | undefined, inputs: number, outputs: number): Float64Array {
  const y = new Float64Array(samples * outputs);
  for (let s = 0; s < samples; s++) {
    for (let j = 0; j < outputs; j++) {
      let sum = b?.[j] ?? 0;
      for (let i = 0; i < inputs; i++) sum += x[s * inputs + i]! * W[i * outputs + j]!;
      y[s * outputs + j] = f32(sum);
    }
  }
  return y;
}

/** IF with subtract reset: v[0] = v0; v ← v + I[t] + bias; fire at v ≥ θ, v −= θ. Returns the
 * spike values (θ or 0) at each step, [T][samples·N]. */
function integrateAndFire(current: (t: number) => Float64Array, T: number, theta: number, v0: Float64Array | undefined, bias: Float64Array | undefined, N: number): Float64Array[] {
  const first = current(0);
  const v = Float64Array.from(first, (_, i) => f32(v0?.[i % N] ?? 0));
  const out: Float64Array[] = [];
  for (let t = 0; t < T; t++) {
    const I = current(t);
    const s = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) {
      v[i] = f32(f32(v[i]! + I[i]!) + f32(bias?.[i % N] ?? 0));
      if (v[i]! >= theta) {
        s[i] = theta;
        v[i] = f32(v[i]! - theta);
      }
    }
    out.push(s);
  }
  return out;
}

/** Per neuron, the mean over samples of Σ_t spikes / T (SNN_out / T). */
function rateMean(spikes: Float64Array[], T: number, samples: number, N: number): Float64Array {
  const mean = new Float64Array(N);
  for (const s of spikes) for (let i = 0; i < s.length; i++) mean[i % N]! += s[i]! / (T * samples);
  return mean;
}

/** Reference calibration of the two spiking layers: the corrections each mode gives. */
function referenceCalibration(model: SnnModel, x: Float64Array, samples: number, T: number, mode: 'light' | 'advanced'): [Float64Array, Float64Array] {
  const w = (name: string): Float32Array => model.graph.weights.get(name)!.data;
  const theta1 = w('r1/threshold')[0]!;
  const theta2 = w('r2/threshold')[0]!;
  // ANN targets: the activation clipped to [0, θ], averaged over samples.
  const z1 = dense(x, samples, w('d1/k'), w('d1/b'), 4, 6);
  const a1 = z1.map((v) => Math.max(0, v));
  const a2 = dense(a1, samples, w('d2/k'), w('d2/b'), 6, 5).map((v) => Math.max(0, v));
  const target = (a: Float64Array, theta: number, N: number): Float64Array => {
    const m = new Float64Array(N);
    for (let i = 0; i < a.length; i++) m[i % N]! += Math.min(a[i]!, theta) / samples;
    return m;
  };
  const target1 = target(a1, theta1, 6);
  const target2 = target(a2, theta2, 5);
  // Layer 1 on the analog input (direct coding: the same current every step).
  const spikes1 = integrateAndFire(() => z1, T, theta1, undefined, undefined, 6);
  const error1 = rateMean(spikes1, T, samples, 6).map((m, i) => m - target1[i]!);
  // light: b −= mean(SNN_out/T) − mean(ANN_out); advanced: v0 = T·(mean(ANN_out) − mean(SNN_out/T)).
  const c1 = mode === 'light' ? error1.map((e) => f32(-e)) : error1.map((e) => f32(-T * e));
  const corrected1 = integrateAndFire(() => z1, T, theta1, mode === 'advanced' ? c1 : undefined, mode === 'light' ? c1 : undefined, 6);
  // Layer 2 on the calibrated layer 1's spikes.
  const z2 = corrected1.map((s) => dense(s, samples, w('d2/k'), w('d2/b'), 6, 5));
  const spikes2 = integrateAndFire((t) => z2[t]!, T, theta2, undefined, undefined, 5);
  const error2 = rateMean(spikes2, T, samples, 5).map((m, i) => m - target2[i]!);
  const c2 = mode === 'light' ? error2.map((e) => f32(-e)) : error2.map((e) => f32(-T * e));
  return [c1, c2];
}

describe('SNNC calibration (light: bias, advanced: potential)', () => {
  beforeAll(() => useBackend('wasm'));
  const samples = 32;
  const set = randomImageSet(samples, [4], 3, 31);
  const indices = Int32Array.from({ length: samples }, (_, i) => i);

  async function converted(): Promise<SnnModel> {
    const graph = mlp();
    const stats = await collectActivationStats(graph, set, indices, { perChannel: false });
    const conversion = convertToSnn(graph, stats, {
      method: { kind: 'percentile', percentile: 99 }, perChannel: false, neuron: 'if', reset: 'subtract', v0: 'zero', shift: false, encoding: 'direct', calibrationSamples: samples,
    });
    return conversion.model;
  }

  for (const mode of ['light', 'advanced'] as const) {
    for (const T of [2, 5]) {
      it(`${mode}, T = ${T}: the corrections equal METHODS.md's formulas computed layer by layer`, async () => {
        const model = await converted();
        const before = tf.memory().numTensors;
        const calibrated = await calibrateSnn(model, set, indices, { mode, T });
        expect(tf.memory().numTensors).toBe(before);
        const x = Float64Array.from(set.read(indices));
        const [want1, want2] = referenceCalibration(model, x, samples, T, mode);
        const layers = calibrated.snn.layers;
        const field = mode === 'light' ? 'biasCorrection' : 'potentialCorrection';
        const got1 = calibrated.graph.weights.get(layers[0]![field]!)!.data;
        const got2 = calibrated.graph.weights.get(layers[1]![field]!)!.data;
        expect(Array.from(got1).map((v, i) => v - want1[i]!).every((d) => Math.abs(d) < 1e-6)).toBe(true);
        expect(Array.from(got2).map((v, i) => v - want2[i]!).every((d) => Math.abs(d) < 1e-6)).toBe(true);
        // Something was corrected, the graph (the ANN) is untouched, and the spec says what was done.
        expect(Array.from(got1).some((v) => v !== 0)).toBe(true);
        expect(calibrated.graph.nodes).toEqual(model.graph.nodes);
        expect(calibrated.graph.weights.get('d1/b')).toBe(model.graph.weights.get('d1/b'));
        expect(calibrated.snn.thresholds).toMatchObject({ calibration: mode, timesteps: T });
        // The corrections travel in the model file (simulation workers read them from it).
        const back = decodeModel(encodeModel(calibrated), 'calibrated');
        expect(back.snn!.layers[1]![field]).toBe(layers[1]![field]);
        expect(back.graph.weights.get(layers[1]![field]!)!.data).toEqual(got2);
      });
    }
  }

  it('calibrates TPP neurons with their own dynamics, deterministically for the calibration seed', async () => {
    const model = withNeuron(await converted(), 'tpp');
    const a = await calibrateSnn(model, set, indices, { mode: 'light', T: 3 });
    const b = await calibrateSnn(model, set, indices, { mode: 'light', T: 3 });
    const ifCalibrated = await calibrateSnn(await converted(), set, indices, { mode: 'light', T: 3 });
    const bias = (m: SnnModel, l: number): Float32Array => m.graph.weights.get(m.snn.layers[l]!.biasCorrection!)!.data;
    expect(bias(a, 1)).toEqual(bias(b, 1));
    expect(bias(a, 0)).not.toEqual(bias(ifCalibrated, 0));
  });

  it('plans one conversion per T and neuron kind (IF-Permute uses the IF calibration)', () => {
    const units = planStudy({ methods: ['if', 'if-permute', 'tpp'], timesteps: [2, 4], seeds: [0], permute: 'neuron', threshold: { kind: 'percentile', percentile: 99.9 }, shift: false, snnc: 'light' }, 'static');
    expect(units.map((u) => `${u.method}@${u.T}:${u.conversionT}/${u.conversionNeuron}`)).toEqual([
      'if@2:2/if', 'if@4:4/if', 'if-permute@2:2/if', 'if-permute@4:4/if', 'tpp@2:2/tpp', 'tpp@4:4/tpp',
    ]);
  });

  it('a whole run with --snnc: every method and T, the calibration recorded in the config', async () => {
    const data = randomImageSet(24, [8, 8, 2], 5, 4);
    const calib = randomImageSet(16, [8, 8, 2], 5, 5);
    const converted: string[] = [];
    const result = await runExperiment({
      graph: smallCnn(11),
      data,
      indices: Int32Array.from({ length: 24 }, (_, i) => i),
      calibration: { set: calib, indices: Int32Array.from({ length: 16 }, (_, i) => i), source: 'calib' },
      ...study({ methods: ['if', 'if-permute', 'tpp'], timesteps: [1, 3], seeds: [0], snnc: 'advanced' }),
      backend: 'wasm',
      onConverted: (m, T, neuron) => converted.push(`${T}/${neuron}/${m.snn.thresholds.calibration}`),
    });
    expect(result.config).toMatchObject({ snnc: 'advanced', percentileOf: 'positive' });
    expect(result.results.map((r) => `${r.method}@${r.T}`)).toEqual(['if@1', 'if@3', 'if-permute@1', 'if-permute@3', 'tpp@1', 'tpp@3']);
    expect(converted.sort()).toEqual(['1/if/advanced', '1/tpp/advanced', '3/if/advanced', '3/tpp/advanced']);
  });
});
