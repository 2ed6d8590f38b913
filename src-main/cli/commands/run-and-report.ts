import { availableParallelism } from 'node:os';
import type { Graph } from '../../common/ir/types';
import type { RunResult } from '../../common/results';
import type { NeuronKind, SnnModel } from '../../common/snn';
import type { StudyChoice } from '../../common/study';
import type { SampleSet } from '../../datasets/sample-set';
import { runStudy } from '../../engine/experiment/run-study';
import { prestartWorkers } from '../../engine/parallel/unit-pool';
import { writeBytesAtomic } from '../../formats/node/files';
import { encodeModel } from '../../formats/model/tppw-model';
import { snnToNir } from '../../formats/model/nir/from-ir';
import { encodeNirFile } from '../../formats/node/nir-file';
import { WORKBENCH_VERSION } from '../../common/version';
import { progressPrinter } from '../progress';
import { formatRunReport } from '../report-table';
import type { RunSettings } from '../run-settings';

/** Where a converted network goes; per-T conversions (SNNC) get `.T<n>` before the extension
 * (`snn.tppw` → `snn.T8.tppw`), SNNC-calibrated ones also their neuron kind (`snn.T8.tpp.tppw`). */
function snnTarget(path: string, T: number | undefined, neuron?: NeuronKind): string {
  const tag = `${T === undefined ? '' : `.T${T}`}${neuron === undefined ? '' : `.${neuron}`}`;
  return tag === '' ? path : path.replace(/(\.[^./\\]+)?$/, (ext) => `${tag}${ext}`);
}

/**
 * Writes the converted networks: `.tppw` as they come; a `.nir` path as NIR (the IF network: the
 * conversion's neurons), once the study has run (writing HDF5 is asynchronous). Its T is the
 * conversion's own, else the largest studied.
 */
async function saveSnns(path: string, converted: readonly { model: SnnModel; T: number | undefined; neuron?: NeuronKind }[], timesteps: readonly number[]): Promise<void> {
  for (const { model, T, neuron } of converted) {
    if (!path.toLowerCase().endsWith('.nir')) {
      writeBytesAtomic(snnTarget(path, T, neuron), encodeModel(model), 'SNN model file');
      continue;
    }
    const nir = snnToNir(model, { method: 'if', timesteps: T ?? Math.max(...timesteps), source: `TPP Workbench ${WORKBENCH_VERSION}, tppw convert` });
    writeBytesAtomic(snnTarget(path, T, neuron), await encodeNirFile(nir.file), 'NIR file');
  }
}

/**
 * Starts the simulation threads a study with these settings will use (runStudy's default count),
 * so that they start while the command loads its model and data. Host backends only, and wasm
 * for `auto` (what it resolves to without a GPU; a thread set up for another backend starts that
 * one then): Dawn is loaded by this thread before any other (two loading it at once crash), and
 * tfjs-node simulates in one thread.
 */
export function prestartSimulation(settings: RunSettings): void {
  const backend = settings.backend ?? 'auto';
  if (backend !== 'wasm' && backend !== 'cpu' && backend !== 'auto') return;
  const workers = settings.workers ?? availableParallelism();
  if (workers > 1) prestartWorkers(workers, backend === 'auto' ? 'wasm' : backend);
}

export interface StudyInputs {
  readonly settings: RunSettings;
  readonly graph: Graph;
  readonly data: SampleSet;
  readonly calibration: { set: SampleSet; indices: Int32Array; source: string };
  readonly input?: 'static' | 'steps';
  readonly warnings?: readonly string[];
}

/** One study with CLI settings through the one study runner, progress on stderr (`label` leads each line). */
export async function runWithSettings(
  args: StudyInputs,
  options: { study?: StudyChoice; label?: string; onConverted?: (model: SnnModel, T: number | undefined, neuron?: NeuronKind) => void } = {},
): Promise<RunResult> {
  const { settings } = args;
  const progress = progressPrinter();
  try {
    return await runStudy({
      graph: args.graph,
      study: options.study ?? settings.study,
      data: args.data,
      calibration: args.calibration,
      input: args.input ?? 'static',
      limit: settings.limit,
      sampleSeed: settings.sampleSeed,
      calibrationAsked: settings.calibration,
      backend: settings.backend,
      workers: settings.workers,
      warnings: args.warnings ?? [],
      onProgress: options.label === undefined ? progress.update : (p) => progress.update({ ...p, detail: `${options.label}${p.detail ? `  ${p.detail}` : ''}` }),
      ...(options.onConverted !== undefined ? { onConverted: options.onConverted } : {}),
    });
  } finally {
    progress.done();
  }
}

/** Runs a study with CLI settings (the one study runner), then prints the table or the JSON. */
export async function runAndReport(args: StudyInputs): Promise<RunResult> {
  const { settings } = args;
  const converted: { model: SnnModel; T: number | undefined; neuron?: NeuronKind }[] = [];
  const result = await runWithSettings(args, {
    ...(settings.saveSnn !== undefined ? { onConverted: (model: SnnModel, T: number | undefined, neuron?: NeuronKind) => void converted.push({ model, T, ...(neuron !== undefined ? { neuron } : {}) }) } : {}),
  });
  if (settings.saveSnn !== undefined) await saveSnns(settings.saveSnn, converted, settings.study.timesteps);
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (settings.out !== undefined) writeBytesAtomic(settings.out, json, '--out file');
  // An ANN at chance poisons every number after it: said on stderr too, where --json hides it.
  if (result.ann.sanityWarning !== undefined && settings.json) process.stderr.write(`warning: ${result.ann.sanityWarning}\n`);
  process.stdout.write(settings.json ? json : `${formatRunReport(result)}\n`);
  return result;
}
