import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { makeRandom, sampleStreams } from '../../../src-main/common/random';
import type { NeuronKind } from '../../../src-main/common/snn';
import type { PermuteMode } from '../../../src-main/common/study';
import type { LayerTrace } from '../../../src-main/common/units';
import { GpuRunner } from '../../../src-main/engine/neurons/gpu/gpu-runner';
import type { GpuLimits } from '../../../src-main/engine/neurons/gpu/gpu-kernels';
import { runIfLayer } from '../../../src-main/engine/neurons/if-layer';
import type { Current, IfLayer, LayerRun } from '../../../src-main/engine/neurons/layer';
import { permuteSpikes } from '../../../src-main/engine/neurons/permute';
import { runTppLayer } from '../../../src-main/engine/neurons/tpp-layer';
import { useGpuBackend } from '../../helpers/gpu';

/**
 * The WGSL neuron kernels against the host kernels, bit for bit: spikes, and every trace sum
 * (spikes and first spikes per step, residual, conversion error, spikes per position) at every
 * checkpoint. Small odd layers, T = 1 and 32, exact-threshold inputs, per-channel thresholds,
 * the SNNC corrections, and binding limits lowered so that layers are chunked in time and in
 * neurons and dispatched in 2-D. On a software adapter these are slow: keep them tiny.
 */
const gpu = await useGpuBackend();

interface Case {
  readonly name: string;
  readonly neuron: NeuronKind;
  readonly permute?: PermuteMode;
  readonly layer: IfLayer;
  readonly current: Current;
  readonly checkpoints: readonly number[];
  readonly ann?: Float32Array;
}

const bits = (x: Float32Array): number[] => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));

function layerOf(overrides: Partial<IfLayer> & Pick<IfLayer, 'T' | 'B' | 'F'>): IfLayer {
  return { theta: Float32Array.of(0.75), v0: 'zero', shift: false, reset: 'subtract', ...overrides };
}

/** A current of dyadic and random values, some exactly at the threshold, some negative. */
function currentOf(layer: IfLayer, kind: Current['kind'], seed: number): Current {
  const random = makeRandom(seed);
  const n = (kind === 'temporal' ? layer.T : 1) * layer.B * layer.F;
  const data = Float32Array.from({ length: n }, (_, i) => {
    const th = layer.theta[i % layer.theta.length]!;
    switch (i % 5) {
      case 0:
        return th; // fires at once, exactly at θ
      case 1:
        return th / 2; // v = θ exactly every second step
      case 2:
        return -random() * th;
      default:
        return random() * 1.3 * th;
    }
  });
  return { kind, data };
}

function host(c: Case, keys: Uint32Array): LayerRun {
  switch (c.neuron) {
    case 'if': {
      if (c.permute === undefined) return runIfLayer(c.layer, c.current, c.checkpoints, c.ann);
      const run = runIfLayer(c.layer, c.current, [c.layer.T], c.ann);
      const permuted = permuteSpikes(run.spikes, run.counts, c.layer, c.layer.theta, c.permute, keys, run.trace);
      return { spikes: permuted.spikes, counts: run.counts, trace: permuted.trace };
    }
    case 'tpp':
    case 'tpp-iid':
      return runTppLayer(c.layer, c.current, c.neuron, keys, c.ann);
  }
}

async function compare(c: Case, limits: Partial<GpuLimits> = {}): Promise<void> {
  const { layer } = c;
  const keys = sampleStreams(7, 3, Int32Array.from({ length: layer.B }, (_, b) => 100 + b));
  const want = host(c, keys);
  const wantSpikes = want.spikes.slice();
  const positions = layer.positions ?? 1;
  const shape = positions === 1 ? [layer.F] : [positions, 1, layer.F / positions];
  const rows = c.current.kind === 'temporal' ? layer.T * layer.B : layer.B;
  const before = tf.memory().numTensors;
  const input = tf.tensor(c.current.data, [rows, ...shape]);
  const runner = new GpuRunner(limits);
  const out = runner.run({
    layer,
    neuron: c.neuron,
    input,
    temporal: c.current.kind === 'temporal',
    shape,
    checkpoints: c.checkpoints,
    ...(c.permute !== undefined ? { permute: c.permute } : {}),
    keys,
    ...(c.ann !== undefined ? { ann: c.ann } : {}),
  });
  input.dispose();
  const spikes = (await out.spikes.data()) as Float32Array;
  out.spikes.dispose();
  const trace = await out.trace;
  expect(tf.memory().numTensors).toBe(before);
  expect(bits(spikes)).toEqual(bits(wantSpikes));
  expectTrace(trace, want.trace);
}

function expectTrace(got: LayerTrace, want: LayerTrace): void {
  expect(got.samples).toBe(want.samples);
  expect(got.checkpoints).toEqual(want.checkpoints);
  for (const key of ['spikesPerStep', 'firstSpikesPerStep', 'residualSum', 'convErrorNum', 'convErrorDen', 'spikesPerPosition'] as const) {
    expect(Array.from(got[key]), key).toEqual(Array.from(want[key]));
  }
}

const annOf = (layer: IfLayer, seed: number): Float32Array => {
  const random = makeRandom(seed);
  return Float32Array.from({ length: layer.B * layer.F }, () => random() * 1.2 - 0.1);
};

