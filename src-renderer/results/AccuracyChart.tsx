/** @jsxRuntime automatic */
/** @jsxImportSource react */
import { CartesianGrid, ErrorBar, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartBox, type ChartSize, type LegendItem } from './ChartBox';
import { accuracySeries, latencySeries, type LabelledRun } from './series';
import { colourOf } from './colours';

/**
 * Accuracy against T, or against end-to-end latency in steps (TPP waits a window per spiking
 * layer), log scale, per run and method, std error bars, the ANN as reference lines. The same
 * component draws the GUI's chart and the report's (with a fixed size and, in a figure, without
 * recharts' HTML legend).
 */
export function AccuracyChart({ runs, against = 'T', size, legend = true }: { runs: readonly LabelledRun[]; against?: 'T' | 'latency'; size?: ChartSize; legend?: boolean }) {
  const series = against === 'T' ? accuracySeries(runs) : latencySeries(runs);
  // Many runs at once: lines without dots, so the chart stays quick and readable.
  const dots = series.length <= 12;
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const ticks = against === 'T' ? xs : powersOfTwo(xs);
  return (
    <ChartBox size={size} height={340}>
      <LineChart margin={{ top: 10, right: 20, bottom: 20, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="x" type="number" scale="log" domain={['dataMin', 'dataMax']} ticks={ticks} allowDuplicatedCategory={false} label={{ value: against === 'T' ? 'time steps T' : 'end-to-end latency (steps)', position: 'insideBottom', offset: -10 }} />
        {/* Accuracy lives in [0, 100]: error bars past it are clipped, not allowed to stretch the axis. */}
        <YAxis domain={[0, 100]} allowDataOverflow ticks={[0, 25, 50, 75, 100]} unit="%" />
        {size === undefined && <Tooltip formatter={(value) => `${Number(value).toFixed(2)}%`} labelFormatter={(v) => (against === 'T' ? `T = ${String(v)}` : `${String(v)} steps`)} />}
        {legend && <Legend verticalAlign="top" />}
        {runs.map(({ id, result }) => (
          <ReferenceLine key={id} y={100 * result.ann.accuracy} stroke="#777" strokeDasharray="6 3" label={{ value: runs.length > 1 ? `ANN #${id}` : 'ANN', position: 'insideTopRight' }} />
        ))}
        {series.map((s, k) => (
          <Line key={s.key} data={[...s.points]} dataKey="accuracy" name={s.key} stroke={colourOf(s.method, runs.length > 1 ? k : 0)} isAnimationActive={false} dot={dots}>
            {s.points.some((p) => p.error > 0) && <ErrorBar dataKey="error" width={4} stroke={colourOf(s.method, runs.length > 1 ? k : 0)} isAnimationActive={false} />}
          </Line>
        ))}
      </LineChart>
    </ChartBox>
  );
}

export function accuracyLegend(runs: readonly LabelledRun[]): LegendItem[] {
  return [
    ...accuracySeries(runs).map((s, k): LegendItem => ({ label: s.key, colour: colourOf(s.method, runs.length > 1 ? k : 0), shape: 'line' })),
    { label: 'ANN', colour: '#777', shape: 'line', dashed: true },
  ];
}

/** Ticks at powers of two across the values (latencies are multiples of T). */
function powersOfTwo(xs: readonly number[]): number[] {
  if (xs.length === 0) return [];
  const out: number[] = [];
  for (let p = 2 ** Math.floor(Math.log2(xs[0]!)); p <= xs[xs.length - 1]! * 1.0001; p *= 2) out.push(p);
  return out.length >= 2 ? out : [...xs];
}
