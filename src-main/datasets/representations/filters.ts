import type { EventColumns, SensorSize } from '../../common/events';

/**
 * Event filters, each keeping a subset of the events in order.
 * - denoise (background activity filter; tonic Denoise): keep an event when one of its 8
 *   neighbours had an event within the last `filterUs` µs (the event itself refreshes its pixel).
 * - refractory: drop an event when its pixel kept one less than `refractoryUs` µs ago.
 */
function select(events: EventColumns, keep: Uint8Array, kept: number): EventColumns {
  const out = { x: new Uint16Array(kept), y: new Uint16Array(kept), tUs: new Float64Array(kept), p: new Uint8Array(kept) };
  for (let i = 0, k = 0; i < keep.length; i++) {
    if (!keep[i]) continue;
    out.x[k] = events.x[i]!;
    out.y[k] = events.y[i]!;
    out.tUs[k] = events.tUs[i]!;
    out.p[k] = events.p[i]!;
    k++;
  }
  return out;
}

export function denoise(events: EventColumns, sensor: SensorSize, filterUs: number): EventColumns {
  const { width: W, height: H } = sensor;
  const lastTime = new Float64Array(W * H).fill(-Infinity);
  const n = events.x.length;
  const keep = new Uint8Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const x = events.x[i]!;
    const y = events.y[i]!;
    const t = events.tUs[i]!;
    if (x >= W || y >= H) continue;
    let support = false;
    for (let dy = -1; dy <= 1 && !support; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        if (dx === 0 && dy === 0) continue;
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= W || ny >= H) continue;
        if (t - lastTime[ny * W + nx]! <= filterUs) {
          support = true;
          break;
        }
      }
    }
    lastTime[y * W + x] = t;
    if (support) {
      keep[i] = 1;
      kept++;
    }
  }
  return select(events, keep, kept);
}

export function refractory(events: EventColumns, sensor: SensorSize, refractoryUs: number): EventColumns {
  const { width: W, height: H } = sensor;
  const lastKept = new Float64Array(W * H).fill(-Infinity);
  const n = events.x.length;
  const keep = new Uint8Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const x = events.x[i]!;
    const y = events.y[i]!;
    if (x >= W || y >= H) continue;
    const t = events.tUs[i]!;
    if (t - lastKept[y * W + x]! < refractoryUs) continue;
    lastKept[y * W + x] = t;
    keep[i] = 1;
    kept++;
  }
  return select(events, keep, kept);
}
