import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnistDataDir } from '../../src-main/datasets/demo-mnist';
import { REPO_ROOT } from '../helpers/fixtures';
import { tppwAsync } from '../helpers/cli';
import { DEMO_MODEL_FILE, removeDir, tempDataDir } from '../helpers/workbench';

/** The CLI over a data directory, as users run it: real processes, several at once. */
let dir: string;
beforeAll(() => {
  dir = tempDataDir();
});
afterAll(() => {
  chmodSync(dir, 0o755);
  removeDir(dir);
});

const cli = (args: readonly string[]) => tppwAsync([...args, '--data-dir', dir]);

describe('tppw datasets / models / runs', () => {
  it('three CLI processes on one fresh data directory at once: all succeed, nothing is corrupted', async () => {
    const onnx = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'onnx', 'cnn_gemm.onnx');
    const runs = await Promise.all([
      cli(['datasets', 'import', mnistDataDir(), '--name', 'mnist', '--json']),
      cli(['models', 'import', DEMO_MODEL_FILE, '--json']),
      cli(['models', 'import', onnx, '--json']),
      cli(['runs', 'list', '--json']),
    ]);
    for (const r of runs) expect(r.stderr.split('\n').filter((l) => /error/i.test(l))).toEqual([]);
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    expect(JSON.parse(runs[0]!.stdout)).toMatchObject({ name: 'mnist', samples: 70000, layout: 'mnist-idx' });
    expect(JSON.parse(runs[2]!.stdout)).toMatchObject({ format: 'onnx', name: 'cnn_gemm.onnx' });
    const models = JSON.parse((await cli(['models', 'list', '--json'])).stdout) as { format: string }[];
    expect(models.map((m) => m.format).sort()).toEqual(['onnx', 'tppw']);
    const db = new Database(join(dir, 'workbench.sqlite'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT COUNT(*) AS n FROM samples').get()).toEqual({ n: 70000 });
    db.close();
  }, 180_000);

  it('runs start --watch follows the run to its report; list, show and errors', async () => {
    const models = JSON.parse((await cli(['models', 'list', '--json'])).stdout) as { id: number; format: string }[];
    const demo = models.find((m) => m.format === 'tppw')!.id;
    const start = await cli(['runs', 'start', '--model', String(demo), '--dataset', '1', '--limit', '100', '--calibration', '64', '--timesteps', '2,4', '--method', 'if,tpp', '--seeds', '1', '--name', 'baseline', '--attribution', '4', '--watch', '--json']);
    expect(start.code, start.stderr).toBe(0);
    const run = JSON.parse(start.stdout);
    expect(run.job.status).toBe('succeeded');
    expect(run.result.results.map((r: { method: string; T: number }) => `${r.method}@${r.T}`)).toEqual(['if@2', 'if@4', 'tpp@2', 'tpp@4']);
    expect(run.name).toBe('baseline');
    // where accuracy goes at T = 4 on the demo CNN's 3 spiking layers: the ANN, 2 cuts, the SNN
    expect(run.result.attribution.rows.map((r: { accuracy: number[] }) => r.accuracy.length)).toEqual([4, 4]);
    // units: IF's anytime pass, TPP at 2 and 4, and 2 cuts × 2 methods, all stored
    expect([run.unitsDone, run.unitsPlanned]).toEqual([7, 7]);
    const list = await cli(['runs', 'list']);
    expect(list.stdout).toMatch(new RegExp(`^${run.id}\\s+baseline\\s+succeeded\\s.*\\s7/7\\s`, 'm'));
    const show = await cli(['runs', 'show', String(run.id)]);
    expect(show.stdout).toMatch(/accuracy %/);
    const missing = await cli(['runs', 'show', '99']);
    expect(missing).toMatchObject({ code: 2, stderr: 'tppw runs: there is no run 99\n' });
    const badId = await cli(['runs', 'cancel', 'abc']);
    expect(badId).toMatchObject({ code: 2, stderr: "tppw runs: runs cancel: 'abc' is not an ID (a positive integer)\n" });
    const finished = await cli(['runs', 'cancel', String(run.id)]);
    expect(finished).toMatchObject({ code: 2, stderr: `tppw runs: run ${run.id} is succeeded, not queued or running\n` });

    // Exports from the CLI: the file at --out and its copy under artifacts/, byte for byte.
    const csvPath = join(dir, 'results.csv');
    const csv = await cli(['runs', 'report', String(run.id), '--format', 'csv', '--table', 'results', '--out', csvPath]);
    expect(csv.code, csv.stderr).toBe(0);
    const kept = /also kept as (\S+),/.exec(csv.stdout)![1]!;
    expect(readFileSync(kept)).toEqual(readFileSync(csvPath));
    expect(readFileSync(csvPath, 'utf8').trim().split('\r\n')).toHaveLength(1 + 4); // header + 2 methods × 2 T × 1 seed
    const nirPath = join(dir, 'net.nir');
    const nir = await cli(['runs', 'export', String(run.id), '--to', 'nir', '--method', 'tpp', '--T', '4', '--out', nirPath]);
    expect(nir.code, nir.stderr).toBe(0);
    expect(nir.stderr).toMatch(/^note: tpp \(two-phase probabilistic neurons.*has no NIR primitive/m);
    expect([...readFileSync(nirPath).subarray(0, 4)]).toEqual([0x89, 0x48, 0x44, 0x46]);
    // Bad input: one line, exit 2, nothing written.
    expect(await cli(['runs', 'report', '99', '--format', 'html'])).toMatchObject({ code: 2, stderr: 'tppw runs: there is no run 99\n' });
    expect(await cli(['runs', 'export', String(run.id), '--to', 'nir', '--T', '3'])).toMatchObject({ code: 2, stderr: `tppw runs: run ${run.id} has no T = 3 (its time steps: 2, 4)\n` });
    const unwritable = await cli(['runs', 'report', String(run.id), '--format', 'html', '--out', join(csvPath, 'r.html')]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toMatch(/^tppw runs: .*results\.csv.*\n$/);
    expect(existsSync(join(csvPath, 'r.html'))).toBe(false);
    // A run not finished yet is not exported.
    const queued = await cli(['runs', 'start', '--model', String(demo), '--dataset', '1', '--limit', '100', '--timesteps', '64', '--method', 'tpp', '--seeds', '1', '--json']);
    const pending = JSON.parse(queued.stdout) as { result: { conversionId: number } };
    const early = await cli(['runs', 'report', String(pending.result.conversionId), '--format', 'json']);
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(new RegExp(`^tppw runs: run ${pending.result.conversionId} is (queued|running): export it once it has succeeded`));
    await cli(['runs', 'cancel', String(pending.result.conversionId)]);
  }, 240_000);

  it('a read-only data directory gives one clear error', async () => {
    const readOnly = join(dir, 'read-only');
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o555);
    // Permissions do not bind root: the CLI then runs as an unprivileged user.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const fresh = await tppwAsync(['datasets', 'list', '--data-dir', join(readOnly, 'workbench')], { HOME: readOnly }, asUser);
    expect(fresh.code).toBe(2);
    expect(fresh.stderr).toMatch(/^tppw datasets: data directory .*read-only\/workbench: permission denied\n$/);
    chmodSync(dir, 0o555);
    try {
      const existing = await tppwAsync(['datasets', 'list', '--data-dir', dir], { HOME: readOnly }, asUser);
      expect(existing.code).toBe(2);
      expect(existing.stderr).toMatch(/^tppw datasets: (data directory|database) .*(permission denied|read-only)/);
    } finally {
      chmodSync(dir, 0o755);
    }
  }, 60_000);
});
