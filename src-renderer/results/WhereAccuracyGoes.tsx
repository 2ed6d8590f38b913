/** @jsxRuntime automatic */
/** @jsxImportSource react */
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { METHOD_LABELS, type Method } from '../../src-main/common/methods';
import type { Attribution, RunResult } from '../../src-main/common/results';
import { ChartBox, type ChartSize } from './ChartBox';
import { colourOf } from './colours';

/** Column l of the attribution table: what spikes. */
export function cutLabel(attribution: Attribution, l: number): string {
  if (l === 0) return 'none (the ANN)';
  if (l === attribution.layers.length) return `all ${l} (the SNN)`;
  return `first ${l} (to ${attribution.layers[l - 1]})`;
}

/**
 * The attribution study: per method, the accuracy when only the first l spiking layers spike and
 * the rest run as the ANN, l = 0…L, as a chart over l and as the table of its numbers. The drop
 * from one column to the next is what layer l costs. The GUI and the report draw this.
 */
export function AttributionView({ attribution, size }: { attribution: Attribution; size?: ChartSize }) {
  const L = attribution.layers.length;
  const points = (accuracy: readonly number[]) => accuracy.map((a, l) => ({ l, accuracy: 100 * a }));
  return (
    <>
      <ChartBox size={size} height={300}>
        <LineChart margin={{ top: 10, right: 20, bottom: 20, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="l" type="number" domain={[0, L]} ticks={Array.from({ length: L + 1 }, (_, l) => l)} allowDecimals={false} label={{ value: 'spiking layers that spike (the rest as the ANN)', position: 'insideBottom', offset: -10 }} />
          <YAxis domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} unit="%" />
          {size === undefined && <Tooltip formatter={(value) => `${Number(value).toFixed(2)}%`} labelFormatter={(l) => cutLabel(attribution, Number(l))} />}
          <Legend verticalAlign="top" />
          {attribution.rows.map((r) => (
            <Line key={r.method} data={points(r.accuracy)} dataKey="accuracy" name={METHOD_LABELS[r.method]} stroke={colourOf(r.method, 0)} isAnimationActive={false} />
          ))}
        </LineChart>
      </ChartBox>
      <table className="table compact" aria-label={`where accuracy goes at T = ${attribution.T}`}>
        <thead>
          <tr>
            <th scope="col">method</th>
            {Array.from({ length: L + 1 }, (_, l) => (
              <th scope="col" className="num" key={l}>
                {cutLabel(attribution, l)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {attribution.rows.map((r) => (
            <tr key={r.method}>
              <th scope="row">{METHOD_LABELS[r.method]}</th>
              {r.accuracy.map((a, l) => (
                <td className="num" key={l} title={l > 0 ? `${(100 * (a - r.accuracy[l - 1]!)).toFixed(2)} points from the column before` : undefined}>
                  {(100 * a).toFixed(2)}%
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Accuracy at each step of one result's window (the output summed so far), with its numbers. */
export function StepAccuracy({ result, method, T }: { result: RunResult; method: Method; T: number }) {
  const row = result.results.find((r) => r.method === method && r.T === T);
  if (row?.stepAccuracy === undefined) return <p role="status">No accuracy per step for {METHOD_LABELS[method]} at T = {T} (this run was stored before it was counted).</p>;
  const points = row.stepAccuracy.map((a, t) => ({ t: t + 1, accuracy: 100 * a }));
  return (
    <>
      <ChartBox size={undefined} height={240}>
        <LineChart margin={{ top: 10, right: 20, bottom: 20, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="t" type="number" domain={[1, T]} allowDecimals={false} label={{ value: 'step of the window', position: 'insideBottom', offset: -10 }} />
          <YAxis domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} unit="%" />
          <Tooltip formatter={(value) => `${Number(value).toFixed(2)}%`} labelFormatter={(t) => `step ${String(t)}`} />
          <ReferenceLine y={100 * result.ann.accuracy} stroke="#777" strokeDasharray="6 3" label={{ value: 'ANN', position: 'insideTopRight' }} />
          <Line data={points} dataKey="accuracy" name={`${METHOD_LABELS[method]}, T = ${T}`} stroke={colourOf(method, 0)} isAnimationActive={false} dot={T <= 32} />
        </LineChart>
      </ChartBox>
      <details className="numbers">
        <summary>Accuracy at each step</summary>
        <table className="table compact auto-width" aria-label={`accuracy at each step, ${METHOD_LABELS[method]} at T = ${T}`}>
          <thead>
            <tr>
              <th scope="col" className="num">step</th>
              <th scope="col" className="num">accuracy %</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.t}>
                <td className="num">{p.t}</td>
                <td className="num">{p.accuracy.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
