import type { Method } from './methods';
import type { MethodResult, RunResult } from './results';
import { thresholdLabel, type ThresholdMethod, type V0Mode } from './snn';
import { meanStd } from './statistics';
import type { SnncMode, StudyChoice } from './study';

/**
 * The paper's comparison (Bojković, Wu & Gu, ICML 2025) as one study: for each threshold method
 * and with and without SNNC calibration, IF and IF+Permute with v0 = 0 and with v0 = θ/2, TPP and
 * TPP-iid (v0 = 0, where TPP is unbiased), on the same samples and seeds; then, per T, every
 * method's accuracy and its difference to IF with the same v0 (and TPP's to IF with θ/2, the
 * strongest IF baseline), with the std over seeds and the end-to-end latency.
 * `tppw study misalignment` runs the arms and prints the table; the Convert screen queues them.
 */
export interface MisalignmentOptions {
  readonly timesteps: readonly number[];
  readonly seeds: readonly number[];
  /** Threshold methods compared (default p99.9 and snnc). */
  readonly thresholds: readonly ThresholdMethod[];
  /** The calibrated arm's SNNC mode (the other arm has none). */
  readonly snnc: Exclude<SnncMode, 'none'>;
  /** Everything else of the study (per channel, reset, max pooling, …). */
  readonly base: Pick<StudyChoice, 'perChannel' | 'reset' | 'shift' | 'encoding' | 'permute' | 'maxPool' | 'percentileOf'>;
}

export interface MisalignmentArm {
  /** The block of the table it belongs to: threshold and calibration. */
  readonly block: string;
  readonly v0: V0Mode;
  readonly study: StudyChoice;
}

export const MISALIGNMENT_TIMESTEPS = [1, 2, 3, 4, 5, 6, 7, 8];
export const FULL_SWEEP_TIMESTEPS = [1, 2, 4, 8, 16, 32, 64];
export const MISALIGNMENT_THRESHOLDS: readonly ThresholdMethod[] = [{ kind: 'percentile', percentile: 99.9 }, { kind: 'snnc' }];

/** A block's name: its threshold method (as labelled, e.g. `p99.9`) and its SNNC calibration. */
function blockName(threshold: string, snnc: SnncMode): string {
  return `thresholds ${threshold}, ${snnc === 'none' ? 'no calibration' : `SNNC ${snnc} calibration`}`;
}

export function blockLabel(threshold: ThresholdMethod, snnc: SnncMode): string {
  return blockName(thresholdLabel(threshold), snnc);
}

/** The runs of the comparison: per threshold and calibration, one at v0 = 0 with all four
 * methods and one at v0 = θ/2 with IF and IF+Permute. */
export function misalignmentArms(options: MisalignmentOptions): MisalignmentArm[] {
  const arms: MisalignmentArm[] = [];
  for (const threshold of options.thresholds) {
    for (const snnc of ['none', options.snnc] as const) {
      const common = { ...options.base, timesteps: [...options.timesteps], seeds: [...options.seeds], threshold, snnc };
      const block = blockLabel(threshold, snnc);
      arms.push({ block, v0: 'zero', study: { ...common, methods: ['if', 'if-permute', 'tpp', 'tpp-iid'], v0: 'zero' } });
      arms.push({ block, v0: 'half', study: { ...common, methods: ['if', 'if-permute'], v0: 'half' } });
    }
  }
  return arms;
}

/** A measured value with its std over seeds (0 for deterministic IF). */
export interface Measured {
  readonly mean: number;
  readonly std: number;
}

export interface MisalignmentRow {
  readonly T: number;
  readonly if0?: Measured;
  readonly permute0?: Measured;
  /** IF+Permute − IF, both v0 = 0: per seed, then mean ± std. */
  readonly permute0Gain?: Measured;
  readonly ifHalf?: Measured;
  readonly permuteHalf?: Measured;
  readonly permuteHalfGain?: Measured;
  readonly tpp?: Measured;
  /** TPP − IF (v0 = 0) and TPP − IF (v0 = θ/2). */
  readonly tppGain0?: Measured;
  readonly tppGainHalf?: Measured;
  readonly tppIid?: Measured;
  readonly tppIidGain0?: Measured;
  /** latencySteps of IF and of TPP at this T. */
  readonly latencyIf?: number;
  readonly latencyTpp?: number;
}

export interface MisalignmentTable {
  readonly block: string;
  readonly ann: number;
  readonly rows: readonly MisalignmentRow[];
}

