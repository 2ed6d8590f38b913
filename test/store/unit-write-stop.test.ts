import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunStart } from '../../src-main/common/contract';
import { openStore, type Store } from '../../src-main/store/store';
import { REPO_ROOT } from '../helpers/fixtures';
import { WRITER_CHECKPOINTS, WRITER_NODES, writerUnit } from '../helpers/unit-writer';
import { removeDir, study, tempDataDir } from '../helpers/workbench';

/**
 * A worker stopped while it writes a unit (SIGKILL, or SIGTERM, which a worker does not catch):
 * the unit is stored whole or not at all, the units before it stay whole, the database is sound.
 */
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));

const config: RunStart = { modelId: 1, datasetId: 1, study: study() as RunStart['study'], limit: 10, calibration: 8, input: 'static' };
const ROWS_PER_UNIT = WRITER_CHECKPOINTS.length * WRITER_NODES.length;

function seed(s: Store): number {
  s.datasets.insert({ name: 'd', path: '/data/d', kind: 'images', layout: 'mnist-idx', classes: ['0', '1'], shape: [28, 28, 1], sensor: null }, [{ file: 'a', record: 0, label: 0, split: 'test' }]);
  const summary = { name: 'm', input: { name: 'x', shape: [28, 28, 1] }, output: { name: 'y', shape: [2] }, preprocessing: null, nodes: [], totals: { nodes: 1, params: 10, macs: 20, spikingLayers: 1 }, warnings: [] };
  s.models.insert({ name: 'm', sourcePath: '/m.onnx', format: 'onnx', sha256: 'ab', artifact: 'artifacts/models/ab.tppw', summary });
  return s.conversions.create(s.jobs.create('run', config), config);
}

/** Runs the writer until it stalls at layer row `stallAt`, then stops it with `signal`. */
function writeAndStop(dir: string, conversionId: number, stallAt: number, signal: NodeJS.Signals): Promise<{ out: string; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'helpers', 'unit-writer.ts'), dir, String(conversionId), '3', String(stallAt)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (out.includes('stalled')) child.kill(signal);
    });
    child.on('exit', (_code, sig) => resolve({ out, signal: sig }));
  });
}

describe('a stop while a unit is being written', () => {
  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    for (const [where, stallAt] of [['in the middle of its rows', ROWS_PER_UNIT + 5], ['after its last row', 2 * ROWS_PER_UNIT]] as const) {
      it(`${signal} ${where}: that unit is not stored at all, the one before is whole`, async () => {
        const dir = tempDataDir();
        dirs.push(dir);
        const before = openStore(dir);
        const conversionId = seed(before);
        before.close();

        const stopped = await writeAndStop(dir, conversionId, stallAt, signal);
        expect(stopped.out).toBe('stored 0\nstalled\n');
        expect(stopped.signal).toBe(signal);

        const s = openStore(dir);
        try {
          expect(s.db.pragma('integrity_check', { simple: true })).toBe('ok');
          const count = (sql: string): number => (s.db.prepare(sql).get(conversionId) as { n: number }).n;
          expect(count('SELECT COUNT(*) AS n FROM results WHERE conversion_id = ?')).toBe(WRITER_CHECKPOINTS.length);
          expect(count('SELECT COUNT(*) AS n FROM layer_metrics WHERE result_id IN (SELECT id FROM results WHERE conversion_id = ?)')).toBe(ROWS_PER_UNIT);
          expect(s.conversions.unitsDone(conversionId)).toBe(1);
          expect(s.conversions.storedOutcome(conversionId, writerUnit(1))).toBeUndefined();
          const whole = s.conversions.storedOutcome(conversionId, writerUnit(0))!;
          expect(whole.correct).toEqual([0, 1, 2, 3]);
          expect(whole.traces.map((t) => [...t.keys()])).toEqual(WRITER_CHECKPOINTS.map(() => WRITER_NODES));
          expect(Array.from(whole.traces[3]!.get('dense1')!.spikesPerStep)).toEqual(Array.from({ length: 8 }, (_, t) => t + 2 / 3));
        } finally {
          s.close();
        }
      }, 60_000);
    }
  }
});
