import { CartesianGrid, ErrorBar, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunResult } from '../../src-main/common/results';
import { accuracyByMethod } from './series';

const COLORS: Record<string, string> = { if: '#1f77b4', 'if-permute': '#ff7f0e', tpp: '#2ca02c', 'tpp-iid': '#9467bd' };

/** Accuracy against T (log scale) per method, with std error bars and the ANN as a reference line. */
export function AccuracyChart({ result }: { result: RunResult }) {
  const series = accuracyByMethod(result);
  return (
    <ResponsiveContainer width="100%" height={320}>
      <LineChart margin={{ top: 10, right: 20, bottom: 20, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="T" type="number" scale="log" domain={['dataMin', 'dataMax']} ticks={[...result.config.timesteps]} label={{ value: 'time steps T', position: 'insideBottom', offset: -10 }} />
        <YAxis domain={[0, 100]} unit="%" />
        <Tooltip formatter={(value) => `${Number(value).toFixed(2)}%`} />
        <Legend verticalAlign="top" />
        <ReferenceLine y={100 * result.ann.accuracy} stroke="#555" strokeDasharray="6 3" label={{ value: 'ANN', position: 'insideTopRight' }} />
        {[...series.entries()].map(([method, points]) => (
          <Line key={method} data={points} dataKey="accuracy" name={method} stroke={COLORS[method] ?? '#333'} isAnimationActive={false} dot>
            <ErrorBar dataKey="error" width={4} stroke={COLORS[method] ?? '#333'} />
          </Line>
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
