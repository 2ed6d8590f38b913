/** @jsxRuntime automatic */
/** @jsxImportSource react */
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { Method } from '../../src-main/common/methods';
import type { RunResult } from '../../src-main/common/results';
import { ChartBox, type ChartSize, type LegendItem } from './ChartBox';
import { layerRows, type LayerRow } from './series';

const RATE = '#d62728';
const ERROR = '#9467bd';
const RESIDUAL = '#17becf';

interface LayerBar {
  readonly key: keyof LayerRow;
  readonly name: string;
  readonly fill: string;
}

/** One bar chart over the layers of one (method, T): a bar per quantity in `bars`. */
function LayerBars({ rows, size, legend, bars }: { rows: readonly LayerRow[]; size?: ChartSize | undefined; legend: boolean; bars: readonly LayerBar[] }) {
  return (
    <ChartBox size={size} height={240}>
      <BarChart data={[...rows]} margin={{ top: 10, right: 10, bottom: 10, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="layer" />
        <YAxis />
        {size === undefined && <Tooltip formatter={(v) => Number(v).toFixed(4)} />}
        {legend && <Legend verticalAlign="top" />}
        {bars.map((b) => (
          <Bar key={b.key} dataKey={b.key} name={b.name} fill={b.fill} isAnimationActive={false} />
        ))}
      </BarChart>
    </ChartBox>
  );
}

/** Firing rate per layer (spikes per neuron per step) of one (method, T). */
export function FiringRateChart({ rows, size }: { rows: readonly LayerRow[]; size?: ChartSize }) {
  return <LayerBars rows={rows} size={size} legend={false} bars={[{ key: 'firingRate', name: 'firing rate', fill: RATE }]} />;
}

/** Conversion error and residual potential (in θ) per layer of one (method, T). */
export function ErrorResidualChart({ rows, size, legend = true }: { rows: readonly LayerRow[]; size?: ChartSize; legend?: boolean }) {
  return (
    <LayerBars
      rows={rows}
      size={size}
      legend={legend}
      bars={[
        { key: 'convError', name: 'conversion error', fill: ERROR },
        { key: 'residual', name: 'residual potential', fill: RESIDUAL },
      ]}
    />
  );
}

export const LAYER_LEGEND: readonly LegendItem[] = [
  { label: 'firing rate', colour: RATE, shape: 'square' },
  { label: 'conversion error', colour: ERROR, shape: 'square' },
  { label: 'residual potential', colour: RESIDUAL, shape: 'square' },
];

/** The GUI's pair: firing rate, and conversion error with residual potential, for one (method, T). */
export function LayerCharts({ result, method, T }: { result: RunResult; method: Method; T: number }) {
  const rows = layerRows(result, method, T);
  if (rows === undefined) return <p role="status">No {method} result at T = {T}.</p>;
  return (
    <div className="chart-pair">
      <figure>
        <figcaption>Firing rate per layer (spikes per neuron per step)</figcaption>
        <FiringRateChart rows={rows} />
      </figure>
      <figure>
        <figcaption>Conversion error and residual potential per layer (in θ)</figcaption>
        <ErrorResidualChart rows={rows} />
      </figure>
    </div>
  );
}
