import { useEffect, useMemo, useRef } from 'react';
import { Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount } from '../ui/states';
import type { ViewerEvents } from './frames';
import { eventRate, onFraction, spatialCounts } from './stats';

/** Event rate over time, polarity balance and the spatial heat map of one sample. */
export function SampleStats({ events, width, height }: { events: ViewerEvents; width: number; height: number }) {
  const rate = useMemo(() => eventRate(events.tUs, 100), [events]);
  const on = useMemo(() => onFraction(events.p), [events]);
  const points = rate.rates.map((r, k) => ({ ms: (k * rate.binUs) / 1000, rate: r }));
  return (
    <div className="stats-row">
      <figure className="grow">
        <figcaption>Event rate over time (events/s)</figcaption>
        <ResponsiveContainer width="100%" height={140}>
          <LineChart data={points} margin={{ top: 5, right: 10, bottom: 5, left: 10 }}>
            <XAxis dataKey="ms" type="number" unit=" ms" domain={['dataMin', 'dataMax']} tickFormatter={(v: number) => v.toFixed(0)} />
            <YAxis tickFormatter={(v: number) => formatCount(v)} width={60} />
            <Tooltip formatter={(v) => `${formatCount(Number(v))} ev/s`} labelFormatter={(v) => `${Number(v).toFixed(1)} ms`} />
            <Line dataKey="rate" dot={false} isAnimationActive={false} stroke="currentColor" />
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure>
        <figcaption>Events per pixel</figcaption>
        <HeatMap events={events} width={width} height={height} />
        <p>
          Polarity: {(100 * on).toFixed(1)}% ON, {(100 * (1 - on)).toFixed(1)}% OFF
        </p>
      </figure>
    </div>
  );
}

function HeatMap({ events, width, height }: { events: ViewerEvents; width: number; height: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const counts = useMemo(() => spatialCounts(events.x, events.y, width, height), [events, width, height]);
  const peak = useMemo(() => counts.reduce((a, c) => Math.max(a, c), 0), [counts]);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx || width === 0 || height === 0) return;
    const image = ctx.createImageData(width, height);
    const scale = peak > 0 ? 255 / Math.log1p(peak) : 0;
    for (let i = 0; i < counts.length; i++) {
      const v = Math.log1p(counts[i]!) * scale;
      image.data[4 * i] = v;
      image.data[4 * i + 1] = v * 0.6;
      image.data[4 * i + 2] = 255 - v;
      image.data[4 * i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }, [counts, peak, width, height]);
  const longest = Math.max(width, height, 1);
  const scale = longest <= 160 ? Math.max(1, Math.floor(160 / longest)) : 240 / longest;
  return (
    <div>
      <canvas ref={ref} width={width} height={height} className="pixelated" style={{ width: width * scale, height: height * scale }} aria-label="spatial heat map (log scale)" />
      <div className="legend" aria-label="heat map colour scale">
        <span>0</span>
        <span className="legend-bar heat" />
        <span>{formatCount(peak)} events per pixel (log scale)</span>
      </div>
    </div>
  );
}
