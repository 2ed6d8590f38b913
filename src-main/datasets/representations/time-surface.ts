import type { EventColumns, SensorSize } from '../../common/events';

/**
 * Time surface (Lagorce et al., HOTS, 2017; the "surface of active events" form): per pixel and
 * polarity, exp(−(t_ref − t_last)/τ) where t_last is the pixel's latest event at or before t_ref,
 * 0 for pixels without one. t_ref defaults to the last event's time. Output [H, W, 2] (channel 0
 * OFF, 1 ON).
 */
export function timeSurface(events: EventColumns, sensor: SensorSize, tauUs: number, tRefUs?: number): Float32Array {
  const { width: W, height: H } = sensor;
  const n = events.x.length;
  const last = new Float64Array(H * W * 2).fill(-Infinity);
  const ref = tRefUs ?? (n > 0 ? events.tUs[n - 1]! : 0);
  for (let i = 0; i < n; i++) {
    const t = events.tUs[i]!;
    if (t > ref) break;
    const x = events.x[i]!;
    const y = events.y[i]!;
    if (x >= W || y >= H) continue;
    last[(y * W + x) * 2 + (events.p[i] ? 1 : 0)] = t;
  }
  const out = new Float32Array(H * W * 2);
  for (let i = 0; i < out.length; i++) out[i] = last[i] === -Infinity ? 0 : Math.exp(-(ref - last[i]!) / tauUs);
  return out;
}
