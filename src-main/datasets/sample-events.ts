import { join } from 'node:path';
import { concatEvents, type EventColumns, type SensorSize } from '../common/events';
import { streamEventFile } from '../formats/node/read-events';
import type { EventSample } from '../common/datasets';

/**
 * The events of one sample, at most `maxEvents` of them, read by streaming its file: reading
 * stops as soon as the sample's first `maxEvents` events (or its time range) are in, so looking at
 * one sample of a long recording costs that sample, not the recording.
 */
export interface SampleEvents {
  readonly events: EventColumns;
  /** The sensor the file declares, when it declares one. */
  readonly sensor: SensorSize | undefined;
  /** False when reading stopped at `maxEvents` before the sample's end. */
  readonly complete: boolean;
}

export function readSampleEvents(root: string, sample: EventSample, maxEvents: number): SampleEvents {
  const batches: EventColumns[] = [];
  let kept = 0;
  let full = false;
  let pastEnd = false;
  const { startUs, endUs } = sample;
  const info = streamEventFile(join(root, sample.file), (batch) => {
    const part = startUs === undefined || endUs === undefined ? batch : timeSlice(batch, startUs, endUs);
    // Recordings cut into samples are in time order: a batch that starts past the range ends it.
    if (endUs !== undefined && batch.tUs.length > 0 && batch.tUs[0]! >= endUs) pastEnd = true;
    const take = Math.min(part.x.length, maxEvents - kept);
    if (take > 0) batches.push(take === part.x.length ? part : head(part, take));
    kept += take;
    full = kept >= maxEvents && take < part.x.length;
    return full || pastEnd ? 'stop' : undefined;
  });
  return { events: concatEvents(batches), sensor: info.sensor, complete: !full };
}

/** The events of a batch in [startUs, endUs) (batches of one recording are in time order). */
export function timeSlice(e: EventColumns, startUs: number, endUs: number): EventColumns {
  let from = 0;
  while (from < e.tUs.length && e.tUs[from]! < startUs) from++;
  let to = from;
  while (to < e.tUs.length && e.tUs[to]! < endUs) to++;
  return { x: e.x.subarray(from, to), y: e.y.subarray(from, to), tUs: e.tUs.subarray(from, to), p: e.p.subarray(from, to) };
}

function head(e: EventColumns, n: number): EventColumns {
  return { x: e.x.subarray(0, n), y: e.y.subarray(0, n), tUs: e.tUs.subarray(0, n), p: e.p.subarray(0, n) };
}
