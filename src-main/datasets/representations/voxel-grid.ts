import type { EventColumns, SensorSize } from '../../common/events';

/**
 * Voxel grid (Zhu et al., CVPR 2019): B time bins; an event at normalised time
 * t* = (B − 1)(t − t_first)/(t_last − t_first) adds its polarity (+1 ON, −1 OFF) to bins b with
 * weight max(0, 1 − |b − t*|), i.e. bilinearly between its two nearest bins. Output NHWC
 * [B, H, W, 1] flattened.
 */
export function voxelGrid(events: EventColumns, sensor: SensorSize, bins: number): Float32Array {
  const { width: W, height: H } = sensor;
  const out = new Float32Array(bins * H * W);
  const n = events.x.length;
  if (n === 0) return out;
  const t0 = events.tUs[0]!;
  const span = events.tUs[n - 1]! - t0;
  const scale = span > 0 ? (bins - 1) / span : 0;
  for (let i = 0; i < n; i++) {
    const x = events.x[i]!;
    const y = events.y[i]!;
    if (x >= W || y >= H) continue;
    const tn = (events.tUs[i]! - t0) * scale;
    const b = Math.floor(tn);
    const frac = tn - b;
    const v = events.p[i] ? 1 : -1;
    const pixel = y * W + x;
    out[b * H * W + pixel]! += v * (1 - frac);
    if (b + 1 < bins) out[(b + 1) * H * W + pixel]! += v * frac;
  }
  return out;
}
