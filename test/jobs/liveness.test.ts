import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { currentWorker, processStartTime, workerAlive } from '../../src-main/jobs/liveness';
import { WORKER_START_MS, dispatchJobs, isAlive, recoverJob, recoverJobs } from '../../src-main/jobs/scheduler';
import { openStore, type Store } from '../../src-main/store/store';
import { removeDir, tempDataDir } from '../helpers/workbench';

/**
 * A job's worker is alive or dead by its process, never by how recently it wrote progress: a
 * killed worker is dead the moment the signal is sent, a zombie is dead, a recycled pid is not
 * the worker. And racing dispatchers start one worker per queued job.
 */
const onLinux = process.platform === 'linux';
const children: ChildProcess[] = [];
const opened: Store[] = [];
const dirs: string[] = [];
afterEach(() => {
  children.splice(0).forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL'));
  opened.splice(0).forEach((s) => s.close());
  dirs.splice(0).forEach(removeDir);
});

/** A Node process as busy as a worker: a spinning main thread and a worker thread. */
async function busyNode(): Promise<ChildProcess & { pid: number }> {
  const child = spawn(process.execPath, ['-e', 'new (require("node:worker_threads").Worker)("for (;;);", { eval: true }); for (;;);'], { stdio: 'ignore' });
  children.push(child);
  await sleep(200);
  return child as ChildProcess & { pid: number };
}

function busyWait(ms: number): void {
  for (const end = performance.now() + ms; performance.now() < end; );
}

function store(dir = tempDataDir()): Store {
  if (!dirs.includes(dir)) dirs.push(dir);
  const s = openStore(dir);
  opened.push(s);
  return s;
}

describe.runIf(onLinux)('worker liveness (Linux: /proc)', () => {
  it('a worker is known by pid and start time: alive as itself, dead under a recycled pid', async () => {
    const child = await busyNode();
    const startedAt = processStartTime(child.pid);
    expect(startedAt).toMatch(/^\d+$/);
    expect(workerAlive({ pid: child.pid, startedAt })).toBe(true);
    expect(workerAlive({ pid: child.pid, startedAt: null })).toBe(true);
    expect(workerAlive({ pid: child.pid, startedAt: String(Number(startedAt) + 1) })).toBe(false);
    expect(currentWorker()).toEqual({ pid: process.pid, startedAt: processStartTime(process.pid) });
    expect(workerAlive(currentWorker())).toBe(true);
  });

  it('kill -9: dead the instant the signal is sent, three times out of three', async () => {
    for (let rep = 0; rep < 3; rep++) {
      const child = await busyNode();
      const worker = { pid: child.pid, startedAt: processStartTime(child.pid) };
      process.kill(child.pid, 'SIGKILL');
      // Asked at once, before the kernel has even scheduled the process to die.
      expect(workerAlive(worker)).toBe(false);
      expect(isAlive(child.pid)).toBe(false);
    }
  });

  it('a zombie (killed, not yet reaped by its busy parent) is dead, though signal 0 still reaches it', async () => {
    const child = await busyNode();
    process.kill(child.pid, 'SIGKILL');
    busyWait(300); // The event loop cannot reap the child meanwhile.
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'latin1');
    expect(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)).toBe('Z');
    expect(() => process.kill(child.pid, 0)).not.toThrow();
    expect(isAlive(child.pid)).toBe(false);
  });

  it('SIGTERM: dead within the resume grace, five times out of five', async () => {
    for (let rep = 0; rep < 5; rep++) {
      const child = await busyNode();
      const worker = { pid: child.pid, startedAt: processStartTime(child.pid) };
      process.kill(child.pid, 'SIGTERM');
      const t0 = performance.now();
      while (workerAlive(worker) && performance.now() - t0 < 50) await sleep(1);
      expect(workerAlive(worker)).toBe(false);
    }
  });
});

describe('settling dead workers and dispatching', () => {
  it('kill -9 of a claimed job\'s worker: recovered as interrupted at once, with no wait', async () => {
    const s = store();
    const id = s.jobs.create('run', {});
    const child = await busyNode();
    s.jobs.claimNext(child.pid, 2, processStartTime(child.pid));
    expect(recoverJobs(s)).toEqual([]);
    process.kill(child.pid, 'SIGKILL');
    expect(recoverJobs(s)).toEqual([id]);
    expect(s.jobs.get(id)!.status).toBe('interrupted');
    expect(s.jobs.worker(id)).toBeNull();
  });

  it('a settlement names the worker: a job meanwhile resumed and claimed by a new worker is left alone', () => {
    const s = store();
    const id = s.jobs.create('run', {});
    s.jobs.claimNext(999_991, 2, '123');
    const dead = s.jobs.worker(id)!;
    expect(dead).toEqual({ pid: 999_991, startedAt: '123' });
    // Another process settles and resumes it; a new worker takes it.
    expect(s.jobs.settle(id, dead, 'interrupted')).toBe(true);
    expect(s.jobs.requeue(id)).toBe(true);
    s.jobs.claimNext(process.pid, 2, processStartTime(process.pid));
    // The late settlement of the first worker changes nothing.
    expect(s.jobs.settle(id, dead, 'interrupted')).toBe(false);
    expect(s.jobs.get(id)!.status).toBe('running');
    expect(recoverJobs(s)).toEqual([]);
  });

  it('resume grace: a running job with a live worker stays running after the grace', async () => {
    const s = store();
    const id = s.jobs.create('run', {});
    s.jobs.claimNext(process.pid, 2, processStartTime(process.pid));
    const t0 = performance.now();
    expect(await recoverJob(s, id, 40)).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(35);
    expect(s.jobs.get(id)!.status).toBe('running');
  });

  it('two dispatchers racing over one queued job start one worker between them; a stale start is replaced', () => {
    const dir = tempDataDir();
    const [a, b] = [store(dir), store(dir)];
    const id = a.jobs.create('run', {});
    const started: string[] = [];
    const start = (name: string) => () => (started.push(name), -1);
    const t = 1_000_000;
    expect(dispatchJobs(a, 4, start('a'), t)).toBe(1);
    expect(dispatchJobs(b, 4, start('b'), t + 10)).toBe(0);
    expect(dispatchJobs(a, 4, start('a'), t + 20)).toBe(0);
    expect(started).toEqual(['a']);
    // The worker never claimed it (it died starting): the next dispatcher after the wait starts one.
    expect(dispatchJobs(b, 4, start('b'), t + WORKER_START_MS + 1)).toBe(1);
    expect(started).toEqual(['a', 'b']);
    // Claimed: nothing queued, nothing to start.
    a.jobs.claimNext(process.pid, 4);
    expect(dispatchJobs(b, 4, start('b'), t + 2 * WORKER_START_MS)).toBe(0);
    expect(a.jobs.get(id)!.status).toBe('running');
  });

  it('workers on their way count against the limit with the running jobs', () => {
    const s = store();
    for (let i = 0; i < 5; i++) s.jobs.create('model-import', { path: `/m${i}` });
    s.jobs.claimNext(process.pid, 10);
    expect(dispatchJobs(s, 3, () => -1, 5_000)).toBe(2);
    expect(dispatchJobs(s, 3, () => -1, 5_001)).toBe(0);
    expect(s.jobs.counts()).toEqual({ running: 1, queued: 4 });
  });
});
