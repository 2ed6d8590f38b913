/** @jsxRuntime automatic */
/** @jsxImportSource react */
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartBox, type ChartSize, type LegendItem } from './ChartBox';
import { colourOf } from './colours';
import { energySeries, type LabelledRun } from './series';

/** Accuracy against the estimated energy per sample (log scale), one point per T. */
export function EnergyChart({ runs, size, legend = true }: { runs: readonly LabelledRun[]; size?: ChartSize; legend?: boolean }) {
  const series = energySeries(runs);
  return (
    <ChartBox size={size} height={300}>
      <LineChart margin={{ top: 10, right: 20, bottom: 20, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="energyUj" type="number" scale="log" domain={['auto', 'auto']} allowDuplicatedCategory={false} tickFormatter={(v: number) => v.toPrecision(2)} label={{ value: 'energy per sample (µJ)', position: 'insideBottom', offset: -10 }} />
        <YAxis domain={[0, 100]} unit="%" />
        {size === undefined && <Tooltip formatter={(value, name) => (name === 'accuracy' ? `${Number(value).toFixed(2)}%` : String(value))} labelFormatter={(v) => `${Number(v).toPrecision(3)} µJ`} />}
        {legend && <Legend verticalAlign="top" />}
        {series.map((s, k) => (
          <Line key={s.key} data={[...s.points]} dataKey="accuracy" name={s.key} stroke={colourOf(s.method, runs.length > 1 ? k : 0)} isAnimationActive={false} dot={series.length <= 12} />
        ))}
      </LineChart>
    </ChartBox>
  );
}

export function energyLegend(runs: readonly LabelledRun[]): LegendItem[] {
  return energySeries(runs).map((s, k) => ({ label: s.key, colour: colourOf(s.method, runs.length > 1 ? k : 0), shape: 'line' }));
}
