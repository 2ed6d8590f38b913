import { METHOD_LABELS } from '../../src-main/common/methods';
import { formatCount } from '../ui/states';
import type { LabelledRun, LayerRow } from './series';

/** The numbers behind the accuracy, latency and energy charts, one row per run, method and T. */
export function RunNumbers({ runs }: { runs: readonly LabelledRun[] }) {
  return (
    <details className="numbers">
      <summary>Numbers behind these charts</summary>
      <table className="table compact" aria-label="numbers behind the charts">
        <thead>
          <tr>
            {runs.length > 1 && <th>Run</th>}
            <th>Method</th>
            <th className="num">T</th>
            <th className="num">accuracy %</th>
            <th className="num">± std</th>
            <th className="num">seeds</th>
            <th className="num">latency (steps)</th>
            <th className="num">firing rate</th>
            <th className="num">SOPs / sample</th>
            <th className="num">energy (µJ)</th>
          </tr>
        </thead>
        <tbody>
          {runs.flatMap(({ id, result }) =>
            result.results.map((r) => (
              <tr key={`${id}-${r.method}-${r.T}`}>
                {runs.length > 1 && <td>#{id}</td>}
                <td>{METHOD_LABELS[r.method]}</td>
                <td className="num">{r.T}</td>
                <td className="num">{(100 * r.accuracy.mean).toFixed(2)}</td>
                <td className="num">{(100 * r.accuracy.std).toFixed(2)}</td>
                <td className="num">{r.seeds}</td>
                <td className="num">{r.latencySteps}</td>
                <td className="num">{r.firingRate.toFixed(4)}</td>
                <td className="num">{formatCount(Math.round(r.sops))}</td>
                <td className="num">{(r.energyPj / 1e6).toFixed(3)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </details>
  );
}

/** The numbers behind the per-layer charts of one (method, T). */
export function LayerNumbers({ rows }: { rows: readonly LayerRow[] }) {
  return (
    <details className="numbers">
      <summary>Numbers behind the layer charts</summary>
      <table className="table compact" aria-label="numbers behind the layer charts">
        <thead>
          <tr>
            <th>Layer</th>
            <th className="num">firing rate</th>
            <th className="num">conversion error</th>
            <th className="num">residual (θ)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.layer}>
              <td>{r.layer}</td>
              <td className="num">{r.firingRate.toFixed(4)}</td>
              <td className="num">{r.convError.toFixed(4)}</td>
              <td className="num">{r.residual.toFixed(4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
