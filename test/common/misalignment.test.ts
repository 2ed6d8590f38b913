import { describe, expect, it } from 'vitest';
import { misalignmentArms, misalignmentMarkdown, misalignmentTable, misalignmentTables } from '../../src-main/common/misalignment';
import type { RunResult } from '../../src-main/common/results';
import { tppw } from '../helpers/cli';
import { HAVE_FIXTURES, MNIST_TEST_IMAGES, MNIST_TEST_LABELS } from '../helpers/fixtures';

/** Only what the table reads: the time steps, the ANN and each (method, T)'s per-seed accuracies and latency. */
function run(v0: 'zero' | 'half', rows: [method: string, T: number, perSeed: number[], latency: number][]): RunResult {
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    ann: { accuracy: 0.99 },
    config: { timesteps: [...new Set(rows.map((r) => r[1]))], v0, threshold: 'p99.9', methods: [...new Set(rows.map((r) => r[0]))] },
    results: rows.map(([method, T, perSeed, latencySteps]) => ({ method, T, perSeed, accuracy: { mean: mean(perSeed), std: 0 }, latencySteps })),
  } as unknown as RunResult;
}

describe('the misalignment study', () => {
  it('has one arm per threshold, calibration and v0, with the methods the paper compares', () => {
    const arms = misalignmentArms({ timesteps: [1, 2], seeds: [0, 1], thresholds: [{ kind: 'percentile', percentile: 99.9 }, { kind: 'snnc' }], snnc: 'light', base: { perChannel: false, reset: 'subtract', shift: false, encoding: 'direct', permute: 'neuron', maxPool: 'refuse' } });
    expect(arms.map((a) => `${a.block} | ${a.v0} | ${a.study.methods.join(',')} | ${a.study.snnc}`)).toEqual([
      'thresholds p99.9, no calibration | zero | if,if-permute,tpp,tpp-iid | none',
      'thresholds p99.9, no calibration | half | if,if-permute | none',
      'thresholds p99.9, SNNC light calibration | zero | if,if-permute,tpp,tpp-iid | light',
      'thresholds p99.9, SNNC light calibration | half | if,if-permute | light',
      'thresholds snnc, no calibration | zero | if,if-permute,tpp,tpp-iid | none',
      'thresholds snnc, no calibration | half | if,if-permute | none',
      'thresholds snnc, SNNC light calibration | zero | if,if-permute,tpp,tpp-iid | light',
      'thresholds snnc, SNNC light calibration | half | if,if-permute | light',
    ]);
  });

  it('takes differences seed by seed: mean and sample std worked by hand', () => {
    const zero = run('zero', [
      ['if', 4, [0.5], 4],
      ['if-permute', 4, [0.6, 0.7], 4],
      ['tpp', 4, [0.9, 0.8], 12],
      ['tpp-iid', 4, [0.7, 0.7], 12],
    ]);
    const half = run('half', [
      ['if', 4, [0.85], 4],
      ['if-permute', 4, [0.8, 0.9], 4],
    ]);
    const [row] = misalignmentTable('block', zero, half).rows;
    // IF+P − IF: 0.1, 0.2 → mean 0.15, std √((0.05² + 0.05²)/1) = 0.0707.
    expect(row!.permute0Gain!.mean).toBeCloseTo(0.15, 10);
    expect(row!.permute0Gain!.std).toBeCloseTo(0.0707107, 6);
    // TPP − IF(θ/2): 0.05, −0.05 → mean 0, std 0.0707.
    expect(row!.tppGainHalf!.mean).toBeCloseTo(0, 10);
    expect(row!.tppGainHalf!.std).toBeCloseTo(0.0707107, 6);
    expect(row!.tppIidGain0).toEqual({ mean: expect.closeTo(0.2, 10), std: 0 });
    expect([row!.latencyIf, row!.latencyTpp]).toEqual([4, 12]);
    const markdown = misalignmentMarkdown(misalignmentTable('block', zero, half));
    expect(markdown.split('\n')[2]!.split('|').length).toBe(markdown.split('\n')[3]!.split('|').length);
    // IF+P θ/2 − IF θ/2: −0.05, 0.05; TPP − IF: 0.4, 0.3; TPP-iid − IF: 0.2, 0.2.
    expect(markdown).toContain('| 4 | 50.0 | 65.0 | +15.0 ± 7.1 | 85.0 | 85.0 | +0.0 ± 7.1 | 85.0 | +35.0 ± 7.1 | +0.0 ± 7.1 | 70.0 | +20.0 | 4 / 12 |');
  });

  it('groups compared runs into a block only where a v0 = 0 run has its θ/2 twin', () => {
    const zero = run('zero', [['if', 4, [0.5], 4], ['tpp', 4, [0.9], 12]]);
    const half = run('half', [['if', 4, [0.8], 4]]);
    expect(misalignmentTables([zero])).toEqual([]);
    const [table] = misalignmentTables([half, zero]);
    expect(table!.block).toBe('thresholds p99.9, no calibration');
    expect([table!.rows[0]!.if0!.mean, table!.rows[0]!.ifHalf!.mean]).toEqual([0.5, 0.8]);
  });

  it.skipIf(!HAVE_FIXTURES)('runs from the CLI, and refuses the options its arms decide', () => {
    const base = ['study', 'misalignment', '--model', 'assets/demo/mnist-cnn.tppw', '--images', MNIST_TEST_IMAGES, '--labels', MNIST_TEST_LABELS, '--limit', '20', '--calibration', '32', '--seeds', '2', '--timesteps', '1,2', '--thresholds', 'p99.9'];
    const refused = tppw([...base, '--method', 'if']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^tppw study: study misalignment: unknown option --method/);
    expect(tppw(['study', 'nonsense']).stderr).toMatch(/unknown study 'nonsense' \(studies: misalignment\)/);
    const r = tppw([...base, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { tables: { block: string; rows: { T: number }[] }[]; runs: unknown[] };
    expect(out.tables.map((t) => t.block)).toEqual(['thresholds p99.9, no calibration', 'thresholds p99.9, SNNC light calibration']);
    expect(out.tables.every((t) => t.rows.map((row) => row.T).join() === '1,2')).toBe(true);
    expect(out.runs).toHaveLength(4);
  }, 300_000);
});
