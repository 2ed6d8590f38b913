import { describe, expect, it } from 'vitest';
import type { NeuronLayer } from '../../../src-main/engine/neurons/layer';
import { sampleStreams } from '../../../src-main/common/random';
import { runTppLayer } from '../../../src-main/engine/neurons/tpp-layer';

const streams = (B: number, seed = 1): Uint32Array => sampleStreams(seed, 0, Int32Array.from({ length: B }, (_, i) => i));

/** One sample of F neurons; static current I gives V = T·I. */
function layer(T: number, F: number, theta = 1): NeuronLayer {
  return { T, B: 1, F, theta: Float32Array.of(theta), v0: 'zero', shift: false };
}

describe('TPP neuron (sequential rule): METHODS.md properties', () => {
  it('V ≤ 0 gives no spikes', () => {
    const run = runTppLayer(layer(8, 3), { kind: 'static', data: Float32Array.of(0, -0.25, -3) }, 'sequential', streams(1));
    expect(Array.from(run.counts)).toEqual([0, 0, 0]);
  });

  it('V ≥ Tθ gives T spikes, and the excess is the residual', () => {
    const run = runTppLayer(layer(8, 2, 0.5), { kind: 'static', data: Float32Array.of(0.5, 0.75) }, 'sequential', streams(1));
    expect(Array.from(run.counts)).toEqual([8, 8]);
    // V = 4 = Tθ exactly leaves 0; V = 6 leaves 2 = 4θ
    expect(run.trace.residualSum[0]).toBe(4);
  });

  it('V = nθ gives exactly n spikes, at uniformly random steps', () => {
    const T = 8;
    const n = 3;
    const F = 20000;
    // θ = 0.5, V = T·I = 1.5 = 3θ
    const run = runTppLayer(layer(T, F, 0.5), { kind: 'static', data: new Float32Array(F).fill(1.5 / T) }, 'sequential', streams(1, 7));
    expect(run.counts.every((c) => c === n)).toBe(true);
    // Each step holds a spike with probability n/T: 7500 expected, sd = sqrt(F·p·(1−p)) ≈ 68.
    for (const perStep of run.trace.spikesPerStep) expect(Math.abs(perStep - (F * n) / T)).toBeLessThan(5 * 68);
    // All C(8,3) = 56 placements equally likely: 357 expected each, sd ≈ 18.7; allow 6 sd.
    const placements = new Map<string, number>();
    for (let i = 0; i < F; i++) {
      const steps: number[] = [];
      for (let t = 0; t < T; t++) if (run.spikes[t * F + i] !== 0) steps.push(t);
      const key = steps.join(',');
      placements.set(key, (placements.get(key) ?? 0) + 1);
    }
    expect(placements.size).toBe(56);
    for (const count of placements.values()) expect(Math.abs(count - F / 56)).toBeLessThan(6 * 18.7);
  });

  it('otherwise the count is ⌊V/θ⌋ or ⌈V/θ⌉', () => {
    const T = 16;
    const F = 5000;
    const current = Float32Array.from({ length: F }, (_, i) => ((i + 0.5) / F) * 1.2); // V/θ in (0, 19.2)
    for (const seed of [1, 2, 3]) {
      const run = runTppLayer(layer(T, F), { kind: 'static', data: current }, 'sequential', streams(1, seed));
      for (let i = 0; i < F; i++) {
        const v = Math.min(T, T * current[i]!);
        expect(run.counts[i]).toBeGreaterThanOrEqual(Math.floor(v - 1e-4));
        expect(run.counts[i]).toBeLessThanOrEqual(Math.ceil(v + 1e-4));
      }
    }
  });

  it('phase 1 sums a temporal current, v0 and the shift', () => {
    // T = 4, θ = 1: currents 1, −1, 0.5, 0.5 sum to 1; v0 = 1/2 and shift 4·1/8 = 1/2 bring V to 2θ
    const run = runTppLayer({ T: 4, B: 1, F: 1, theta: Float32Array.of(1), v0: 'half', shift: true }, { kind: 'temporal', data: Float32Array.of(1, -1, 0.5, 0.5) }, 'sequential', streams(1));
    expect(run.counts[0]).toBe(2);
  });

  it('is reproducible per sample, whatever the batch around it', () => {
    const T = 8;
    const F = 64;
    const data = Float32Array.from({ length: 3 * F }, (_, i) => (i % 11) / 20);
    // Kernel outputs are views of a shared arena: keep a copy before the next run.
    const all = runTppLayer({ T, B: 3, F, theta: Float32Array.of(1), v0: 'zero', shift: false }, { kind: 'static', data }, 'sequential', sampleStreams(5, 2, Int32Array.of(10, 11, 12))).spikes.slice();
    const alone = runTppLayer({ T, B: 1, F, theta: Float32Array.of(1), v0: 'zero', shift: false }, { kind: 'static', data: data.subarray(F, 2 * F) }, 'sequential', sampleStreams(5, 2, Int32Array.of(11)));
    for (let t = 0; t < T; t++) {
      expect(all.subarray(t * 3 * F + F, t * 3 * F + 2 * F)).toEqual(alone.spikes.subarray(t * F, (t + 1) * F));
    }
  });
});

describe('TPP-iid variant', () => {
  it('draws a Binomial(T, V/(Tθ)) count: unbiased, with binomial variance', () => {
    const T = 10;
    const F = 20000;
    const p = 0.35;
    const run = runTppLayer(layer(T, F), { kind: 'static', data: new Float32Array(F).fill(p) }, 'iid', streams(1, 3));
    let sum = 0;
    let sq = 0;
    for (const c of run.counts) {
      sum += c;
      sq += c * c;
    }
    const mean = sum / F;
    const variance = sq / F - mean * mean;
    // E = T·p = 3.5 (standard error 0.0034), Var = T·p·(1−p) = 2.275
    expect(Math.abs(mean - T * p)).toBeLessThan(0.02);
    expect(Math.abs(variance - T * p * (1 - p))).toBeLessThan(0.1);
  });

  it('saturates at T spikes and stays silent for V ≤ 0', () => {
    const run = runTppLayer(layer(6, 2), { kind: 'static', data: Float32Array.of(2, -1) }, 'iid', streams(1));
    expect(Array.from(run.counts)).toEqual([6, 0]);
  });
});
