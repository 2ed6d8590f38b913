import { join } from 'node:path';
import { invalidArgument } from '../common/errors';
import { concatEvents, type EventColumns, type SensorSize } from '../common/events';
import { streamEventFile } from '../formats/node/read-events';
import type { EventDatasetIndex, EventInputOptions, EventSample, InputTransform, PolarityMode } from '../common/datasets';
import type { SampleSet } from './sample-set';
import { frameShape, sumFrames, toFrames } from './representations/frames';
import { lowerBound } from './representations/slicing';


export interface StepReader {
  /** Samples at `indices` as T frames each, time-major: value (t, b, f) at (t·B + b)·F + f. */
  readSteps(indices: ArrayLike<number>, T: number): Float32Array;
}

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

  const events = (i: number): EventColumns => {
    const hit = cache.get(i);
    if (hit) return hit;
    const sample = samples[i];
    if (sample === undefined) throw invalidArgument(`sample ${i} is out of range (0..${samples.length - 1})`);
    const batches: EventColumns[] = [];
    streamEventFile(join(index.root, sample.file), (e) => {
      batches.push(e);
    });
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

  const sensor = index.sensor.width > 0 ? index.sensor : inferSensor(index, samples, events);
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
        const frames = toFrames(events(indices[b]!), { ...spec, slicing: { by: 'bins', bins: T, split: options.split }, value: 'count' });
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

/** The sensor of a layout that does not state one: the largest coordinates of the first samples, + 1. */
function inferSensor(index: EventDatasetIndex, samples: readonly EventSample[], events: (i: number) => EventColumns): SensorSize {
  let width = 0;
  let height = 0;
  for (let i = 0; i < Math.min(samples.length, 16); i++) {
    const e = events(i);
    for (let k = 0; k < e.x.length; k++) {
      if (e.x[k]! >= width) width = e.x[k]! + 1;
      if (e.y[k]! >= height) height = e.y[k]! + 1;
    }
  }
  if (width === 0) throw invalidArgument(`dataset ${index.root}: cannot infer the sensor size (the first samples have no events)`);
  return { width, height };
}