function cases(T: number): Case[] {
  const small = layerOf({ T, B: 3, F: 37 });
  const perChannel = layerOf({ T, B: 2, F: 35, theta: Float32Array.of(0.5, 1, 0.25, 2, 0.75), positions: 7, v0: 'half', shift: true });
  const corrected = { ...perChannel, bias: Float32Array.of(0.125, -0.25, 0, 0.5, 0.0625), v0Offset: Float32Array.from({ length: 35 }, (_, f) => (f % 7) / 8 - 0.25) };
  const out: Case[] = [
    { name: 'IF subtract, static, anytime checkpoints', neuron: 'if', layer: small, current: currentOf(small, 'static', 1), checkpoints: [...new Set([1, Math.ceil(T / 3), T])], ann: annOf(small, 2) },
    { name: 'IF zero reset, temporal, per channel, v0 = θ/2, shift', neuron: 'if', layer: { ...perChannel, reset: 'zero' }, current: currentOf(perChannel, 'temporal', 3), checkpoints: [T], ann: annOf(perChannel, 4) },
    { name: 'IF with SNNC corrections', neuron: 'if', layer: corrected, current: currentOf(corrected, 'temporal', 5), checkpoints: [T] },
    { name: 'IF + Permute (neuron)', neuron: 'if', permute: 'neuron', layer: small, current: currentOf(small, 'static', 6), checkpoints: [T], ann: annOf(small, 7) },
    { name: 'IF + Permute (layer)', neuron: 'if', permute: 'layer', layer: perChannel, current: currentOf(perChannel, 'temporal', 8), checkpoints: [T] },
  ];
  for (const neuron of ['tpp', 'tpp-iid'] as const) {
    out.push(
      { name: `${neuron}, static`, neuron, layer: small, current: currentOf(small, 'static', 9), checkpoints: [T], ann: annOf(small, 10) },
      { name: `${neuron}, temporal, per channel, v0 = θ/2, shift`, neuron, layer: perChannel, current: currentOf(perChannel, 'temporal', 11), checkpoints: [T] },
      { name: `${neuron} with SNNC corrections`, neuron, layer: corrected, current: currentOf(corrected, 'static', 12), checkpoints: [T] },
    );
  }
  return out;
}

describe.skipIf(!gpu.ok)('WGSL neuron kernels equal the host kernels bit for bit', () => {
  for (const T of [1, 32]) {
    for (const c of cases(T)) it(`${c.name}, T = ${T}`, () => compare(c));
  }

  it('V = nθ exactly: TPP fires exactly n spikes on both', async () => {
    // θ = 0.5 and a static current of n·θ/T make ũ = n exactly.
    const T = 8;
    const layer = layerOf({ T, B: 1, F: 40, theta: Float32Array.of(0.5) });
    const data = Float32Array.from({ length: 40 }, (_, i) => ((i % 9) * 0.5) / T);
    await compare({ name: 'exact', neuron: 'tpp', layer, current: { kind: 'static', data }, checkpoints: [T] });
  });
});

describe.skipIf(!gpu.ok)('large layers: chunks under the binding limit and 2-D dispatches', () => {
  // 4,352-byte bindings hold 1,088 values, 1,024 after the alignment slack: B·F = 1,500 neurons do
  // not fit one row, so rows are split into chunks of 1,024 neurons; 2 workgroups per dimension
  // forces 2-D dispatches.
  const tiny: Partial<GpuLimits> = { bindingBytes: 4352, groupsPerDimension: 2 };
  const wide = layerOf({ T: 5, B: 4, F: 375, theta: Float32Array.of(0.5, 0.75, 1), positions: 125, v0: 'half' });
  // 111 neurons: 9 steps per chunk, so a window of steps starts at unaligned offsets.
  const tall = layerOf({ T: 21, B: 3, F: 37 });
  const both: [string, IfLayer][] = [['1,500 neurons', wide], ['111 neurons × 21 steps', tall]];
  for (const [label, layer] of both) {
    for (const neuron of ['if', 'tpp', 'tpp-iid'] as const) {
      it(`${neuron}, ${label}`, () =>
        compare({ name: label, neuron, layer, current: currentOf(layer, 'temporal', 13), checkpoints: neuron === 'if' ? [2, layer.T] : [layer.T], ann: annOf(layer, 14) }, tiny));
    }
    for (const permute of ['neuron', 'layer'] as const) {
      it(`IF + Permute (${permute}), ${label}`, () => compare({ name: label, neuron: 'if', permute, layer, current: currentOf(layer, 'static', 15), checkpoints: [layer.T] }, tiny));
    }
  }
});

describe.skipIf(!gpu.ok)('GPU errors fail the job', () => {
  it('a binding past the end of its buffer is a validation error, not zeros', async () => {
    const runner = new GpuRunner();
    const k = runner.kernels;
    const job = k.begin('broken');
    const small = job.own(k.storage(64));
    const chan = job.own(k.storage(8, Float32Array.of(1, 0)));
    const hist = job.own(k.storage(8));
    const params = Uint32Array.of(16, 0, 16, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 16, 0);
    const past = { buffer: small, offset: 0, size: 4096, at: 0 };
    job.dispatch('if', params, [past, past, past, past, past, { buffer: chan, offset: 0, size: 8, at: 0 }, { buffer: hist, offset: 0, size: 8, at: 0 }], 16);
    await expect(job.submit()).rejects.toThrow(/GPU error in the broken kernels/);
  });
});
