import { invalidArgument } from '../../common/errors';
import type { EventColumns, SensorSize } from '../../common/events';
import { sliceEvents, type Slicing } from './slicing';
import type { PolarityMode } from '../../common/datasets';

/**
 * Event frames: events accumulated per pixel over each slice of the recording, as an NHWC
 * float32 tensor [frames, H, W, C] (the IR's layout; SpikingJelly and tonic use [T, C, H, W]).
 * - polarity `two-channels`: channel 0 counts OFF events, channel 1 ON (C = 2);
 *   `signed`: ON − OFF in one channel; `merged`: all events in one channel.
 * - `size` downsamples: pixel (x, y) lands on (⌊x·W'/W⌋, ⌊y·H'/H⌋).
 * - value `count` keeps counts; `binary` marks pixels that had any event (1, or ±1 when signed).
 * Events outside the sensor are dropped (decoders report them; a dataset states its sensor).
 */
export interface FrameSpec {
  readonly sensor: SensorSize;
  readonly slicing: Slicing;
  readonly polarity: PolarityMode;
  readonly size?: SensorSize;
  readonly value: 'count' | 'binary';
}

export interface Frames {
  readonly data: Float32Array;
  readonly frames: number;
  /** Per-frame shape [H, W, C]. */
  readonly shape: readonly [number, number, number];
}

export function frameShape(spec: Pick<FrameSpec, 'sensor' | 'size' | 'polarity'>): [number, number, number] {
  const size = spec.size ?? spec.sensor;
  return [size.height, size.width, spec.polarity === 'two-channels' ? 2 : 1];
}

export function toFrames(events: EventColumns, spec: FrameSpec): Frames {
  const { sensor } = spec;
  const size = spec.size ?? sensor;
  if (size.width > sensor.width || size.height > sensor.height || size.width < 1 || size.height < 1) {
    throw invalidArgument(`frame size ${size.width}×${size.height} must be within the ${sensor.width}×${sensor.height} sensor`);
  }
  const slices = sliceEvents(events.tUs, spec.slicing);
  const [H, W, C] = frameShape(spec);
  const plane = H * W * C;
  const data = new Float32Array(slices.length * plane);
  const { x, y, p } = events;
  const sx = size.width / sensor.width;
  const sy = size.height / sensor.height;
  const signed = spec.polarity === 'signed';
  const two = spec.polarity === 'two-channels';
  for (const [f, { start, end }] of slices.entries()) {
    const base = f * plane;
    for (let i = start; i < end; i++) {
      const xi = x[i]!;
      const yi = y[i]!;
      if (xi >= sensor.width || yi >= sensor.height) continue;
      const cell = base + (Math.floor(yi * sy) * W + Math.floor(xi * sx)) * C + (two ? p[i]! : 0);
      data[cell]! += signed ? (p[i] ? 1 : -1) : 1;
    }
  }
  if (spec.value === 'binary') for (let i = 0; i < data.length; i++) data[i] = Math.sign(data[i]!);
  return { data, frames: slices.length, shape: [H, W, C] };
}

/** Σ over frames: one [H, W, C] image (for an ANN trained on accumulated frames). */
export function sumFrames(frames: Frames): Float32Array {
  const plane = frames.shape[0] * frames.shape[1] * frames.shape[2];
  const out = new Float32Array(plane);
  for (let f = 0; f < frames.frames; f++) {
    const base = f * plane;
    for (let i = 0; i < plane; i++) out[i]! += frames.data[base + i]!;
  }
  return out;
}
