import type { EventFrames, EventSampleData, HandlerArgs, ImagePage, SampleInfo } from '../common/contract';
import type { IndexedSample } from '../common/datasets';
import { WorkbenchError } from '../common/errors';
import { dirname, join } from 'node:path';
import type { EventColumns, SensorSize } from '../common/events';
import { readSampleEvents, type SampleEvents } from '../datasets/sample-events';
import { stepFrames } from '../datasets/event-source';
import { denoise, refractory } from '../datasets/representations/filters';
import type { SampleSet } from '../datasets/sample-set';
import type { ImageLayout } from '../common/datasets';
import { openImageDataset } from '../datasets/image-layouts';
import type { ServiceContext } from './context';
import { notFound } from './errors';
import { checkDatasetLinks } from './paths';

/** datasets.samples / events / images: what the dataset screens show of individual samples. */
export function listSamples(ctx: ServiceContext, args: HandlerArgs<'datasets.samples'>): { total: number; samples: SampleInfo[] } {
  if (ctx.store.datasets.get(args.id) === undefined) notFound('dataset', args.id);
  return ctx.store.datasets.page(args.id, args.split, args.offset, args.limit);
}

const base64 = (a: ArrayBufferView): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/**
 * One event sample's columns for the viewer: only its first `maxEvents` events are decoded, by
 * streaming its file (a long recording is not read past what is shown), and the sample's entry
 * comes from the index row alone. The denoise and refractory filters are the engine's own.
 */
export function sampleEvents(ctx: ServiceContext, args: HandlerArgs<'datasets.events'>): EventSampleData {
  const { sample, read, sensor } = openSample(ctx, args.id, args.index, args.maxEvents);
  let events = read.events;
  if (args.denoiseUs !== undefined) events = denoise(events, sensor, args.denoiseUs);
  if (args.refractoryUs !== undefined) events = refractory(events, sensor, args.refractoryUs);
  return {
    index: args.index,
    file: sample.file,
    label: sample.label,
    sensor,
    count: read.complete ? read.events.x.length : (sample.events ?? read.events.x.length),
    truncated: !read.complete,
    filteredOut: read.events.x.length - events.x.length,
    x: base64(events.x),
    y: base64(events.y),
    p: base64(events.p),
    tUs: base64(events.tUs),
  };
}

/** Frames of one sample exactly as a conversion feeds them (summed, or T per-step frames). */
export function sampleFrames(ctx: ServiceContext, args: HandlerArgs<'datasets.frames'>): EventFrames {
  const { read, sensor } = openSample(ctx, args.id, args.index, FRAMES_MAX_EVENTS);
  if (!read.complete) throw new WorkbenchError('invalid_argument', `sample ${args.index} has more than ${FRAMES_MAX_EVENTS} events: too many to preview its frames`);
  const spec = { sensor, polarity: args.polarity, ...(args.size ? { size: args.size } : {}) };
  const frames = stepFrames(read.events, spec, args.input === 'summed' ? 1 : args.T, args.split);
  let peak = 0;
  for (const v of frames.data) peak = Math.max(peak, Math.abs(v));
  return { index: args.index, frames: frames.frames, shape: frames.shape, data: base64(frames.data), peak };
}

const FRAMES_MAX_EVENTS = 20_000_000;

function openSample(ctx: ServiceContext, id: number, index: number, maxEvents: number): { sample: IndexedSample; read: SampleEvents; sensor: SensorSize } {
  const { store } = ctx;
  const dataset = store.datasets.get(id) ?? notFound('dataset', id);
  if (dataset.kind !== 'events') throw new WorkbenchError('invalid_argument', `dataset ${id} holds images, not events`);
  const sample = store.datasets.sample(id, index);
  if (sample === undefined) throw new WorkbenchError('not_found', `dataset ${id} has no sample ${index} (it has ${store.datasets.sampleCount(id)})`);
  const root = dataset.layout === 'event-file' ? dirname(dataset.path) : dataset.path;
  // The one file this reads must lead inside the roots, links followed.
  checkDatasetLinks(join(root, sample.file), ctx.roots);
  const read = readSampleEvents(root, sample, maxEvents);
  return { sample, read, sensor: dataset.sensor ?? read.sensor ?? boundingSensor(read.events) };
}

/** The smallest sensor holding every event, for files and layouts that declare none. */
function boundingSensor(events: EventColumns): SensorSize {
  let width = 1;
  let height = 1;
  for (let k = 0; k < events.x.length; k++) {
    if (events.x[k]! >= width) width = events.x[k]! + 1;
    if (events.y[k]! >= height) height = events.y[k]! + 1;
  }
  return { width, height };
}

/** The last image split opened, kept: paging through a grid reads the same container files. */
let cached: { key: string; set: SampleSet } | undefined;

export function sampleImages(ctx: ServiceContext, args: HandlerArgs<'datasets.images'>): ImagePage {
  const dataset = ctx.store.datasets.get(args.id) ?? notFound('dataset', args.id);
  if (dataset.kind !== 'images') throw new WorkbenchError('invalid_argument', `dataset ${args.id} holds events, not images (use datasets.events)`);
  const splits = ctx.store.datasets.splits(args.id);
  const split = args.split ?? (splits.includes('test') ? 'test' : splits[0]!);
  if (!splits.includes(split)) throw new WorkbenchError('invalid_argument', `dataset ${args.id} has no ${split} split (it has ${splits.join(', ')})`);
  const key = `${ctx.store.dir.root}|${ctx.roots?.join(":") ?? ""}|${args.id}|${split}`;
  // Checked when the split's files are opened (a page of a split already open reads the same files).
  if (cached?.key !== key) {
    checkDatasetLinks(dataset.path, ctx.roots);
    cached = { key, set: openImageDataset(dataset.path, dataset.layout as ImageLayout, split, { transform: { scale: 1, offset: 0 } }) };
  }
  const { set } = cached;
  const page = ctx.store.datasets.page(args.id, split, args.offset, args.limit);
  const local = Int32Array.from(page.samples, (_, k) => args.offset + k);
  const values = set.read(local);
  const size = set.shape.reduce((a, b) => a * b, 1);
  const images = page.samples.map((s, k) => ({ index: s.index, label: s.label, pixels: base64(Uint8Array.from(values.subarray(k * size, (k + 1) * size), (v) => Math.max(0, Math.min(255, Math.round(v))))) }));
  return { split, total: page.total, shape: set.shape, images };
}
