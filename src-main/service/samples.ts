import type { EventSampleData, HandlerArgs, ImagePage, SampleInfo } from '../common/contract';
import { WorkbenchError } from '../common/errors';
import { eventSampleSet } from '../datasets/event-source';
import type { ImageSet } from '../datasets/image-set';
import { openImageDataset, type ImageLayout } from '../datasets/image-layouts';
import type { ServiceContext } from './context';
import { notFound } from './errors';

/** datasets.samples / events / images: what the dataset screens show of individual samples. */
export function listSamples(ctx: ServiceContext, args: HandlerArgs<'datasets.samples'>): { total: number; samples: SampleInfo[] } {
  if (ctx.store.datasets.get(args.id) === undefined) notFound('dataset', args.id);
  return ctx.store.datasets.page(args.id, args.split, args.offset, args.limit);
}

const base64 = (a: ArrayBufferView): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

export function sampleEvents(ctx: ServiceContext, args: HandlerArgs<'datasets.events'>): EventSampleData {
  const dataset = ctx.store.datasets.get(args.id) ?? notFound('dataset', args.id);
  if (dataset.kind !== 'events') throw new WorkbenchError('invalid_argument', `dataset ${args.id} holds images, not events`);
  const index = ctx.store.datasets.eventIndex(args.id);
  const sample = index.samples[args.index];
  if (sample === undefined) throw new WorkbenchError('not_found', `dataset ${args.id} has no sample ${args.index} (it has ${index.samples.length})`);
  const set = eventSampleSet(index, 'any', { polarity: 'merged', split: 'count', transform: { scale: 1, offset: 0 }, cacheBytes: 0 });
  const events = set.events(args.index);
  const n = Math.min(events.x.length, args.maxEvents);
  return {
    index: args.index,
    file: sample.file,
    label: sample.label,
    sensor: set.sensor,
    count: events.x.length,
    truncated: n < events.x.length,
    x: base64(events.x.subarray(0, n)),
    y: base64(events.y.subarray(0, n)),
    p: base64(events.p.subarray(0, n)),
    tUs: base64(events.tUs.subarray(0, n)),
  };
}

/** The last image split opened, kept: paging through a grid reads the same container files. */
let cached: { key: string; set: ImageSet } | undefined;

export function sampleImages(ctx: ServiceContext, args: HandlerArgs<'datasets.images'>): ImagePage {
  const dataset = ctx.store.datasets.get(args.id) ?? notFound('dataset', args.id);
  if (dataset.kind !== 'images') throw new WorkbenchError('invalid_argument', `dataset ${args.id} holds events, not images (use datasets.events)`);
  const splits = ctx.store.datasets.splits(args.id);
  const split = args.split ?? (splits.includes('test') ? 'test' : splits[0]!);
  if (!splits.includes(split)) throw new WorkbenchError('invalid_argument', `dataset ${args.id} has no ${split} split (it has ${splits.join(', ')})`);
  const key = `${ctx.store.dir.root}|${args.id}|${split}`;
  if (cached?.key !== key) cached = { key, set: openImageDataset(dataset.path, dataset.layout as ImageLayout, split, { transform: { scale: 1, offset: 0 } }) };
  const { set } = cached;
  const page = ctx.store.datasets.page(args.id, split, args.offset, args.limit);
  const local = Int32Array.from(page.samples, (_, k) => args.offset + k);
  const values = set.read(local);
  const size = set.shape.reduce((a, b) => a * b, 1);
  const images = page.samples.map((s, k) => ({ index: s.index, label: s.label, pixels: base64(Uint8Array.from(values.subarray(k * size, (k + 1) * size), (v) => Math.max(0, Math.min(255, Math.round(v))))) }));
  return { split, total: page.total, shape: set.shape, images };
}
