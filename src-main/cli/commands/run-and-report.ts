import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Graph } from '../../common/ir/types';
import type { RunResult } from '../../common/results';
import type { ImageSet } from '../../datasets/image-set';
import { firstIndices } from '../../datasets/image-set';
import { seededSubset } from '../../datasets/subsets';
import { initBackend } from '../../engine/backend/select';
import { runExperiment } from '../../engine/experiment/run-experiment';
import { fileError, writeBytesAtomic } from '../../formats/node/files';
import { encodeModel } from '../../formats/model/tppw-model';
import type { SnnModel } from '../../common/snn';
import { progressPrinter } from '../progress';
import { formatRunReport } from '../report-table';
import type { RunSettings } from '../run-settings';

/** Writes a converted network; per-T conversions (SNNC) get `.T<n>` before the extension. */
function saveSnn(path: string, model: SnnModel, T: number | undefined): void {
  const target = T === undefined ? path : path.replace(/(\.[^./\\]+)?$/, (ext) => `.T${T}${ext}`);
  writeBytesAtomic(target, encodeModel(model), 'SNN model file');
}

/** Runs a conversion study with CLI settings and prints the table or the JSON. */
export async function runAndReport(args: {
  settings: RunSettings;
  graph: Graph;
  data: ImageSet;
  calibration: { set: ImageSet; indices: Int32Array; source: string };
  input?: 'static' | 'steps';
  extraWarnings?: readonly string[];
}): Promise<RunResult> {
  const { settings } = args;
  const backend = await initBackend(settings.backend);
  const progress = progressPrinter();
  let result: RunResult;
  try {
    result = await runExperiment({
      graph: args.graph,
      data: args.data,
      indices: settings.sampleSeed === undefined ? firstIndices(args.data, settings.limit) : seededSubset(args.data.count, settings.limit, settings.sampleSeed),
      calibration: args.calibration,
      methods: settings.methods,
      timesteps: settings.timesteps,
      seeds: settings.seeds,
      threshold: settings.threshold,
      perChannel: settings.perChannel,
      reset: settings.reset,
      v0: settings.v0,
      shift: settings.shift,
      encoding: settings.encoding,
      permute: settings.permute,
      maxPool: settings.maxPool,
      backend: backend.name,
      input: args.input ?? 'static',
      workers: settings.workers ?? (backend.name === 'tensorflow' ? 1 : availableParallelism()),
      onProgress: progress.update,
      ...(settings.saveSnn !== undefined ? { onConverted: (model, T) => saveSnn(settings.saveSnn!, model, T) } : {}),
    });
  } finally {
    progress.done();
  }
  if (args.extraWarnings?.length) result = { ...result, warnings: [...args.extraWarnings, ...result.warnings] };
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (settings.out !== undefined) {
    try {
      writeFileSync(settings.out, json);
    } catch (error) {
      throw fileError(error, settings.out, 'output file');
    }
  }
  process.stdout.write(settings.json ? json : `${formatRunReport(result)}\n`);
  return result;
}
