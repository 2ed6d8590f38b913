import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { version_core } from '@tensorflow/tfjs-core';
import type { RunEnvironment } from '../../common/report/environment';
import type { SnnModel } from '../../common/snn';
import { encodeModel } from '../../formats/model/tppw-model';
import { writeBytesAtomic } from '../../formats/node/files';
import { environmentPath, snnArtifactPath } from '../../store/run-files';
import type { Store } from '../../store/store';

/**
 * What a run keeps besides its measurements (paths in store/run-files.ts): every converted
 * network it simulated, so it can be exported later without running again, and the machine and
 * versions it ran on. The networks are rewritten identically when a run resumes (conversion is
 * deterministic); the environment is the one of the first start.
 */
export function storeConvertedNetwork(store: Store, conversionId: number, model: SnnModel, timesteps: number | undefined): void {
  const bytes = encodeModel(model);
  const path = snnArtifactPath(conversionId, timesteps);
  writeBytesAtomic(join(store.dir.root, path), bytes, 'converted network');
  store.artifacts.put({ kind: 'snn', path, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, owner: `run:${conversionId}` });
}

/** Written once, when the run first starts: a resumed run keeps the record of where it began. */
export function storeEnvironment(store: Store, conversionId: number, workbench: string): void {
  const path = environmentPath(conversionId);
  const absolute = join(store.dir.root, path);
  if (existsSync(absolute)) return;
  const cpu = cpus()[0]?.model.trim() ?? 'unknown';
  const environment: RunEnvironment = {
    os: `${type()} ${release()} (${process.platform} ${process.arch})`,
    cpu,
    cores: availableParallelism(),
    memoryBytes: totalmem(),
    node: process.version,
    workbench,
    tfjs: version_core,
    startedAt: new Date().toISOString(),
  };
  const text = `${JSON.stringify(environment, null, 2)}\n`;
  writeBytesAtomic(absolute, text, 'run environment');
  store.artifacts.put({ kind: 'environment', path, sha256: createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text), owner: `run:${conversionId}` });
}
