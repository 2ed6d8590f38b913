import { describe, expect, it } from 'vitest';
import { runIfLayer } from '../../../src-main/engine/neurons/if-layer';
import { permuteSpikes } from '../../../src-main/engine/neurons/permute';
import { sampleStreams } from '../../../src-main/common/random';

describe('Permute probe', () => {
  const T = 12;
  const B = 4;
  const F = 500;
  const N = B * F;
  const theta = Float32Array.of(1);
  const current = Float32Array.from({ length: N }, (_, i) => ((i * 37) % 101) / 100);
  const ifRun = runIfLayer({ T, B, F, theta, v0: 'zero', shift: false, reset: 'subtract' }, { kind: 'static', data: current }, [T]);
  const run = { ...ifRun, spikes: ifRun.spikes.slice() }; // kernel outputs are arena views
  const countOf = (spikes: Float32Array, i: number): number => {
    let n = 0;
    for (let t = 0; t < T; t++) if (spikes[t * N + i] !== 0) n++;
    return n;
  };

  for (const mode of ['neuron', 'layer'] as const) {
    it(`${mode}: keeps every neuron's count and spike value, and moves timing`, () => {
      const out = permuteSpikes(run.spikes, run.counts, { T, B, F }, theta, mode, sampleStreams(3, 0, Int32Array.from({ length: B }, (_, b) => b)), run.trace);
      let moved = 0;
      for (let i = 0; i < N; i++) expect(countOf(out.spikes, i)).toBe(run.counts[i]);
      for (let j = 0; j < out.spikes.length; j++) {
        expect([0, 1]).toContain(out.spikes[j]);
        if (out.spikes[j] !== run.spikes[j]) moved++;
      }
      expect(moved).toBeGreaterThan(N);
      // Counts-based sums carry over; the total number of spikes is unchanged.
      expect(out.trace.convErrorNum).toEqual(run.trace.convErrorNum);
      const total = (a: Float64Array): number => a.reduce((x, y) => x + y, 0);
      expect(total(out.trace.spikesPerStep)).toBe(total(run.trace.spikesPerStep));
    });
  }

  it('layer: one permutation of the steps per sample, shared by its neurons', () => {
    const out = permuteSpikes(run.spikes, run.counts, { T, B, F }, theta, 'layer', sampleStreams(9, 0, Int32Array.from({ length: B }, (_, b) => b)), run.trace);
    for (let b = 0; b < B; b++) {
      // Recover the permutation from the neurons and check they all agree: output step k must
      // equal input step π(k) for every neuron of the sample.
      for (let k = 0; k < T; k++) {
        const candidates = new Set<number>();
        for (let src = 0; src < T; src++) {
          let same = true;
          for (let f = 0; f < F && same; f++) same = out.spikes[k * N + b * F + f] === run.spikes[src * N + b * F + f];
          if (same) candidates.add(src);
        }
        expect(candidates.size).toBeGreaterThan(0);
      }
    }
  });

  it('neuron: spike positions are uniform over the window', () => {
    const Fb = 20000;
    const counts = new Uint16Array(Fb).fill(3);
    const spikes = new Float32Array(T * Fb);
    for (let i = 0; i < Fb; i++) for (let t = 0; t < 3; t++) spikes[t * Fb + i] = 1; // all at the start
    const trace = runIfLayer({ T, B: 1, F: Fb, theta, v0: 'zero', shift: false, reset: 'subtract' }, { kind: 'static', data: new Float32Array(Fb) }, [T]).trace;
    const out = permuteSpikes(spikes, counts, { T, B: 1, F: Fb }, theta, 'neuron', sampleStreams(4, 0, Int32Array.of(0)), trace);
    // 3/12 of neurons spike at each step: 5000 expected, sd ≈ 61
    for (const perStep of out.trace.spikesPerStep) expect(Math.abs(perStep - 5000)).toBeLessThan(5 * 61);
  });
});
