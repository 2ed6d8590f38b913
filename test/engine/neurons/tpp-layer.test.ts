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
    const run = runTppLayer(layer(8, 3), { kind: 'static', data: Float32Array.of(0, -0.25, -3) }, 'tpp', streams(1));
    expect(Array.from(run.counts)).toEqual([0, 0, 0]);
  });

  it('V ≥ Tθ gives T spikes, and the excess is the residual', () => {
    const run = runTppLayer(layer(8, 2, 0.5), { kind: 'static', data: Float32Array.of(0.5, 0.75) }, 'tpp', streams(1));
    expect(Array.from(run.counts)).toEqual([8, 8]);
    // V = 4 = Tθ exactly leaves 0; V = 6 leaves 2 = 4θ
    expect(run.trace.residualSum[0]).toBe(4);
  });

  it('V = nθ gives exactly n spikes, at uniformly random steps', () => {
    const T = 8;
    const n = 3;
    const F = 20000;
    // θ = 0.5, V = T·I = 1.5 = 3θ
    const run = runTppLayer(layer(T, F, 0.5), { kind: 'static', data: new Float32Array(F).fill(1.5 / T) }, 'tpp', streams(1, 7));
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
      const run = runTppLayer(layer(T, F), { kind: 'static', data: current }, 'tpp', streams(1, seed));
      for (let i = 0; i < F; i++) {
        const v = Math.min(T, T * current[i]!);
        expect(run.counts[i]).toBeGreaterThanOrEqual(Math.floor(v - 1e-4));
        expect(run.counts[i]).toBeLessThanOrEqual(Math.ceil(v + 1e-4));
      }
    }
  });

  it('phase 1 sums a temporal current, v0 and the shift', () => {
    // T = 4, θ = 1: currents 1, −1, 0.5, 0.5 sum to 1; v0 = 1/2 and shift 4·1/8 = 1/2 bring V to 2θ
    const run = runTppLayer({ T: 4, B: 1, F: 1, theta: Float32Array.of(1), v0: 'half', shift: true }, { kind: 'temporal', data: Float32Array.of(1, -1, 0.5, 0.5) }, 'tpp', streams(1));
    expect(run.counts[0]).toBe(2);
  });

  it('is reproducible per sample, whatever the batch around it', () => {
    const T = 8;
    const F = 64;
    const data = Float32Array.from({ length: 3 * F }, (_, i) => (i % 11) / 20);
    // Kernel outputs are views of a shared arena: keep a copy before the next run.
    const all = runTppLayer({ T, B: 3, F, theta: Float32Array.of(1), v0: 'zero', shift: false }, { kind: 'static', data }, 'tpp', sampleStreams(5, 2, Int32Array.of(10, 11, 12))).spikes.slice();
    const alone = runTppLayer({ T, B: 1, F, theta: Float32Array.of(1), v0: 'zero', shift: false }, { kind: 'static', data: data.subarray(F, 2 * F) }, 'tpp', sampleStreams(5, 2, Int32Array.of(11)));
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
    const run = runTppLayer(layer(T, F), { kind: 'static', data: new Float32Array(F).fill(p) }, 'tpp-iid', streams(1, 3));
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
    const run = runTppLayer(layer(6, 2), { kind: 'static', data: Float32Array.of(2, -1) }, 'tpp-iid', streams(1));
    expect(Array.from(run.counts)).toEqual([6, 0]);
  });
});

