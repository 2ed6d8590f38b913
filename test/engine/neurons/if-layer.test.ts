import { describe, expect, it } from 'vitest';
import { runIfLayer } from '../../../src-main/engine/neurons/if-layer';
import type { IfLayer } from '../../../src-main/engine/neurons/layer';
import { kernelArena } from '../../../src-main/engine/neurons/kernels/arena';

/** Steps (1-based) at which neuron i fired, from a T·N spike array. */
function spikeSteps(spikes: Float32Array, N: number, i: number): number[] {
  const steps: number[] = [];
  for (let t = 0; t < spikes.length / N; t++) if (spikes[t * N + i] !== 0) steps.push(t + 1);
  return steps;
}

const one = (overrides: Partial<IfLayer> = {}): IfLayer => ({ T: 6, B: 1, F: 1, theta: Float32Array.of(1), v0: 'zero', shift: false, reset: 'subtract', ...overrides });

// Currents are dyadic fractions, so every potential below is exact in float32.
describe('IF neuron: fixed traces', () => {
  it('subtract reset integrates, fires at v ≥ θ and keeps the remainder', () => {
    const run = runIfLayer(one(), { kind: 'static', data: Float32Array.of(0.625) }, [6]);
    // v: .625, 1.25→.25, .875, 1.5→.5, 1.125→.125, .75
    expect(spikeSteps(run.spikes, 1, 0)).toEqual([2, 4, 5]);
    expect(run.counts[0]).toBe(3);
    expect(run.trace.residualSum[0]).toBe(0.75);
  });

  it('zero reset drops the remainder', () => {
    const run = runIfLayer(one({ reset: 'zero' }), { kind: 'static', data: Float32Array.of(0.625) }, [6]);
    // v: .625, 1.25→0, .625, 1.25→0, .625, 1.25→0
    expect(spikeSteps(run.spikes, 1, 0)).toEqual([2, 4, 6]);
    expect(run.trace.residualSum[0]).toBe(0);
  });

  it('v0 = θ/2 starts half way', () => {
    const run = runIfLayer(one({ v0: 'half' }), { kind: 'static', data: Float32Array.of(0.375) }, [6]);
    // v: .875, 1.25→.25, .625, 1→0, .375, .75
    expect(spikeSteps(run.spikes, 1, 0)).toEqual([2, 4]);
  });

  it('fires exactly at v = θ', () => {
    const run = runIfLayer(one({ T: 4 }), { kind: 'static', data: Float32Array.of(0.5) }, [4]);
    expect(spikeSteps(run.spikes, 1, 0)).toEqual([2, 4]);
  });

  it('the shift adds θ/(2T) every step', () => {
    const run = runIfLayer(one({ T: 4, shift: true }), { kind: 'static', data: Float32Array.of(0.25) }, [4]);
    // per step .25 + 1/8: v .375, .75, 1.125→.125, .5
    expect(spikeSteps(run.spikes, 1, 0)).toEqual([3]);
  });

  it('spikes carry θ of their channel and per-channel thresholds apply by the last axis', () => {
    // B = 1, F = 4, C = 2: neurons 0, 2 use θ = 1; neurons 1, 3 use θ = 2.
    const layer = one({ T: 2, F: 4, theta: Float32Array.of(1, 2) });
    const run = runIfLayer(layer, { kind: 'temporal', data: Float32Array.of(1, 1, 0.5, 2, 0, 1, 0.5, 0) }, [2]);
    expect(Array.from(run.spikes)).toEqual([1, 0, 0, 2, 0, 2, 1, 0]);
    expect(Array.from(run.counts)).toEqual([1, 1, 1, 1]);
  });

  it('negative current never fires and never resets', () => {
    const run = runIfLayer(one(), { kind: 'static', data: Float32Array.of(-0.5) }, [6]);
    expect(run.counts[0]).toBe(0);
    expect(run.trace.residualSum[0]).toBe(0);
  });

  it('records the step histogram and first-spike histogram', () => {
    const layer = one({ T: 4, B: 2, F: 2 });
    const current = { kind: 'static' as const, data: Float32Array.of(1, 0.5, 0.25, 0) };
    const run = runIfLayer(layer, current, [4]);
    // neuron 0 every step; neuron 1 at 2, 4; neuron 2 at 4; neuron 3 never
    expect(Array.from(run.trace.spikesPerStep)).toEqual([1, 2, 1, 3]);
    expect(Array.from(run.trace.firstSpikesPerStep)).toEqual([1, 1, 0, 1]);
    expect(run.trace.samples).toBe(2);
    expect(run.trace.neurons).toBe(2);
  });
});

