import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEnvironment } from '../common/report/environment';

/**
 * Where a run's files live in the data directory, `artifacts/runs/<run>/`: the converted networks
 * it simulated (`snn.tppw`, or `snn.T<n>.tppw` when thresholds depend on T), `environment.json`
 * (the machine and versions it ran on), and what was exported from it (`exports/`).
 */
export function runFolder(runId: number): string {
  return join('artifacts', 'runs', String(runId));
}

export function snnArtifactPath(runId: number, timesteps: number | undefined): string {
  return join(runFolder(runId), timesteps === undefined ? 'snn.tppw' : `snn.T${timesteps}.tppw`);
}

export function environmentPath(runId: number): string {
  return join(runFolder(runId), 'environment.json');
}

export function readEnvironment(root: string, runId: number): RunEnvironment | null {
  const path = join(root, environmentPath(runId));
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunEnvironment;
  } catch {
    return null;
  }
}
