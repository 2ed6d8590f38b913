import type { Method } from '../../src-main/common/methods';
import type { RunResult } from '../../src-main/common/results';

/**
 * Shapes a run result for the results charts. Pure functions, so the screens stay thin and the
 * logic is tested without a browser.
 */

/** One point per T for a method: accuracy in %, with the std over seeds as a symmetric error. */
export interface AccuracyPoint {
  readonly T: number;
  readonly accuracy: number;
  readonly error: number;
}

export function accuracyByMethod(result: RunResult): Map<Method, AccuracyPoint[]> {
  const series = new Map<Method, AccuracyPoint[]>();
  for (const r of result.results) {
    const points = series.get(r.method) ?? [];
    points.push({ T: r.T, accuracy: 100 * r.accuracy.mean, error: 100 * r.accuracy.std });
    series.set(r.method, points);
  }
  for (const points of series.values()) points.sort((a, b) => a.T - b.T);
  return series;
}

/** The layer × step heat map of one (method, T): spikes per neuron at each step, and each layer's
 * maximum (layers fire at very different rates, so each row is shaded against its own peak). */
export interface HeatMap {
  readonly layers: readonly string[];
  /** rows[layer][step] = spikes per neuron at step + 1 */
  readonly rows: readonly (readonly number[])[];
  readonly rowMax: readonly number[];
}

export function spikeHeatMap(result: RunResult, method: Method, T: number): HeatMap | undefined {
  const r = result.results.find((x) => x.method === method && x.T === T);
  if (r === undefined) return undefined;
  const neurons = new Map(result.layers.map((l) => [l.node, l.neurons]));
  const rows = r.perLayer.map((l) => l.spikesPerStep.map((perSample) => perSample / (neurons.get(l.node) ?? 1)));
  return { layers: r.perLayer.map((l) => l.node), rows, rowMax: rows.map((row) => row.reduce((a, b) => Math.max(a, b), 0)) };
}

/** Checks that parsed JSON looks like a run result, naming what is missing. */
export function asRunResult(value: unknown): RunResult {
  const v = value as Partial<RunResult> | null;
  if (v === null || typeof v !== 'object') throw new Error('the file is not a JSON object');
  for (const key of ['model', 'dataset', 'results', 'layers', 'config', 'ann'] as const) {
    if (v[key] === undefined) throw new Error(`the file has no '${key}': it is not a tppw run result (tppw convert --out FILE writes one)`);
  }
  if (!Array.isArray(v.results) || !Array.isArray(v.layers)) throw new Error("'results' and 'layers' must be arrays");
  return v as RunResult;
}

/** A run as the results screen compares it: its id and its result. */
export interface LabelledRun {
  readonly id: number;
  readonly result: RunResult;
}

export interface Series<P> {
  readonly key: string;
  readonly method: Method;
  readonly run: number;
  readonly points: readonly P[];
}

/** A point of an accuracy chart: its x (T, or latency in steps), accuracy in %, std as the error. */
export interface XAccuracyPoint {
  readonly x: number;
  readonly T: number;
  readonly accuracy: number;
  readonly error: number;
}

/** Accuracy against T for every (run, method); one run keeps plain method names. */
export function accuracySeries(runs: readonly LabelledRun[]): Series<XAccuracyPoint>[] {
  return runs.flatMap(({ id, result }) =>
    [...accuracyByMethod(result)].map(([method, points]) => ({ key: runs.length > 1 ? `#${id} ${method}` : method, method, run: id, points: points.map((p) => ({ ...p, x: p.T })) })),
  );
}

/** Accuracy against end-to-end latency in steps (T for IF, T × spiking layers for TPP). */
export function latencySeries(runs: readonly LabelledRun[]): Series<XAccuracyPoint>[] {
  return runs.flatMap(({ id, result }) => {
    const byMethod = new Map<Method, XAccuracyPoint[]>();
    for (const r of result.results) {
      const points = byMethod.get(r.method) ?? [];
      points.push({ x: r.latencySteps, T: r.T, accuracy: 100 * r.accuracy.mean, error: 100 * r.accuracy.std });
      byMethod.set(r.method, points);
    }
    return [...byMethod].map(([method, points]) => ({ key: runs.length > 1 ? `#${id} ${method}` : method, method, run: id, points: points.sort((a, b) => a.x - b.x) }));
  });
}

/** Accuracy against estimated energy per sample (µJ) for every (run, method), one point per T. */
export interface EnergyPoint {
  readonly energyUj: number;
  readonly accuracy: number;
  readonly T: number;
}

export function energySeries(runs: readonly LabelledRun[]): Series<EnergyPoint>[] {
  return runs.flatMap(({ id, result }) => {
    const byMethod = new Map<Method, EnergyPoint[]>();
    for (const r of result.results) {
      const points = byMethod.get(r.method) ?? [];
      points.push({ energyUj: r.energyPj / 1e6, accuracy: 100 * r.accuracy.mean, T: r.T });
      byMethod.set(r.method, points);
    }
    return [...byMethod].map(([method, points]) => ({ key: runs.length > 1 ? `#${id} ${method}` : method, method, run: id, points: points.sort((a, b) => a.T - b.T) }));
  });
}

/** Per-layer metrics of one (method, T): firing rate, conversion error, residual potential. */
export interface LayerRow {
  readonly layer: string;
  readonly firingRate: number;
  readonly convError: number;
  readonly residual: number;
}

export function layerRows(result: RunResult, method: Method, T: number): LayerRow[] | undefined {
  const r = result.results.find((x) => x.method === method && x.T === T);
  return r?.perLayer.map((l) => ({ layer: l.node, firingRate: l.firingRate, convError: l.convError, residual: l.residual }));
}
