import { EVENT_KERNELS_WASM_BASE64 } from './event-kernels.wasm';

/**
 * The event decoding kernels' WebAssembly instance and its memory, one per thread, laid out as
 *   [state 64 B][input][scratch][t: float64 × C][x: uint16 × C][y: uint16 × C][p: uint8 × C]
 * The input holds the bytes a decoder is working on (a chunk after its carried bytes), the scratch
 * a decompressed packet, and the columns the events decoded from them. A decoder stages its input,
 * decodes, and takes its events before the next decoder runs (decoders are synchronous and empty
 * their columns at every take), so one arena serves every decoder of the thread.
 *
 * Growing a region keeps every region's contents (later regions move up, from the last one down,
 * so nothing is overwritten), but replaces the memory's buffer: typed-array views taken before are
 * then detached. Code that holds views across a call that may grow (`reserveEvents`,
 * `reserveScratch`) takes them again afterwards; pointers stay valid, except that a larger input
 * moves everything after it (inputs are only staged between decodes).
 */
interface EventKernels {
  readonly memory: WebAssembly.Memory;
  evt2(input: number, words: number, t: number, x: number, y: number, p: number, k: number, state: number): number;
  dat(input: number, records: number, t0Us: number, v1: number, t: number, x: number, y: number, p: number, k: number): number;
  aedat4(input: number, events: number, t: number, x: number, y: number, p: number, k: number): number;
  lz4_block(p: number, end: number, base: number, o: number, limit: number): number;
}

const PAGE = 65536;
const STATE_BYTES = 64;
/** Bytes left free after the input and the scratch: the kernels' 16-byte wild copies may touch them. */
export const SPARE = 16;
const align = (n: number): number => Math.ceil(n / 16) * 16;

export interface EventPointers {
  readonly t: number;
  readonly x: number;
  readonly y: number;
  readonly p: number;
}

export class EventArena {
  readonly kernels: EventKernels;
  /** Pointer to the state slots a kernel keeps between calls (EVT 2.0's). */
  readonly state = 0;
  readonly inputAt = STATE_BYTES;
  private inputCap = 0;
  private scratchCap = 0;
  private eventCap = 0;
  /** Bumped whenever a region moves or the buffer is replaced: views of an older generation are stale. */
  generation = 0;
  private bytes: Uint8Array;

  constructor() {
    const wasm = Uint8Array.from(atob(EVENT_KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
    this.kernels = new WebAssembly.Instance(new WebAssembly.Module(wasm), {}).exports as unknown as EventKernels;
    this.bytes = new Uint8Array(this.kernels.memory.buffer);
  }

  get scratchAt(): number {
    return this.inputAt + align(this.inputCap + SPARE);
  }

  private get eventsAt(): number {
    return this.scratchAt + align(this.scratchCap + SPARE);
  }

  get eventCapacity(): number {
    return this.eventCap;
  }

  /** Where each column starts (event k of column x is at x + 2k). */
  pointers(): EventPointers {
    const t = this.eventsAt;
    const c = this.eventCap;
    return { t, x: t + 8 * c, y: t + 10 * c, p: t + 12 * c };
  }

  /** The whole memory as bytes (valid until the next growth). */
  memory(): Uint8Array {
    if (this.bytes.buffer !== this.kernels.memory.buffer) this.bytes = new Uint8Array(this.kernels.memory.buffer);
    return this.bytes;
  }

  /** Copies `carry` then `chunk` into the input region; returns a view of them. */
  stage(carry: Uint8Array, chunk: Uint8Array): Uint8Array {
    const n = carry.length + chunk.length;
    if (n > this.inputCap) this.layout(Math.max(n, Math.ceil(this.inputCap * 1.25)), this.scratchCap, this.eventCap);
    const mem = this.memory();
    mem.set(carry, this.inputAt);
    mem.set(chunk, this.inputAt + carry.length);
    return this.input(n);
  }

  /** A view of the first n staged input bytes. */
  input(n: number): Uint8Array {
    return this.memory().subarray(this.inputAt, this.inputAt + n);
  }

  /** Room for `need` bytes of scratch (plus SPARE), its first bytes and every column kept. */
  reserveScratch(need: number): void {
    if (need > this.scratchCap) this.layout(this.inputCap, Math.max(need, this.scratchCap * 2, 1 << 16), this.eventCap);
  }

  /** Room for `need` events in every column, the events so far kept. */
  reserveEvents(need: number): void {
    if (need > this.eventCap) this.layout(this.inputCap, this.scratchCap, Math.max(need, Math.ceil(this.eventCap * 1.5), 1024));
  }

  private layout(inputCap: number, scratchCap: number, eventCap: number): void {
    const before = { scratch: this.scratchAt, columns: this.pointers(), scratchCap: this.scratchCap, eventCap: this.eventCap };
    this.inputCap = inputCap;
    this.scratchCap = scratchCap;
    this.eventCap = eventCap;
    const after = this.pointers();
    const end = after.p + eventCap + SPARE;
    const memory = this.kernels.memory;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    // every region moves up (or stays): move the last one first so none overwrites the next
    const mem = this.memory();
    const c = before.eventCap;
    mem.copyWithin(after.p, before.columns.p, before.columns.p + c);
    mem.copyWithin(after.y, before.columns.y, before.columns.y + 2 * c);
    mem.copyWithin(after.x, before.columns.x, before.columns.x + 2 * c);
    mem.copyWithin(after.t, before.columns.t, before.columns.t + 8 * c);
    mem.copyWithin(this.scratchAt, before.scratch, before.scratch + before.scratchCap);
    this.generation++;
  }
}

let arena: EventArena | undefined;

/** This thread's event arena. */
export function eventArena(): EventArena {
  arena ??= new EventArena();
  return arena;
}