/** The table of one block from its two runs (v0 = 0 and v0 = θ/2). */
export function misalignmentTable(block: string, zero: RunResult | undefined, half: RunResult | undefined): MisalignmentTable {
  const ts = [...new Set([...(zero?.config.timesteps ?? []), ...(half?.config.timesteps ?? [])])].sort((a, b) => a - b);
  const find = (run: RunResult | undefined, method: Method, T: number): MethodResult | undefined => run?.results.find((r) => r.method === method && r.T === T);
  const measured = (r: MethodResult | undefined): Measured | undefined => (r === undefined ? undefined : { mean: r.accuracy.mean, std: r.accuracy.std });
  /** a − b per seed (b deterministic or paired by seed), mean ± sample std. */
  const gain = (a: MethodResult | undefined, b: MethodResult | undefined): Measured | undefined => {
    if (a === undefined || b === undefined) return undefined;
    const diffs = a.perSeed.map((v, i) => v - (b.perSeed.length === a.perSeed.length ? b.perSeed[i]! : b.accuracy.mean));
    return meanStd(diffs);
  };
  const rows = ts.map((T): MisalignmentRow => {
    const if0 = find(zero, 'if', T);
    const p0 = find(zero, 'if-permute', T);
    const ifH = find(half, 'if', T);
    const pH = find(half, 'if-permute', T);
    const tpp = find(zero, 'tpp', T);
    const iid = find(zero, 'tpp-iid', T);
    return strip({
      T,
      if0: measured(if0),
      permute0: measured(p0),
      permute0Gain: gain(p0, if0),
      ifHalf: measured(ifH),
      permuteHalf: measured(pH),
      permuteHalfGain: gain(pH, ifH),
      tpp: measured(tpp),
      tppGain0: gain(tpp, if0),
      tppGainHalf: gain(tpp, ifH),
      tppIid: measured(iid),
      tppIidGain0: gain(iid, if0),
      latencyIf: (if0 ?? ifH)?.latencySteps,
      latencyTpp: tpp?.latencySteps,
    });
  });
  return { block, ann: (zero ?? half)?.ann.accuracy ?? NaN, rows };
}

/** A value as the tables print it: percent (or signed percentage points) with its std over seeds. */
function cell(m: Measured | undefined, signed = false): string {
  if (m === undefined) return '–';
  const mean = `${signed && m.mean >= 0 ? '+' : ''}${(100 * m.mean).toFixed(1)}`;
  return m.std > 0 ? `${mean} ± ${(100 * m.std).toFixed(1)}` : mean;
}

/** The table's columns, one definition for the CLI's Markdown and the GUI's table. */
export const MISALIGNMENT_COLUMNS: readonly { readonly label: string; readonly title: string; readonly value: (r: MisalignmentRow) => string }[] = [
  { label: 'T', title: 'time steps', value: (r) => String(r.T) },
  { label: 'IF', title: 'IF, v0 = 0', value: (r) => cell(r.if0) },
  { label: 'IF+P', title: 'IF with the Permute probe, v0 = 0', value: (r) => cell(r.permute0) },
  { label: 'Δ P', title: 'IF+Permute − IF, v0 = 0', value: (r) => cell(r.permute0Gain, true) },
  { label: 'IF θ/2', title: 'IF, v0 = θ/2', value: (r) => cell(r.ifHalf) },
  { label: 'IF+P θ/2', title: 'IF with the Permute probe, v0 = θ/2', value: (r) => cell(r.permuteHalf) },
  { label: 'Δ P θ/2', title: 'IF+Permute − IF, v0 = θ/2', value: (r) => cell(r.permuteHalfGain, true) },
  { label: 'TPP', title: 'TPP, v0 = 0', value: (r) => cell(r.tpp) },
  { label: 'Δ TPP−IF', title: 'TPP − IF (v0 = 0)', value: (r) => cell(r.tppGain0, true) },
  { label: 'Δ TPP−IF θ/2', title: 'TPP − IF (v0 = θ/2)', value: (r) => cell(r.tppGainHalf, true) },
  { label: 'TPP-iid', title: 'TPP-iid, v0 = 0', value: (r) => cell(r.tppIid) },
  { label: 'Δ iid−IF', title: 'TPP-iid − IF (v0 = 0)', value: (r) => cell(r.tppIidGain0, true) },
  { label: 'latency IF / TPP', title: 'steps until the readout', value: (r) => `${r.latencyIf ?? '–'} / ${r.latencyTpp ?? '–'}` },
];

/** The table as Markdown: accuracies and differences in percentage points, ± the std over seeds. */
export function misalignmentMarkdown(table: MisalignmentTable): string {
  const lines = [`${table.block} (ANN ${(100 * table.ann).toFixed(2)}%)`, '', `| ${MISALIGNMENT_COLUMNS.map((c) => c.label).join(' | ')} |`, `|${'---|'.repeat(MISALIGNMENT_COLUMNS.length)}`];
  for (const r of table.rows) lines.push(`| ${MISALIGNMENT_COLUMNS.map((c) => c.value(r)).join(' | ')} |`);
  return lines.join('\n');
}

/** The block a run belongs to, from what it ran: threshold method and SNNC calibration. */
export function blockOfRun(result: RunResult): string {
  return blockName(result.config.threshold, result.config.snnc ?? 'none');
}

/**
 * The comparison's tables from any set of runs: runs of the same model, data and settings that
 * differ only in v0 pair up in one block per threshold method and calibration, in the order they
 * come. A block needs both: a v0 = 0 run with IF, and its v0 = θ/2 twin; other runs are left out.
 */
export function misalignmentTables(results: readonly RunResult[]): MisalignmentTable[] {
  const key = (r: RunResult): string => {
    const { v0: _v0, methods: _methods, ...rest } = r.config;
    return JSON.stringify([r.model, r.dataset, r.samples, rest]);
  };
  const groups = new Map<string, { block: string; zero?: RunResult; half?: RunResult }>();
  for (const r of results) {
    const g = groups.get(key(r)) ?? { block: blockOfRun(r) };
    if (r.config.v0 === 'half') g.half ??= r;
    else g.zero ??= r;
    groups.set(key(r), g);
  }
  return [...groups.values()]
    .filter((g) => g.zero !== undefined && g.half !== undefined && g.zero.config.methods.includes('if'))
    .map((g) => misalignmentTable(g.block, g.zero, g.half));
}

/** Drops the undefined fields (JSON output stays free of them). */
function strip<T extends object>(row: T): T {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined)) as T;
}
