import type { EventColumns, SensorSize } from '../../common/events';
import { readInH5Worker } from './h5-reader';

/**
 * HDF5 event files (see h5-reader.ts for the layouts read). They are read whole, in a worker,
 * not streamed: memory is about 13 bytes per event.
 */
export async function readHdf5Events(path: string): Promise<{ events: EventColumns; sensor: SensorSize | undefined; notes: readonly string[] }> {
  const contents = await readInH5Worker({ kind: 'events', path, source: path });
  const e = contents.events!;
  return { events: { x: e.x, y: e.y, tUs: e.tUs, p: e.p }, sensor: e.width !== undefined && e.height !== undefined ? { width: e.width, height: e.height } : undefined, notes: contents.notes ?? [] };
}
