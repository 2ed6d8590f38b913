import { describe, expect, it } from 'vitest';
import { denoise, refractory } from '../../src-main/datasets/representations/filters';
import { sumFrames, toFrames } from '../../src-main/datasets/representations/frames';
import { sliceEvents } from '../../src-main/datasets/representations/slicing';
import { timeSurface } from '../../src-main/datasets/representations/time-surface';
import { voxelGrid } from '../../src-main/datasets/representations/voxel-grid';
import type { EventColumns } from '../../src-main/common/events';

const ev = (rows: [number, number, number, number][]): EventColumns => ({
  x: Uint16Array.from(rows, (r) => r[0]),
  y: Uint16Array.from(rows, (r) => r[1]),
  tUs: Float64Array.from(rows, (r) => r[2]),
  p: Uint8Array.from(rows, (r) => r[3]),
});

describe('slicing', () => {
  const t = Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 10]);

  it('bins by count: N // bins per frame, the last taking the rest (SpikingJelly split_by=number)', () => {
    expect(sliceEvents(t, { by: 'bins', bins: 3, split: 'count' })).toEqual([{ start: 0, end: 3 }, { start: 3, end: 6 }, { start: 6, end: 10 }]);
  });

  it('bins by time: dt = (t_last − t_first) // bins, windows [t0 + i·dt, t0 + (i+1)·dt) (SpikingJelly split_by=time)', () => {
    // dt = 10 // 3 = 3: [0,3) [3,6) [6,9): the event at 10 falls outside
    expect(sliceEvents(t, { by: 'bins', bins: 3, split: 'time' })).toEqual([{ start: 0, end: 3 }, { start: 3, end: 6 }, { start: 6, end: 9 }]);
  });

  it('time windows with overlap, and event counts with overlap', () => {
    expect(sliceEvents(t, { by: 'time', windowUs: 4, overlapUs: 2 })).toEqual([
      { start: 0, end: 4 }, { start: 2, end: 6 }, { start: 4, end: 8 }, { start: 6, end: 9 },
    ]);
    expect(sliceEvents(t, { by: 'count', events: 4, overlap: 1 })).toEqual([{ start: 0, end: 4 }, { start: 3, end: 7 }, { start: 6, end: 10 }]);
  });

  it('refuses impossible settings', () => {
    expect(() => sliceEvents(t, { by: 'time', windowUs: 2, overlapUs: 2 })).toThrow(/longer than the overlap/);
    expect(() => sliceEvents(t, { by: 'bins', bins: 0, split: 'time' })).toThrow(/positive integer/);
  });
});

describe('frames', () => {
  const events = ev([[0, 0, 0, 1], [1, 0, 1, 0], [1, 0, 2, 1], [3, 1, 3, 1], [2, 1, 9, 0]]);
  const sensor = { width: 4, height: 2 };

  it('count per pixel and polarity channel, NHWC [frames, H, W, 2]', () => {
    const f = toFrames(events, { sensor, slicing: { by: 'bins', bins: 2, split: 'count' }, polarity: 'two-channels', value: 'count' });
    expect(f.frames).toBe(2);
    expect(f.shape).toEqual([2, 4, 2]);
    const at = (frame: number, y: number, x: number, c: number): number => f.data[frame * 16 + (y * 4 + x) * 2 + c]!;
    expect(at(0, 0, 0, 1)).toBe(1);
    expect(at(0, 0, 1, 0)).toBe(1);
    expect(at(1, 0, 1, 1)).toBe(1);
    expect(at(1, 1, 3, 1)).toBe(1);
    expect(at(1, 1, 2, 0)).toBe(1);
    expect(f.data.reduce((a, b) => a + b, 0)).toBe(5);
    expect(Array.from(sumFrames(f)).reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('signed polarity, binary values and downsampling', () => {
    const f = toFrames(events, { sensor, size: { width: 2, height: 1 }, slicing: { by: 'bins', bins: 1, split: 'count' }, polarity: 'signed', value: 'count' });
    // x 0,1 → 0; x 2,3 → 1; every y → 0: ON−OFF: pixel 0 = +1 −1 +1, pixel 1 = +1 −1
    expect(Array.from(f.data)).toEqual([1, 0]);
    const b = toFrames(events, { sensor, slicing: { by: 'bins', bins: 1, split: 'count' }, polarity: 'merged', value: 'binary' });
    expect(Array.from(b.data)).toEqual([1, 1, 0, 0, 0, 0, 1, 1]);
  });
});

describe('voxel grid and time surface', () => {
  it('splits each event bilinearly between its two nearest bins', () => {
    // t* = (3 − 1)·(t − 0)/4: t = 0 → bin 0; t = 2 → bin 1; t = 3 → 1.5; t = 4 → bin 2
    const v = voxelGrid(ev([[0, 0, 0, 1], [0, 0, 2, 0], [0, 0, 3, 1], [0, 0, 4, 1]]), { width: 1, height: 1 }, 3);
    expect(Array.from(v)).toEqual([1, -1 + 0.5, 0.5 + 1]);
  });

  it('decays with the time since each pixel\'s last event', () => {
    const s = timeSurface(ev([[0, 0, 0, 1], [1, 0, 10, 0], [0, 0, 20, 1]]), { width: 2, height: 1 }, 10);
    expect(s[1]).toBeCloseTo(1, 10); // (0,0) ON at t_ref
    expect(s[2]).toBeCloseTo(Math.exp(-1), 6); // (1,0) OFF 10 µs before (float32)
    expect(s[0]).toBe(0);
  });
});

describe('filters', () => {
  it('denoise keeps events with a recent neighbour; refractory drops rapid repeats', () => {
    const e = ev([[5, 5, 0, 1], [6, 5, 10, 1], [9, 9, 20, 1], [6, 5, 500, 1]]);
    const d = denoise(e, { width: 16, height: 16 }, 100);
    expect(Array.from(d.tUs)).toEqual([10]); // only (6,5) at 10 had a neighbour within 100 µs
    const r = refractory(ev([[1, 1, 0, 1], [1, 1, 5, 0], [1, 1, 20, 1], [2, 1, 21, 1]]), { width: 4, height: 4 }, 10);
    expect(Array.from(r.tUs)).toEqual([0, 20, 21]);
  });
});
