import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Method } from '../../src-main/common/methods';
import type { RunResult } from '../../src-main/common/results';
import { layerRows } from './series';

/** Per-layer firing rate, and conversion error with residual potential, for one (method, T). */
export function LayerCharts({ result, method, T }: { result: RunResult; method: Method; T: number }) {
  const rows = layerRows(result, method, T);
  if (rows === undefined) return <p role="status">No {method} result at T = {T}.</p>;
  return (
    <div className="chart-pair">
      <figure>
        <figcaption>Firing rate per layer (spikes per neuron per step)</figcaption>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={rows} margin={{ top: 10, right: 10, bottom: 10, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="layer" />
            <YAxis />
            <Tooltip formatter={(v) => Number(v).toFixed(4)} />
            <Bar dataKey="firingRate" name="firing rate" fill="#d62728" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure>
        <figcaption>Conversion error and residual potential per layer (in θ)</figcaption>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={rows} margin={{ top: 10, right: 10, bottom: 10, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="layer" />
            <YAxis />
            <Tooltip formatter={(v) => Number(v).toFixed(4)} />
            <Legend verticalAlign="top" />
            <Bar dataKey="convError" name="conversion error" fill="#9467bd" isAnimationActive={false} />
            <Bar dataKey="residual" name="residual potential" fill="#17becf" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