describe('TPP sequential law, pinned by exact enumeration', () => {
  /** Probability of every spike pattern (bit k − 1 set = a spike at step k) of the sequential rule
   * p_k = clip(u/((T − k + 1)θ), 0, 1), u −= θ·s_k, from u = V, by enumerating all 2^T patterns. */
  function patternLaw(T: number, V: number, theta: number): Float64Array {
    const law = new Float64Array(2 ** T);
    for (let pattern = 0; pattern < 2 ** T; pattern++) {
      let u = V;
      let p = 1;
      for (let k = 1; k <= T; k++) {
        const pk = Math.min(1, Math.max(0, u / ((T - k + 1) * theta)));
        const fired = (pattern >> (k - 1)) & 1;
        p *= fired ? pk : 1 - pk;
        if (fired) u -= theta;
      }
      law[pattern] = p;
    }
    return law;
  }

  const countLaw = (law: Float64Array, T: number): number[] => {
    const out = new Array<number>(T + 1).fill(0);
    law.forEach((p, pattern) => (out[bitCount(pattern)]! += p));
    return out;
  };
  const bitCount = (x: number): number => (x === 0 ? 0 : (x & 1) + bitCount(x >> 1));

  /** Largest |observed − expected| in binomial standard errors over the categories; a category
   * of probability 0 (or 1) that is observed (or missed) even once counts as infinitely far. */
  function worstZ(observed: readonly number[], law: readonly number[], F: number): number {
    let worst = 0;
    for (const [i, p] of law.entries()) {
      const se = Math.sqrt((F * p * (1 - p)));
      const diff = Math.abs(observed[i]! - F * p);
      worst = Math.max(worst, se > 1e-9 ? diff / se : diff > 0.5 ? Infinity : 0);
    }
    return worst;
  }

  /** F neurons with V = v (in units of θ = 0.5): the whole charge arrives at step 1 of a temporal
   * current, so V is exact in float32. Returns each neuron's spike pattern. */
  function patterns(T: number, v: number, F: number, seed: number, rule: 'tpp' | 'floor' = 'tpp'): Int32Array {
    const theta = 0.5;
    const out = new Int32Array(F);
    if (rule === 'floor') {
      // The deterministic rule the test must reject: ⌊V/θ⌋ spikes, at the first steps.
      out.fill(2 ** Math.min(T, Math.floor(v)) - 1);
      return out;
    }
    const data = new Float32Array(T * F);
    data.fill(v * theta, 0, F);
    const run = runTppLayer({ T, B: 1, F, theta: Float32Array.of(theta), v0: 'zero', shift: false }, { kind: 'temporal', data }, 'tpp', streams(1, seed));
    for (let i = 0; i < F; i++) for (let t = 0; t < T; t++) if (run.spikes[t * F + i] !== 0) out[i]! |= 1 << t;
    return out;
  }

  it('the enumeration gives the hand-derived law for T = 2, V = 1.5θ', () => {
    // p1 = 1.5/2 = 0.75; after a spike u = 0.5θ, p2 = 0.5; without one u = 1.5θ, p2 = clip(1.5) = 1.
    // P(n = 2) = 0.75·0.5 = 0.375; P(n = 1) = 0.75·0.5 + 0.25·1 = 0.625.
    const law = patternLaw(2, 1.5, 1);
    expect(Array.from(law)).toEqual([0, 0.375, 0.25, 0.375]);
    expect(countLaw(law, 2)).toEqual([0, 0.625, 0.375]);
  });

  const F = 40000;
  it.each([
    [2, 1.5],
    [3, 1.25],
    [4, 2.5],
    [4, 0.75],
    [5, 3.375],
    [6, 5.5],
  ])('count law and spike-pattern law match the enumeration within 5 standard errors (T = %i, V = %fθ)', (T, v) => {
    const law = patternLaw(T, v, 1);
    const counts = countLaw(law, T);
    const observedPatterns = new Array<number>(2 ** T).fill(0);
    const observedCounts = new Array<number>(T + 1).fill(0);
    for (const pattern of patterns(T, v, F, 11 + T)) {
      observedPatterns[pattern]!++;
      observedCounts[bitCount(pattern)]!++;
    }
    expect(worstZ(observedCounts, counts, F)).toBeLessThan(5);
    expect(worstZ(observedPatterns, Array.from(law), F)).toBeLessThan(5);
    // The check has the power to reject a rule that always fires ⌊V/θ⌋.
    const floorCounts = new Array<number>(T + 1).fill(0);
    for (const pattern of patterns(T, v, F, 0, 'floor')) floorCounts[bitCount(pattern)]!++;
    expect(worstZ(floorCounts, counts, F)).toBeGreaterThan(5);
  });

  it.each([
    [4, 2],
    [5, 3],
    [6, 1],
  ])('V = nθ: exactly n spikes on a uniformly random n-subset (T = %i, n = %i)', (T, n) => {
    const law = patternLaw(T, n, 1);
    const subsets = Array.from(law.keys()).filter((pattern) => bitCount(pattern) === n);
    // The enumeration itself says uniform over the C(T, n) subsets, zero elsewhere.
    for (const [pattern, p] of law.entries()) expect(p).toBeCloseTo(subsets.includes(pattern) ? 1 / subsets.length : 0, 12);
    const observed = new Array<number>(2 ** T).fill(0);
    for (const pattern of patterns(T, n, F, 5 + n)) observed[pattern]!++;
    expect(worstZ(observed, Array.from(law), F)).toBeLessThan(5);
  });
});
