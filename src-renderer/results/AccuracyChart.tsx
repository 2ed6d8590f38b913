import { CartesianGrid, ErrorBar, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { accuracySeries, type LabelledRun } from './series';
import { colourOf } from './colours';

/** Accuracy against T (log scale) per run and method, std error bars, the ANN as reference lines. */
export function AccuracyChart({ runs }: { runs: readonly LabelledRun[] }) {
  const series = accuracySeries(runs);
  // Many runs at once: lines without dots, so the chart stays quick and readable.
  const dots = series.length <= 12;
  const ticks = [...new Set(runs.flatMap((r) => r.result.config.timesteps))].sort((a, b) => a - b);
  return (
    <ResponsiveContainer width="100%" height={340}>
      <LineChart margin={{ top: 10, right: 20, bottom: 20, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="T" type="number" scale="log" domain={['dataMin', 'dataMax']} ticks={ticks} allowDuplicatedCategory={false} label={{ value: 'time steps T', position: 'insideBottom', offset: -10 }} />
        <YAxis domain={[0, 100]} unit="%" />
        <Tooltip formatter={(value) => `${Number(value).toFixed(2)}%`} />
        <Legend verticalAlign="top" />
        {runs.map(({ id, result }) => (
          <ReferenceLine key={id} y={100 * result.ann.accuracy} stroke="#777" strokeDasharray="6 3" label={{ value: runs.length > 1 ? `ANN #${id}` : 'ANN', position: 'insideTopRight' }} />
        ))}
        {series.map((s, k) => (
          <Line key={s.key} data={[...s.points]} dataKey="accuracy" name={s.key} stroke={colourOf(s.method, runs.length > 1 ? k : 0)} isAnimationActive={false} dot={dots}>
            {s.points.some((p) => p.error > 0) && <ErrorBar dataKey="error" width={4} stroke={colourOf(s.method, runs.length > 1 ? k : 0)} />}
          </Line>
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
