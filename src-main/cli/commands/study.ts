import { invalidArgument } from '../../common/errors';
import {
  FULL_SWEEP_TIMESTEPS,
  MISALIGNMENT_THRESHOLDS,
  MISALIGNMENT_TIMESTEPS,
  misalignmentArms,
  misalignmentMarkdown,
  misalignmentTables,
  type MisalignmentTable,
} from '../../common/misalignment';
import type { RunResult } from '../../common/results';
import { parseThresholdMethod, type ThresholdMethod } from '../../common/snn';
import { writeBytesAtomic } from '../../formats/node/files';
import { loadModelFile } from '../../formats/node/load-model';
import { Options, parseArgs, type OptionKind } from '../args';
import { DATA_OPTIONS, DATA_USAGE, openDataSource } from '../data-source';
import { RUN_OPTIONS, readRunSettings } from '../run-settings';
import { prestartSimulation, runWithSettings } from './run-and-report';

export const STUDY_USAGE = `tppw study misalignment --model FILE (--images PATH --labels PATH | --dataset PATH) [options]
  The paper's comparison (Bojković, Wu & Gu, ICML 2025) in one command: for each threshold method,
  without and with SNNC calibration, IF and IF+Permute at v0 = 0 and at θ/2, TPP and TPP-iid
  (v0 = 0), on the same samples and seeds; then one table per threshold and calibration of the
  accuracies and their differences (percentage points, ± std over seeds) with end-to-end latencies.
${DATA_USAGE}
  --thresholds LIST          threshold methods compared (default p99.9,snnc)
  --snnc light|advanced      the calibrated arm's SNNC mode (default light)
  --timesteps LIST           window lengths (default 1,2,3,4,5,6,7,8)
  --full                     also the sweep 1,2,4,8,16,32,64
  --seeds N                  seeds 0..N-1 (default 3)
  --limit N, --sample-seed S, --calibration N, --per-channel, --reset, --shift, --encoding,
  --permute, --maxpool, --percentile-of, --backend, --workers   as for tppw convert
  --json                     the tables (and every run's result) as one JSON object
  --out FILE                 also write that JSON to FILE`;

/** The options of convert that the arms decide themselves are not taken. */
const ARM_DECIDES = new Set(['method', 'threshold', 'v0', 'save-snn']);

export async function studyCommand(argv: readonly string[]): Promise<void> {
  const [kind, ...rest] = argv;
  if (kind !== 'misalignment') throw invalidArgument(`study: ${kind === undefined ? 'name the study' : `unknown study '${kind}'`} (studies: misalignment)`);
  const declared: Record<string, OptionKind> = {
    ...Object.fromEntries(Object.entries(RUN_OPTIONS).filter(([name]) => !ARM_DECIDES.has(name))),
    ...DATA_OPTIONS,
    model: 'string',
    weights: 'string',
    thresholds: 'string',
    full: 'flag',
  };
  const parsed = parseArgs(rest, declared, 'study misalignment');
  if (parsed.positionals.length > 0) throw invalidArgument(`study misalignment: unexpected argument '${parsed.positionals[0]}'`);
  const o = new Options(parsed, 'study misalignment');
  const settings = readRunSettings(o, { limit: 1000, seeds: 3, calibration: 256 });
  const thresholds = thresholdList(o.string('thresholds'));
  const asked = o.string('timesteps') !== undefined ? settings.study.timesteps : MISALIGNMENT_TIMESTEPS;
  const timesteps = [...new Set([...asked, ...(o.flag('full') ? FULL_SWEEP_TIMESTEPS : [])])].sort((a, b) => a - b);
  const snnc = settings.study.snnc === undefined || settings.study.snnc === 'none' ? 'light' : settings.study.snnc;
  const { study } = settings;
  const arms = misalignmentArms({
    timesteps,
    seeds: study.seeds,
    thresholds,
    snnc,
    base: { perChannel: study.perChannel, reset: study.reset, shift: study.shift, encoding: study.encoding, permute: study.permute, maxPool: study.maxPool, percentileOf: study.percentileOf },
  });
  prestartSimulation(settings);
  const { graph } = await loadModelFile(o.required('model'), { weights: o.string('weights') });
  const source = openDataSource(o, graph, settings);
  const inputs = { settings, graph, data: source.data, calibration: source.calibration, input: source.input, warnings: source.warnings };

  const runs: { block: string; v0: string; result: RunResult }[] = [];
  for (const [i, arm] of arms.entries()) {
    const label = `arm ${i + 1}/${arms.length}: ${arm.block}, v0 ${arm.v0 === 'half' ? 'θ/2' : '0'}`;
    runs.push({ block: arm.block, v0: arm.v0, result: await runWithSettings(inputs, { study: arm.study, label }) });
  }
  const tables: MisalignmentTable[] = misalignmentTables(runs.map((r) => r.result));
  const first = runs[0]!.result;
  const warnings = [...new Set(runs.flatMap((r) => r.result.warnings))];
  const json = `${JSON.stringify({ model: first.model, dataset: first.dataset, samples: first.samples, seeds: study.seeds.length, tables, warnings, runs }, null, 2)}\n`;
  if (settings.out !== undefined) writeBytesAtomic(settings.out, json, '--out file');
  if (first.ann.sanityWarning !== undefined && settings.json) process.stderr.write(`warning: ${first.ann.sanityWarning}\n`);
  if (settings.json) {
    process.stdout.write(json);
    return;
  }
  const head = `${first.model} on ${first.dataset}: ${first.samples} samples, ${study.seeds.length} seed${study.seeds.length > 1 ? 's' : ''}; accuracy in %, Δ in percentage points (± std over seeds); latency in steps`;
  process.stdout.write(`${[head, ...tables.map(misalignmentMarkdown), ...warnings.map((w) => `warning: ${w}`)].join('\n\n')}\n`);
}

function thresholdList(text: string | undefined): ThresholdMethod[] {
  if (text === undefined) return [...MISALIGNMENT_THRESHOLDS];
  return text.split(',').map((t) => {
    const method = parseThresholdMethod(t.trim());
    if (method === undefined) throw invalidArgument(`study misalignment: --thresholds: '${t}' is not one of max, qcfs, snnc or a percentile like p99.9`);
    return method;
  });
}
