import { join } from 'node:path';
import { invalidArgument } from '../common/errors';
import { concatEvents, type EventColumns, type SensorSize } from '../common/events';
import { streamEventFile } from '../formats/node/read-events';
import type { EventDatasetIndex, EventInputOptions, EventSample } from '../common/datasets';
import type { SampleSet } from './sample-set';
import { frameShape, sumFrames, toFrames, type Frames, type FrameSpec } from './representations/frames';
import { lowerBound } from './representations/slicing';

export interface StepReader {
  /** Samples at `indices` as T frames each, time-major: value (t, b, f) at (t·B + b)·F + f. */
  readSteps(indices: ArrayLike<number>, T: number): Float32Array;
}

/**
 * An event dataset as the engine reads it. Each sample becomes frames (NHWC), in two ways:
 * - `read` (SampleSet): the accumulated frame, every event of the sample in one [H, W, C] image —
 *   what an ANN trained on accumulated frames sees, and what direct coding feeds the SNN.
 * - `readSteps`: the sample cut into T frames (T = the window), frame t fed at step t and scaled
 *   by T, so the time average of the input over the window is the accumulated frame: the SNN
 *   then converts the same ANN, with the events' timing kept.
 * The input transform x·scale + offset applies to both. Decoded samples are cached up to a
 * byte budget, since a study reads every sample once per (method, T, seed).
 */
export type EventSampleSet = SampleSet & StepReader & { readonly sensor: SensorSize; events(index: number): EventColumns };

/** The event sample set with a descriptor, so simulation workers can open it themselves. */
export function openEventSampleSet(index: EventDatasetIndex, split: EventSample['split'] | 'any', options: EventInputOptions): EventSampleSet {
  const set = eventSampleSet(index, split, options);
  return { ...set, describe: () => ({ kind: 'events', index, split, options }) };
}

export function eventSampleSet(index: EventDatasetIndex, split: EventSample['split'] | 'any', options: EventInputOptions): EventSampleSet {
  const samples = index.samples.filter((s) => split === 'any' || s.split === split || s.split === 'all');
  if (samples.length === 0) throw invalidArgument(`dataset ${index.root} has no ${split} samples`);
  const cache = new Map<number, EventColumns>();
  let cachedBytes = 0;
  const budget = options.cacheBytes ?? 512 * 2 ** 20;
  /** The sensor each decoded sample's file header declares, where it declares one. */
  const declared = new Map<number, SensorSize>();

  const events = (i: number): EventColumns => {
    const hit = cache.get(i);
    if (hit) return hit;
    const sample = samples[i];
    if (sample === undefined) throw invalidArgument(`sample ${i} is out of range (0..${samples.length - 1})`);
    const batches: EventColumns[] = [];
    const info = streamEventFile(join(index.root, sample.file), (e) => {
      batches.push(e);
    });
    if (info.sensor !== undefined) declared.set(i, info.sensor);
    let all = concatEvents(batches);
    if (sample.startUs !== undefined && sample.endUs !== undefined) {
      const from = lowerBound(all.tUs, sample.startUs);
      const to = lowerBound(all.tUs, sample.endUs, from);
      all = { x: all.x.subarray(from, to), y: all.y.subarray(from, to), tUs: all.tUs.subarray(from, to), p: all.p.subarray(from, to) };
    }
    const bytes = all.x.length * 13;
    if (cachedBytes + bytes <= budget) {
      cache.set(i, all);
      cachedBytes += bytes;
    }
    return all;
  };

  const sensor = index.sensor.width > 0 ? index.sensor : inferSensor(index, samples, events, declared);
  const spec = { sensor, polarity: options.polarity, ...(options.size ? { size: options.size } : {}) };
  const shape = frameShape(spec);
  const F = shape[0] * shape[1] * shape[2];
  const { scale, offset } = options.transform;
  const labels = Int32Array.from(samples, (s) => s.label);

  return {
    name: `${index.root} (${index.layout}, ${split === 'any' ? 'all' : split} split)`,
    count: samples.length,
    shape,
    classes: index.classes.length,
    labels,
    transform: options.transform,
    sensor,
    events,
    read(indices: ArrayLike<number>): Float32Array {
      const out = new Float32Array(indices.length * F);
      for (let k = 0; k < indices.length; k++) {
        const frame = sumFrames(toFrames(events(indices[k]!), { ...spec, slicing: { by: 'bins', bins: 1, split: 'count' }, value: 'count' }));
        for (let f = 0; f < F; f++) out[k * F + f] = frame[f]! * scale + offset;
      }
      return out;
    },
    readSteps(indices: ArrayLike<number>, T: number): Float32Array {
      const B = indices.length;
      const out = new Float32Array(T * B * F);
      for (let b = 0; b < B; b++) {
        const frames = stepFrames(events(indices[b]!), spec, T, options.split);
        for (let t = 0; t < T; t++) {
          const src = t * F;
          const dst = (t * B + b) * F;
          for (let f = 0; f < F; f++) out[dst + f] = T * frames.data[src + f]! * scale + offset;
        }
      }
      return out;
    },
  };
}

/**
 * The T frames (event counts) a sample feeds at steps 1..T with per-step input: what the
 * conversion simulates and what the viewer's preview shows, from one function.
 */
export function stepFrames(events: EventColumns, spec: Omit<FrameSpec, 'slicing' | 'value'>, T: number, split: 'time' | 'count'): Frames {
  return toFrames(events, { ...spec, slicing: { by: 'bins', bins: T, split }, value: 'count' });
}

/**
 * The sensor of a layout that does not state one: what the first samples' file headers declare
 * (e.g. an EVT 2.0 header's 640×480), else the largest coordinates of their events, + 1.
 */
function inferSensor(index: EventDatasetIndex, samples: readonly EventSample[], events: (i: number) => EventColumns, declared: ReadonlyMap<number, SensorSize>): SensorSize {
  let width = 0;
  let height = 0;
  for (let i = 0; i < Math.min(samples.length, 16); i++) {
    const e = events(i);
    const header = declared.get(i);
    if (header !== undefined) {
      width = Math.max(width, header.width);
      height = Math.max(height, header.height);
    }
    for (let k = 0; k < e.x.length; k++) {
      if (e.x[k]! >= width) width = e.x[k]! + 1;
      if (e.y[k]! >= height) height = e.y[k]! + 1;
    }
  }
  if (width === 0) throw invalidArgument(`dataset ${index.root}: cannot infer the sensor size (the first samples have no events)`);
  return { width, height };
}
