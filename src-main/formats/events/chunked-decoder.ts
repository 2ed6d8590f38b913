import { invalidData } from '../../common/errors';
import { eventArena, type EventArena } from '../kernels/event-arena';
import { ArenaColumns } from './arena-columns';
import { ColumnsBuilder } from './columns-builder';
import type { EventColumns, SensorSize } from '../../common/events';
import type { EventDecoder, EventFormat, SkipCounts } from './types';

/**
 * The plumbing every incremental decoder shares: bytes left over from one chunk are carried into
 * the next, offsets are tracked for error messages, and events accumulate in a ColumnsBuilder.
 * A subclass implements `decode(bytes, atEnd)`, which consumes as many whole records as `bytes`
 * holds and returns how many bytes it used.
 */
export abstract class ChunkedDecoder implements EventDecoder {
  abstract readonly format: EventFormat;
  /** The thread's EventArena for a decoder that runs WebAssembly kernels (see `usesKernels`). */
  protected readonly arena: EventArena | undefined = this.usesKernels ? eventArena() : undefined;
  protected readonly out: ColumnsBuilder = this.arena ? new ArenaColumns(this.arena) : new ColumnsBuilder();
  protected size: SensorSize | undefined;
  protected readonly skips: SkipCounts = {};
  protected readonly notes: string[] = [];
  private carry: Uint8Array = new Uint8Array(0);
  /** Where a carry and the next chunk are joined: kept from chunk to chunk, so joining allocates nothing. */
  private work = new Uint8Array(0);
  private transient = false;
  /** Absolute file offset of the first byte handed to the next `decode` call. */
  protected base = 0;

  constructor(protected readonly source: string) {}

  /** Batches become views valid until the next push (ColumnsBuilder.take): for one-pass readers. */
  setTransient(transient: boolean): void {
    this.transient = transient;
  }

  /**
   * True for a decoder whose loops are kernels in the thread's EventArena: its input is staged in
   * the arena's memory (`decode` gets a view of it, whose byteOffset is the kernels' pointer) and
   * its events are ArenaColumns. (A getter: the fields above read it while the object is built.)
   */
  protected get usesKernels(): boolean {
    return false;
  }

  push(chunk: Uint8Array): EventColumns | undefined {
    const bytes = this.stage(chunk);
    const n = bytes.length;
    const used = this.decode(bytes, false);
    // copied: the caller reuses its chunk buffer, and the joined bytes are overwritten next time
    // (taken again from an arena, whose memory may have grown during the decode)
    this.carry = (this.arena ? this.arena.input(n) : bytes).slice(used);
    this.base += used;
    return this.out.take(this.transient);
  }

  end(): EventColumns | undefined {
    const bytes = this.stage(new Uint8Array(0));
    const n = bytes.length; // (before the decode, which may detach the view)
    const used = this.decode(bytes, true);
    const left = n - used;
    this.base += used;
    this.carry = new Uint8Array(0);
    if (left > 0) throw this.error(this.base, `the file ends in the middle of a record (${left} byte(s) left over)`);
    return this.out.take(this.transient);
  }

  /** The carried bytes and then the chunk, in one array (the chunk itself when nothing is carried). */
  private stage(chunk: Uint8Array): Uint8Array {
    if (this.arena) return this.arena.stage(this.carry, chunk);
    if (this.carry.length === 0) return chunk;
    const need = this.carry.length + chunk.length;
    if (this.work.length < need) this.work = new Uint8Array(need);
    this.work.set(this.carry);
    this.work.set(chunk, this.carry.length);
    return this.work.subarray(0, need);
  }

  sensor(): SensorSize | undefined {
    return this.size;
  }

  skipped(): SkipCounts {
    return { ...this.skips };
  }

  warnings(): readonly string[] {
    return this.notes;
  }

  offset(): number {
    return this.base;
  }

  protected abstract decode(bytes: Uint8Array, atEnd: boolean): number;

  protected skip(kind: string, n = 1): void {
    this.skips[kind] = (this.skips[kind] ?? 0) + n;
  }

  protected warn(message: string): void {
    if (this.notes.length < 20 && !this.notes.includes(message)) this.notes.push(message);
  }

  protected error(at: number, why: string) {
    return invalidData(`${this.source}: byte ${at}: ${why}`, { offset: at });
  }
}

/**
 * A text header of lines starting with `marker` ('%' for Prophesee, '#' for jAER), each ended by
 * '\n'. Returns the lines (marker and line ends stripped) and the header's length in bytes, or
 * undefined while the header may continue past the bytes at hand.
 */
export function readTextHeader(bytes: Uint8Array, marker: number, atEnd: boolean, maxBytes = 1 << 20): { lines: string[]; length: number } | undefined {
  const lines: string[] = [];
  let p = 0;
  while (p < bytes.length && bytes[p] === marker) {
    const eol = bytes.indexOf(0x0a, p);
    if (eol < 0) {
      if (atEnd) return { lines: [...lines, latin1(bytes.subarray(p + 1))], length: bytes.length };
      if (bytes.length > maxBytes) return { lines, length: p };
      return undefined;
    }
    lines.push(latin1(bytes.subarray(p + 1, eol)).replace(/\r$/, ''));
    p = eol + 1;
  }
  if (p === bytes.length && !atEnd) return undefined; // the next chunk may start with another header line
  return { lines, length: p };
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}
