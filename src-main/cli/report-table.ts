import { energyModelText, type MethodResult, type RunResult } from '../common/results';

/** The human-readable report of a run, as plain text tables. */
export function formatRunReport(result: RunResult): string {
  const lines: string[] = [];
  const c = result.config;
  const ts = c.timesteps;
  lines.push(`model     ${result.model}`);
  lines.push(`data      ${result.dataset}: ${result.samples} samples (input x·${fmt(c.inputTransform.scale, 6)} + ${c.inputTransform.offset})`);
  lines.push(`backend   ${result.backendDetail ?? result.backend}`);
  lines.push(
    `convert   thresholds ${c.threshold} (${c.perChannel ? 'per channel' : 'per layer'}) from ${c.calibration.samples} samples of ${c.calibration.source}; reset ${c.reset}; v0 ${c.v0 === 'half' ? 'θ/2' : '0'}${c.shift ? '; shift θ/(2T)' : ''}; ${c.encoding} coding; permute per ${c.permute}`,
  );
  lines.push(`ANN       accuracy ${pct(result.ann.accuracy)}${result.ann.accuracyBeforeSwap !== undefined ? ` (before the max-pool swap ${pct(result.ann.accuracyBeforeSwap)})` : ''}; ${fmtCount(result.ann.macs)} MACs, ${fmtEnergy(result.ann.energyPj)} per sample`);
  const sanity = result.ann.sanityWarning;
  if (sanity !== undefined) lines.push(`WARNING   ${sanity}`);
  for (const note of result.notes) lines.push(`note      ${note}`);
  for (const warning of result.warnings) if (warning !== sanity) lines.push(`warning   ${warning}`);
  lines.push('');

  const methods = [...new Set(result.results.map((r) => r.method))];
  const cell = (method: string, T: number): MethodResult | undefined => result.results.find((r) => r.method === method && r.T === T);
  const table = (title: string, value: (r: MethodResult) => string): void => {
    const header = ['', ...ts.map((t) => `T=${t}`)];
    const rows = methods.map((m) => [m, ...ts.map((t) => {
      const r = cell(m, t);
      return r === undefined ? '-' : value(r);
    })]);
    lines.push(title);
    lines.push(...align([header, ...rows]));
    lines.push('');
  };
  const seeds = Math.max(...result.results.map((r) => r.seeds));
  table(`accuracy % (mean ± std over ${seeds} seed${seeds === 1 ? '' : 's'} for stochastic methods; IF is deterministic)`, (r) =>
    r.seeds > 1 ? `${(100 * r.accuracy.mean).toFixed(2)}±${(100 * r.accuracy.std).toFixed(2)}` : (100 * r.accuracy.mean).toFixed(2),
  );
  if (result.results.some((r) => r.top5 !== undefined)) table('top-5 accuracy %', (r) => (r.top5 ? (100 * r.top5.mean).toFixed(2) : '-'));
  table('firing rate (spikes per neuron per step)', (r) => r.firingRate.toFixed(4));
  table(`energy per sample (${energyModelText(result)}: ANN ${fmtEnergy(result.ann.energyPj)})`, (r) => fmtEnergy(r.energyPj));
  // θ of each layer as the rows at T used it (results stored before rows had their own: the
  // layer summary's); a table of its own when thresholds were tuned per T (snnc).
  const thetaAt = (t: number): number[] => result.layers.map((info, i) => (result.results.find((r) => r.T === t)?.perLayer[i]?.threshold ?? info.threshold).mean);
  if (ts.some((t) => thetaAt(t).some((v, i) => v !== thetaAt(ts[0]!)[i]))) {
    lines.push('thresholds θ per T (mean over channels)');
    lines.push(...align([['layer', ...ts.map((t) => `T=${t}`)], ...result.layers.map((info, i) => [info.node, ...ts.map((t) => fmt(thetaAt(t)[i]!, 4))])]));
    lines.push('');
  }

  const Tmax = ts[ts.length - 1]!;
  for (const method of methods) {
    const r = cell(method, Tmax);
    if (r === undefined) continue;
    lines.push(`layers at T=${Tmax}, ${method} (latency ${r.latencySteps} steps)`);
    const rows = [['layer', 'neurons', 'θ mean', 'rate', 'conv.err', 'residual θ', 'onset', 'late mass']];
    for (const [i, l] of r.perLayer.entries()) {
      const info = result.layers[i]!;
      rows.push([l.node, String(info.neurons), fmt(thetaAt(Tmax)[i]!, 4), l.firingRate.toFixed(4), l.convError.toFixed(4), l.residual.toFixed(3), l.onset === null ? '-' : l.onset.toFixed(2), l.lateMass === null ? '-' : l.lateMass.toFixed(3)]);
    }
    lines.push(...align(rows));
    lines.push('');
  }
  const attribution = result.attribution;
  if (attribution !== undefined) {
    lines.push(`where accuracy goes at T=${attribution.T}: accuracy % when only the first l spiking layers spike, the rest as the ANN (l = 0: the ANN; first seed)`);
    const header = ['', ...attribution.layers.map((_, l) => `l=${l}`), `l=${attribution.layers.length}`];
    lines.push(...align([header, ...attribution.rows.map((r) => [r.method, ...r.accuracy.map((a) => (100 * a).toFixed(2))])]));
    lines.push(`  (l counts ${attribution.layers.join(', ')})`);
    lines.push('');
  }
  lines.push(`wall time ${(result.wallMs / 1000).toFixed(1)} s${result.simulateMs !== undefined ? ` (simulation ${(result.simulateMs / 1000).toFixed(1)} s)` : ''}`);
  return lines.join('\n');
}

export function align(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => (r[j] ?? '').length)));
  return rows.map((r) => r.map((v, j) => (j === 0 ? v.padEnd(widths[j]!) : v.padStart(widths[j]!))).join('  ').trimEnd());
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

function fmt(x: number, digits: number): string {
  return Number(x.toPrecision(digits)).toString();
}

export function fmtCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}

export function fmtEnergy(pj: number): string {
  if (pj >= 1e6) return `${(pj / 1e6).toFixed(2)} µJ`;
  if (pj >= 1e3) return `${(pj / 1e3).toFixed(2)} nJ`;
  return `${pj.toFixed(1)} pJ`;
}
