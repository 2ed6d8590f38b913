import type { EventColumns, SensorSize } from '../../common/events';

export const EVENT_FORMATS = ['aedat1', 'aedat2', 'aedat3.1', 'aedat4', 'evt2', 'evt2.1', 'evt3', 'dat', 'nmnist-bin', 'npy', 'es', 'csv', 'mat', 'hdf5'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];

/** What a decoder passed over, by kind (e.g. "APS frame packets", "EXT_TRIGGER events"). */
export type SkipCounts = Record<string, number>;

/**
 * An incremental decoder: bytes in (any chunking), event columns out, in bounded memory.
 * `push` returns the events completed by the bytes so far (possibly none); `end` flushes and
 * checks that the stream did not stop mid-record.
 */
export interface EventDecoder {
  readonly format: EventFormat;
  push(chunk: Uint8Array): EventColumns | undefined;
  end(): EventColumns | undefined;
  /** The sensor size the file declares, once its header has been read (undefined if it has none). */
  sensor(): SensorSize | undefined;
  /** Skipped records by kind, and warnings about recoverable oddities. */
  skipped(): SkipCounts;
  warnings(): readonly string[];
  /** Batches as views valid until the next push, instead of copies (for one-pass readers). */
  setTransient(transient: boolean): void;
  /** Bytes consumed so far (for error messages). */
  offset(): number;
}
