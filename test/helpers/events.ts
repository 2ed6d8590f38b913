import { streamEventFile, type StreamedFile } from '../../src-main/formats/node/read-events';
import { concatEvents, type EventColumns } from '../../src-main/common/events';
import { EventStats, type EventSummary } from '../../src-main/formats/events/stats';

/** A whole event file decoded (for the small test files), with its stream info and summary. */
export function decodeFile(path: string, chunkBytes?: number): { events: EventColumns; info: StreamedFile; summary: EventSummary } {
  const batches: EventColumns[] = [];
  const info = streamEventFile(path, (e) => {
    batches.push(e);
  }, chunkBytes ? { chunkBytes } : {});
  const events = concatEvents(batches);
  const stats = new EventStats(info.sensor);
  stats.add(events);
  return { events, info, summary: stats.summary() };
}
