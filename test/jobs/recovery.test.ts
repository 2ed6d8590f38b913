import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunResult } from '../../src-main/common/results';
import { isAlive } from '../../src-main/jobs/scheduler';
import type { WorkbenchService } from '../../src-main/service/service';
import { tppw, tppwAsync } from '../helpers/cli';
import { openService, registerMnistAndDemo, removeDir, study, tempDataDir, waitForJob } from '../helpers/workbench';

/**
 * Real job workers on a real data directory: a worker killed with SIGKILL in the middle of a run
 * loses only the unit in flight; the run resumes to the numbers of an uninterrupted one.
 */
let dir: string;
let service: WorkbenchService;
let ids: { datasetId: number; modelId: number };

beforeAll(async () => {
  dir = tempDataDir();
  service = openService(dir, { concurrency: 1 });
  ids = await registerMnistAndDemo(service);
}, 120_000);

afterAll(() => {
  service?.close();
  removeDir(dir);
});

const runArgs = () => ({ ...ids, limit: 400, calibration: 128, study: study({ methods: ['if', 'tpp', 'tpp-iid'], timesteps: [4, 8, 16], seeds: [0, 1, 2] }) });

/** What must match between two runs: everything measured (not the wall time). */
function measuredPart(r: RunResult) {
  const { wallMs: _wall, simulateMs: _simulation, ...rest } = r;
  return rest;
}

describe('job recovery', () => {
  it('kill -9 mid-run: database intact, finished units kept, job interrupted, resume gives the uninterrupted numbers', async () => {
    const started = await service.call('runs.start', runArgs());
    const runId = started.result!.conversionId!;
    // Wait until a few units are stored, then kill the worker process outright.
    let pid: number | null = null;
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(10)) {
      const run = await service.call('runs.show', { id: runId });
      pid = service.store.jobs.pid(started.id);
      if (run.unitsDone >= 3 && pid !== null) break;
      if (run.job.status !== 'queued' && run.job.status !== 'running') throw new Error(`run ended ${run.job.status} before it could be killed`);
    }
    expect(pid).not.toBeNull();
    process.kill(pid!, 'SIGKILL');
    while (isAlive(pid!)) await sleep(20);
    const before = await service.call('runs.show', { id: runId });
    expect(before.unitsDone).toBeGreaterThanOrEqual(3);
    expect(before.unitsDone).toBeLessThan(19);

    // "Restart": a new service on the same directory settles the dead worker's job.
    service.close();
    service = openService(dir, { concurrency: 1 });
    expect(service.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const after = await service.call('runs.show', { id: runId });
    expect(after.job.status).toBe('interrupted');
    expect(after.unitsDone).toBeGreaterThanOrEqual(before.unitsDone);
    expect(after.measured).toEqual(expect.arrayContaining([...before.measured]));

    await service.call('runs.resume', { id: runId });
    const resumed = await waitForJob(service, started.id);
    expect(resumed.status).toBe('succeeded');
    const logs = await service.call('jobs.logs', { id: started.id });
    expect(logs.map((l) => l.message)).toContainEqual(expect.stringMatching(new RegExp(`resuming: ${after.unitsDone} units already stored`)));
    const resumedRun = await service.call('runs.show', { id: runId });
    expect(resumedRun.unitsDone).toBe(19);

    const fresh = await service.call('runs.start', runArgs());
    expect((await waitForJob(service, fresh.id)).status).toBe('succeeded');
    const freshRun = await service.call('runs.show', { id: fresh.result!.conversionId! });
    expect(measuredPart(resumedRun.result!)).toEqual(measuredPart(freshRun.result!));
    expect(resumedRun.measured).toEqual(freshRun.measured);
  }, 300_000);

  it('cancel takes effect within a second, while progress with an ETA arrives at least every 500 ms', async () => {
    const started = await service.call('runs.start', { ...ids, limit: 2000, calibration: 128, study: study({ methods: ['tpp'], timesteps: [64], seeds: [0, 1, 2, 3] }) });
    const runId = started.result!.conversionId!;
    const samples: { at: number; key: string }[] = [];
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(25)) {
      const job = await service.call('jobs.show', { id: started.id });
      if (job.progress?.step === 'simulate') {
        samples.push({ at: performance.now(), key: `${job.progress.current}/${job.progress.etaMs}` });
        if (samples.length > 0 && performance.now() - samples[0]!.at > 2500) break;
      }
      if (job.status !== 'queued' && job.status !== 'running') throw new Error(`run ended ${job.status} early`);
    }
    const changes = samples.filter((s, i) => i === 0 || s.key !== samples[i - 1]!.key).map((s) => s.at);
    const gaps = changes.slice(1).map((t, i) => t - changes[i]!);
    expect(changes.length).toBeGreaterThan(4);
    expect(Math.max(...gaps)).toBeLessThan(500);
    const job = await service.call('jobs.show', { id: started.id });
    expect(job.progress!.etaMs).toBeGreaterThan(0);

    const pid = service.store.jobs.pid(started.id)!;
    const t0 = performance.now();
    const cancelled = await service.call('runs.cancel', { id: runId });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(cancelled.status).toBe('cancelled');
    for (const deadline = Date.now() + 5000; isAlive(pid) && Date.now() < deadline; ) await sleep(50);
    expect(isAlive(pid)).toBe(false);
    expect(service.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  }, 300_000);
});

