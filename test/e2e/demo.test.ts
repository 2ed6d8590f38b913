import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src-main/common/results';
import { tppw } from '../helpers/cli';
import { REPO_ROOT } from '../helpers/fixtures';

/**
 * The embedded default end to end, checked against the numbers recorded in README.md.
 * Tolerances: IF is deterministic, so it may differ only by float rounding on another CPU
 * (0.3 points, three digits of the 1,000); the stochastic methods use fixed seeds and get
 * 2 points, a little more than the largest seed-to-seed spread README shows.
 */
function readmeTable(): Map<string, number> {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /<!-- demo-accuracy:start[^>]*-->([\s\S]*?)<!-- demo-accuracy:end -->/.exec(readme);
  if (block === null) throw new Error('README.md has no demo-accuracy table');
  const rows = block[1]!.trim().split('\n').map((line) => line.split('|').map((c) => c.trim()).filter((c) => c !== ''));
  const header = rows[0]!;
  const values = new Map<string, number>();
  for (const row of rows.slice(2)) {
    const method = row[0]!;
    for (let j = 1; j < header.length; j++) values.set(`${method}@${header[j]!.replace('T=', '')}`, Number(row[j]!.split('±')[0]));
  }
  return values;
}

describe('npm run demo', () => {
  it('reproduces the accuracy table in README.md', { timeout: 600_000 }, () => {
    const expected = readmeTable();
    expect(expected.size).toBe(28);
    const run = tppw(['demo', '--json'], {});
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as RunResult;
    expect(result.samples).toBe(1000);
    expect(result.ann.accuracy).toBeCloseTo(0.985, 3);
    // Every cell of the table, each exactly once: an empty or partial result cannot pass.
    expect(result.results.map((r) => `${r.method}@${r.T}`).sort()).toEqual([...expected.keys()].sort());
    for (const r of result.results) {
      const want = expected.get(`${r.method}@${r.T}`)!;
      const tolerance = r.method === 'if' ? 0.3 : 2;
      expect(Math.abs(100 * r.accuracy.mean - want), `${r.method} T=${r.T}: ${100 * r.accuracy.mean} vs README ${want}`).toBeLessThanOrEqual(tolerance);
    }
    console.log(`demo wall time ${(result.wallMs / 1000).toFixed(1)} s (README records 92 s on the development machine)`);
  });
});
