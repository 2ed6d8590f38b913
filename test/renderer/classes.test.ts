import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src-main/common/results';
import { classBreakdown } from '../../src-renderer/results/classes';

/** Per-class accuracy from confusion counts, checked against numbers worked out by hand. */
describe('per-class accuracy', () => {
  // 3 classes, 4 + 2 + 0 samples. ANN: class 0 right 3 of 4, class 1 right 2 of 2.
  // SNN (2 seeds pooled, so rows hold 8 and 4): class 0 right 4 of 8, class 1 right 1 of 4.
  const result = {
    ann: { accuracy: 5 / 6, macs: 0, energyPj: 0, confusion: [3, 1, 0, 0, 2, 0, 0, 0, 0] },
    results: [{ method: 'tpp', T: 4, seeds: 2, confusion: [4, 3, 1, 2, 1, 1, 0, 0, 0] }],
  } as unknown as RunResult;

  it('gives each class with samples its ANN and SNN accuracy', () => {
    const b = classBreakdown(result, 'tpp', 4)!;
    expect(b.classes).toBe(3);
    expect(b.seeds).toBe(2);
    expect(b.rows).toEqual([
      { label: 0, samples: 4, ann: 0.75, snn: 0.5 },
      { label: 1, samples: 2, ann: 1, snn: 0.25 },
    ]);
  });

  it('says nothing for a (method, T) without counts', () => {
    expect(classBreakdown(result, 'tpp', 8)).toBeUndefined();
    expect(classBreakdown({ ...result, ann: { ...result.ann, confusion: undefined } } as unknown as RunResult, 'tpp', 4)).toBeUndefined();
  });
});
