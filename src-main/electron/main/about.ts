import type { RunDetail, RunRow, SystemInfo } from '../../common/contract';
import type { ServiceClient } from './service-client';

/**
 * Help → About: the versions of the app and of what it runs on, the data directory, and the
 * compute backend, read from the service like the Settings screen does (the last finished
 * run's backend; it is chosen per run).
 */
export interface AboutFacts {
  readonly app: string;
  readonly versions: { readonly electron?: string; readonly chrome?: string; readonly node?: string; readonly v8?: string };
  readonly info: SystemInfo | undefined;
  readonly backend: { readonly name: string; readonly runId: number } | undefined;
}

export async function aboutFacts(service: Pick<ServiceClient, 'call'>, app: string, versions: AboutFacts['versions']): Promise<AboutFacts> {
  const info = await service.call('system.info', {});
  const runs = await service.call('runs.list', { limit: 20 });
  const last = 'data' in runs ? (runs.data as RunRow[]).find((r) => r.job.status === 'succeeded') : undefined;
  const detail = last === undefined ? undefined : await service.call('runs.show', { id: last.id });
  const result = detail !== undefined && 'data' in detail ? (detail.data as RunDetail).result : null;
  return {
    app,
    versions,
    info: 'data' in info ? (info.data as SystemInfo) : undefined,
    backend: result && last ? { name: result.backend, runId: last.id } : undefined,
  };
}

export function aboutText(facts: AboutFacts): string {
  const { info, versions, backend } = facts;
  const lines = [`TPP Workbench ${facts.app}`, `Electron ${versions.electron ?? '?'} · Chromium ${versions.chrome ?? '?'} · Node.js ${versions.node ?? '?'} · V8 ${versions.v8 ?? '?'}`, ''];
  if (info) lines.push(`Data directory: ${info.dataDir}`, `Database schema version ${info.schemaVersion}; ${info.cores} CPU cores`);
  else lines.push('The workbench service does not answer.');
  lines.push(backend ? `Compute backend: ${backend.name} (used by run #${backend.runId})` : 'Compute backend: chosen when a run starts (tfjs-node-gpu with CUDA when it loads, else tfjs-node, else WebAssembly SIMD)');
  return lines.join('\n');
}
