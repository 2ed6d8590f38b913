import type { CsvTable } from './kinds';
import { modelName, type ReportModel } from './model';

/**
 * The report's numbers as tidy long tables, one observation per row, with a header row: what a
 * researcher loads into pandas or R. Accuracies, rates and shares are fractions (not %), energy in
 * pJ, latency in steps; an empty cell is a value that does not exist (top-5 with ≤ 10 classes, the
 * onset of a layer that never fired).
 *
 * - results: one row per (run, method, T, seed); accuracy is that seed's, the other columns are
 *   the (method, T) means over seeds that the run result carries.
 * - layers: one row per (run, method, T, spiking layer).
 * - spikes: one row per (run, method, T, spiking layer, step): the heat map behind the figure.
 */
export type Cell = string | number | null;

export const TABLE_COLUMNS: Readonly<Record<CsvTable, readonly string[]>> = {
  results: ['run', 'model', 'dataset', 'method', 'T', 'seed', 'accuracy', 'accuracy_mean', 'accuracy_std', 'top5_mean', 'top5_std', 'firing_rate', 'sops', 'energy_pj', 'latency_steps', 'samples'],
  layers: ['run', 'method', 'T', 'layer', 'op', 'neurons', 'threshold_mean', 'threshold_min', 'threshold_max', 'threshold_channels', 'firing_rate', 'conv_error', 'residual', 'onset', 'late_mass', 'fanout'],
  spikes: ['run', 'method', 'T', 'layer', 'step', 'spikes_per_sample', 'spikes_per_neuron'],
};

export function tableRows(model: ReportModel, table: CsvTable): Cell[][] {
  const rows: Cell[][] = [];
  for (const run of model.runs) {
    const r = run.result;
    const info = new Map(r.layers.map((l) => [l.node, l]));
    for (const m of r.results) {
      switch (table) {
        case 'results':
          m.perSeed.forEach((accuracy, k) => {
            // perSeed follows the study's seeds (IF, deterministic, has one: the first seed).
            const seed = r.config.seeds[k] ?? k;
            rows.push([run.id, modelName(run), run.dataset.name, m.method, m.T, seed, accuracy, m.accuracy.mean, m.accuracy.std, m.top5?.mean ?? null, m.top5?.std ?? null, m.firingRate, m.sops, m.energyPj, m.latencySteps, r.samples]);
          });
          break;
        case 'layers':
          for (const l of m.perLayer) {
            const li = info.get(l.node);
            rows.push([run.id, m.method, m.T, l.node, li?.op ?? null, li?.neurons ?? null, l.threshold.mean, l.threshold.min, l.threshold.max, l.threshold.channels, l.firingRate, l.convError, l.residual, l.onset, l.lateMass, li?.fanout ?? null]);
          }
          break;
        case 'spikes':
          for (const l of m.perLayer) {
            const neurons = info.get(l.node)?.neurons ?? 0;
            l.spikesPerStep.forEach((s, t) => rows.push([run.id, m.method, m.T, l.node, t + 1, s, neurons > 0 ? s / neurons : null]));
          }
          break;
      }
    }
  }
  return rows;
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const field = (v: Cell): string => {
    if (v === null) return '';
    const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

export function reportCsv(model: ReportModel, table: CsvTable): string {
  return toCsv(TABLE_COLUMNS[table], tableRows(model, table));
}