describe('IF anytime readout', () => {
  it('the sums at every checkpoint equal a separate run of that length', () => {
    const T = 16;
    const B = 3;
    const F = 50;
    const N = B * F;
    const current = new Float32Array(T * N);
    let s = 12345;
    for (let i = 0; i < current.length; i++) {
      s = (Math.imul(s, 1103515245) + 12345) | 0;
      current[i] = ((s >>> 8) / 2 ** 24) * 1.5 - 0.5;
    }
    const ann = Float32Array.from({ length: N }, (_, i) => (i % 7) / 5);
    const theta = Float32Array.of(0.8);
    const checkpoints = Array.from({ length: T }, (_, i) => i + 1);
    for (const reset of ['subtract', 'zero'] as const) {
      for (const v0 of ['zero', 'half'] as const) {
        const full = runIfLayer({ T, B, F, theta, v0, shift: false, reset }, { kind: 'temporal', data: current }, checkpoints, ann);
        const fullSpikes = full.spikes.slice(); // kernel outputs are arena views: copy before the next run
        for (const t of checkpoints) {
          const alone = runIfLayer({ T: t, B, F, theta, v0, shift: false, reset }, { kind: 'temporal', data: current.subarray(0, t * N) }, [t], ann);
          expect(fullSpikes.subarray(0, t * N)).toEqual(alone.spikes);
          expect(full.trace.residualSum[t - 1]).toBe(alone.trace.residualSum[0]);
          expect(full.trace.convErrorNum[t - 1]).toBe(alone.trace.convErrorNum[0]);
          expect(full.trace.convErrorDen[t - 1]).toBe(alone.trace.convErrorDen[0]);
          expect(Array.from(full.trace.spikesPerStep.subarray(0, t))).toEqual(Array.from(alone.trace.spikesPerStep));
        }
      }
    }
  });
});

describe('IF SIMD kernel against a scalar float32 oracle', () => {
  /** The METHODS.md rule, one neuron at a time, rounding to float32 after every operation. */
  function oracle(T: number, N: number, C: number, theta: Float32Array, cur: Float32Array, temporal: boolean, reset: 'subtract' | 'zero', v0: 'zero' | 'half', shift: boolean, corrections: { bias?: Float32Array; v0Offset?: Float32Array } = {}) {
    const f = Math.fround;
    const { bias, v0Offset } = corrections;
    const spikes = new Float32Array(T * N);
    const counts = new Array<number>(N).fill(0);
    const v = Array.from({ length: N }, (_, i) => f((v0 === 'half' ? f(theta[i % C]! / 2) : 0) + (v0Offset ? v0Offset[i % v0Offset.length]! : 0)));
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < N; i++) {
        const th = theta[i % C]!;
        const s = f((shift ? f(th / (2 * T)) : 0) + (bias ? bias[i % bias.length]! : 0));
        let vi = f(f(v[i]! + cur[(temporal ? t * N : 0) + i]!) + s);
        if (vi >= th) {
          spikes[t * N + i] = th;
          counts[i]!++;
          vi = reset === 'zero' ? 0 : f(vi - th);
        }
        v[i] = vi;
      }
    }
    return { spikes, counts };
  }

  it('matches bit for bit, including neuron counts that are not a multiple of 4', () => {
    let s = 99;
    const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) | 0), (s >>> 0) / 2 ** 32);
    for (const [B, F, C] of [[1, 7, 7], [3, 10, 2], [2, 12, 1], [5, 3, 3]] as const) {
      for (const temporal of [true, false]) {
        for (const reset of ['subtract', 'zero'] as const) {
          const T = 9;
          const N = B * F;
          const theta = Float32Array.from({ length: C }, () => 0.2 + rand());
          const cur = Float32Array.from({ length: (temporal ? T : 1) * N }, () => rand() - 0.3);
          const v0 = rand() < 0.5 ? 'zero' : 'half';
          const shift = rand() < 0.5;
          const run = runIfLayer({ T, B, F, theta, v0, shift, reset }, { kind: temporal ? 'temporal' : 'static', data: cur }, [T]);
          const want = oracle(T, N, C, theta, cur, temporal, reset, v0, shift);
          expect(run.spikes).toEqual(want.spikes);
          expect(Array.from(run.counts)).toEqual(want.counts);
        }
      }
    }
  });

  it('matches in place in tfjs\'s heap (wasm backend), with SNNC corrections, and across a heap growth', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    const { hostRunner } = await import('../../../src-main/engine/neurons/host-runner');
    const { useBackend } = await import('../../helpers/backend');
    await useBackend('wasm');
    let s = 5;
    const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) | 0), (s >>> 0) / 2 ** 32);
    // the last case's spikes (T·N·4 bytes = 64 MiB) do not fit the heap the earlier cases left:
    // allocating them grows it, which detaches every view taken before
    for (const [T, B, F, C] of [[7, 5, 12, 3], [4, 3, 8, 1], [1, 2, 4, 4], [32, 64, 8192, 16]] as const) {
      for (const temporal of [true, false]) {
        const N = B * F;
        const theta = Float32Array.from({ length: C }, () => 0.2 + rand());
        const bias = Float32Array.from({ length: C }, () => (rand() - 0.5) * 0.1);
        const v0Offset = Float32Array.from({ length: F }, () => (rand() - 0.5) * 0.2);
        const cur = Float32Array.from({ length: (temporal ? T : 1) * N }, () => rand() - 0.3);
        const input = tf.tensor(cur, [(temporal ? T : 1) * B, F]);
        const layer = { T, B, F, theta, v0: 'half', shift: true, reset: 'subtract', bias, v0Offset } as const;
        const run = hostRunner.run({ layer, neuron: 'if', input, temporal, shape: [F], checkpoints: [T], keys: new Uint32Array(B) });
        const want = oracle(T, N, C, theta, cur, temporal, 'subtract', 'half', true, { bias, v0Offset });
        const spikes = run.spikes.dataSync();
        let mismatches = 0;
        for (let i = 0; i < spikes.length; i++) if (spikes[i] !== want.spikes[i]) mismatches++;
        expect(mismatches, `T ${T}, B ${B}, F ${F}, ${temporal ? 'temporal' : 'static'}`).toBe(0);
        const trace = await run.trace;
        expect(trace.spikesPerStep.reduce((a, b) => a + b, 0)).toBe(want.counts.reduce((a, b) => a + b, 0));
        tf.dispose([input, run.spikes]);
      }
    }
  }, 60_000);
});