/**
 * The moment of the kill does not matter: a worker killed a moment ago (SIGKILL or SIGTERM; not
 * yet reaped by its parent, or not even scheduled to die yet) leaves its run interrupted to
 * `runs show`, `runs cancel` and `runs resume` at once; racing resumes start one worker.
 */
describe('resume at once after a kill', () => {
  const quickArgs = () => ({ ...ids, limit: 64, calibration: 32, study: study({ methods: ['if', 'tpp'], timesteps: [4, 16], seeds: [0, 1] }) });
  let reference: { measured: unknown; result: RunResult };

  beforeAll(async () => {
    const fresh = await service.call('runs.start', quickArgs());
    expect((await waitForJob(service, fresh.id)).status).toBe('succeeded');
    const run = await service.call('runs.show', { id: fresh.result!.conversionId! });
    reference = { measured: run.measured, result: run.result! };
  }, 120_000);

  /** The pid of the worker once it holds the job (and `afterMs` more, for a kill later in the run). */
  async function workerOf(jobId: number, afterMs = 0): Promise<number> {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(5)) {
      const job = await service.call('jobs.show', { id: jobId });
      if (job.status !== 'queued' && job.status !== 'running') throw new Error(`job ${jobId} ended ${job.status} before it could be killed`);
      const pid = service.store.jobs.pid(jobId);
      if (job.status === 'running' && pid !== null) {
        await sleep(afterMs);
        return pid;
      }
    }
    throw new Error(`job ${jobId} was never claimed`);
  }

  async function expectReference(jobId: number, runId: number, against = reference): Promise<void> {
    const done = await waitForJob(service, jobId);
    expect(done.status).toBe('succeeded');
    const run = await service.call('runs.show', { id: runId });
    expect(run.measured).toEqual(against.measured);
    expect(measuredPart(run.result!)).toEqual(measuredPart(against.result));
    expect(service.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  }

  const workerStarts = (): number => {
    const log = join(dir, 'logs', 'workers.log');
    return existsSync(log) ? (readFileSync(log, 'utf8').match(/tppw job worker \d+ started/g) ?? []).length : 0;
  };

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`${signal}, then show, cancel and resume at once, three times in a row: interrupted every time; the result is the uninterrupted one`, async () => {
      const started = await service.call('runs.start', quickArgs());
      const runId = started.result!.conversionId!;
      for (let rep = 0; rep < 3; rep++) {
        const pid = await workerOf(started.id, 150 * rep);
        process.kill(pid, signal);
        if (rep === 1) {
          // Through the CLI, while this process (the worker's parent) is blocked and cannot reap it.
          const resumed = tppw(['runs', 'resume', String(runId), '--json', '--data-dir', dir]);
          expect(resumed.stderr).toBe('');
          expect(resumed.code).toBe(0);
          expect(JSON.parse(resumed.stdout)).toMatchObject({ id: started.id, status: 'queued' });
          continue;
        }
        expect((await service.call('runs.show', { id: runId })).job.status).toBe('interrupted');
        await expect(service.call('runs.cancel', { id: runId })).rejects.toThrow(`run ${runId} is interrupted, not queued or running`);
        expect((await service.call('runs.resume', { id: runId })).status).toBe('queued');
      }
      await expectReference(started.id, runId);
    }, 300_000);
  }

  it('three `tppw runs resume` racing each other, twice: one resumes, the others are told, one worker starts', async () => {
    // Two rounds with 1.5 s of watching in between: a study long enough to be still running then
    // (T up to 64, three seeds), against its own uninterrupted run.
    const longArgs = { ...quickArgs(), study: study({ methods: ['if', 'tpp'], timesteps: [4, 16, 64], seeds: [0, 1, 2] }) };
    const plain = await service.call('runs.start', longArgs);
    expect((await waitForJob(service, plain.id)).status).toBe('succeeded');
    const plainRun = await service.call('runs.show', { id: plain.result!.conversionId! });
    const longReference = { measured: plainRun.measured, result: plainRun.result! };
    const started = await service.call('runs.start', longArgs);
    const runId = started.result!.conversionId!;
    for (let round = 0; round < 2; round++) {
      process.kill(await workerOf(started.id, 200 * round), 'SIGKILL');
      const before = workerStarts();
      const racers = await Promise.all([0, 1, 2].map(() => tppwAsync(['runs', 'resume', String(runId), '--json', '--data-dir', dir])));
      expect(racers.map((r) => r.code).sort(), racers.map((r) => r.stderr).join(' | ')).toEqual([0, 2, 2]);
      for (const loser of racers.filter((r) => r.code !== 0)) {
        expect(loser.stderr).toMatch(new RegExp(`^tppw runs: run ${runId} is (queued|running): only interrupted, failed or cancelled runs resume\n$`));
      }
      // The winner's worker has started once it holds the job; give a surplus one time to show up.
      await workerOf(started.id);
      await sleep(1500);
      expect(workerStarts() - before).toBe(1);
    }
    await expectReference(started.id, runId, longReference);
  }, 300_000);
});
