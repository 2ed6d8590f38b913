import type { Graph } from '../../common/ir/types';
import type { RunResult } from '../../common/results';
import type { SnnModel } from '../../common/snn';
import type { SampleSet } from '../../datasets/sample-set';
import { runStudy } from '../../engine/experiment/run-study';
import { writeBytesAtomic } from '../../formats/node/files';
import { encodeModel } from '../../formats/model/tppw-model';
import { progressPrinter } from '../progress';
import { formatRunReport } from '../report-table';
import type { RunSettings } from '../run-settings';

/** Writes a converted network; per-T conversions (SNNC) get `.T<n>` before the extension
 * (`snn.tppw` → `snn.T8.tppw`). */
function saveSnn(path: string, model: SnnModel, T: number | undefined): void {
  const target = T === undefined ? path : path.replace(/(\.[^./\\]+)?$/, (ext) => `.T${T}${ext}`);
  writeBytesAtomic(target, encodeModel(model), 'SNN model file');
}

/** Runs a study with CLI settings (the one study runner), then prints the table or the JSON. */
export async function runAndReport(args: {
  settings: RunSettings;
  graph: Graph;
  data: SampleSet;
  calibration: { set: SampleSet; indices: Int32Array; source: string };
  input?: 'static' | 'steps';
  warnings?: readonly string[];
}): Promise<RunResult> {
  const { settings } = args;
  const progress = progressPrinter();
  let result: RunResult;
  try {
    result = await runStudy({
      graph: args.graph,
      study: settings.study,
      data: args.data,
      calibration: args.calibration,
      input: args.input ?? 'static',
      limit: settings.limit,
      sampleSeed: settings.sampleSeed,
      calibrationAsked: settings.calibration,
      backend: settings.backend,
      workers: settings.workers,
      warnings: args.warnings ?? [],
      onProgress: progress.update,
      ...(settings.saveSnn !== undefined ? { onConverted: (model: SnnModel, T: number | undefined) => saveSnn(settings.saveSnn!, model, T) } : {}),
    });
  } finally {
    progress.done();
  }
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (settings.out !== undefined) writeBytesAtomic(settings.out, json, '--out file');
  // An ANN at chance poisons every number after it: said on stderr too, where --json hides it.
  if (result.ann.sanityWarning !== undefined && settings.json) process.stderr.write(`warning: ${result.ann.sanityWarning}\n`);
  process.stdout.write(settings.json ? json : `${formatRunReport(result)}\n`);
  return result;
}