describe('IF SIMD kernel: padding lanes', () => {
  /** Per-step spike counts of the METHODS.md IF rule, one neuron at a time in float32. */
  function histogramOracle(T: number, N: number, theta: number, cur: Float32Array): number[] {
    const f = Math.fround;
    const hist = new Array<number>(T).fill(0);
    const v = new Array<number>(N).fill(0);
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < N; i++) {
        let vi = f(v[i]! + cur[t * N + i]!);
        if (vi >= theta) {
          hist[t]!++;
          vi = f(vi - theta);
        }
        v[i] = vi;
      }
    }
    return hist;
  }

  it('every row of the current has its padding lanes zeroed, whatever an earlier layer left in the arena', () => {
    // The arena is shared by all layers of a thread: an earlier layer may leave any value where
    // this layer's padding lanes (N ≤ i < ⌈N/4⌉·4 of each step's row) fall, here +∞, which
    // fires a lane whose θ is +∞.
    let s = 7;
    const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) | 0), (s >>> 0) / 2 ** 32);
    for (const [B, F] of [[1, 5], [3, 7], [5, 3], [3, 2], [7, 1]] as const) {
      const T = 6;
      const N = B * F;
      expect(N % 4).not.toBe(0);
      const arena = kernelArena();
      const words = 4 * T * Math.ceil(N / 4) * 4;
      arena.reserve([words * 4]);
      arena.f32(0, words).fill(Infinity);
      const cur = Float32Array.from({ length: T * N }, () => rand() * 0.8);
      const run = runIfLayer({ T, B, F, theta: Float32Array.of(0.5), v0: 'zero', shift: false, reset: 'subtract' }, { kind: 'temporal', data: cur }, [T]);
      expect(Array.from(run.trace.spikesPerStep)).toEqual(histogramOracle(T, N, 0.5, cur));
    }
  });
});

describe('the spike raster the host kernels keep', () => {
  it('holds sample 0 of the batch: evenly spaced neurons and the steps they fired, as worked out by hand', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    const { hostRunner } = await import('../../../src-main/engine/neurons/host-runner');
    const { useBackend } = await import('../../helpers/backend');
    await useBackend('wasm');
    // 2 samples × 4 neurons, θ = 1, T = 6; sample 0's currents 0.625, 0.25, 0.5, 0 and sample 1's
    // all 1 (it must not show). Subtract reset: .625 fires at 2, 4, 5; .25 at 4; .5 at 2, 4, 6.
    const input = tf.tensor(Float32Array.of(0.625, 0.25, 0.5, 0, 1, 1, 1, 1), [2, 4]);
    const run = hostRunner.run({ layer: { T: 6, B: 2, F: 4, theta: Float32Array.of(1), v0: 'zero', shift: false, reset: 'subtract' }, neuron: 'if', input, temporal: false, shape: [4], checkpoints: [6], keys: Uint32Array.of(1, 2) });
    const trace = await run.trace;
    expect(trace.raster).toEqual({ neurons: [0, 1, 2, 3], steps: [[2, 4, 5], [4], [2, 4, 6], []] });
    tf.dispose([input, run.spikes]);
  });
});
