import { closeSync, openSync, readSync } from 'node:fs';
import { fileError } from './files';
import { createDecoder } from '../events/decoders';
import { detectEventFormat } from '../events/detect';
import type { EventColumns, SensorSize } from '../../common/events';
import type { EventFormat, SkipCounts } from '../events/types';

/**
 * Streams an event file through its decoder in fixed-size chunks, so memory stays bounded by the
 * chunk and one batch of events whatever the file's size. The caller gets each batch as it is
 * decoded, with the sensor size once the header has declared it, and must not keep references it
 * does not need. With `transient`, each batch is a view of the decoder's own arrays, valid only
 * during the call (no copy per batch): for readers that look at every event once (inspect,
 * dataset indexing, benchmarks).
 */
export interface StreamedFile {
  readonly format: EventFormat;
  readonly sensor: SensorSize | undefined;
  readonly skipped: SkipCounts;
  readonly warnings: readonly string[];
  readonly bytes: number;
  /** False when the caller stopped the stream before the end of the file. */
  readonly complete: boolean;
}

/** What a batch handler returns: `'stop'` ends the stream early (nothing more is read). */
export type BatchVerdict = void | 'stop';

export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

export function streamEventFile(path: string, onBatch: (events: EventColumns, sensor: SensorSize | undefined) => BatchVerdict, options: { chunkBytes?: number; format?: EventFormat; transient?: boolean } = {}): StreamedFile {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw fileError(error, path, 'event file');
  }
  try {
    const chunk = new Uint8Array(options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
    let read = readSync(fd, chunk, 0, chunk.length, null);
    const format = options.format ?? detectEventFormat(chunk.subarray(0, read), path);
    const decoder = createDecoder(format, path);
    if (options.transient) decoder.setTransient(true);
    let total = 0;
    while (read > 0) {
      total += read;
      // The decoder copies what it keeps, so the chunk buffer can be reused.
      const events = decoder.push(chunk.subarray(0, read));
      if (events && onBatch(events, decoder.sensor()) === 'stop') {
        return { format, sensor: decoder.sensor(), skipped: decoder.skipped(), warnings: decoder.warnings(), bytes: total, complete: false };
      }
      read = readSync(fd, chunk, 0, chunk.length, null);
    }
    const last = decoder.end();
    if (last) onBatch(last, decoder.sensor());
    return { format, sensor: decoder.sensor(), skipped: decoder.skipped(), warnings: decoder.warnings(), bytes: total, complete: true };
  } catch (error) {
    throw fileError(error, path, 'event file');
  } finally {
    closeSync(fd);
  }
}
