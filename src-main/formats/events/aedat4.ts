import { lz4FrameToScratch } from '../compression/lz4';
import { decompress as zstdDecompress } from 'fzstd';
import { ChunkedDecoder } from './chunked-decoder';
import type { ArenaColumns } from './arena-columns';

/**
 * AEDAT 4.0 (iniVation DV, dv-processing): `#!AER-DAT4.0\r\n`, a uint32 length and an IOHeader
 * flatbuffer (identifier IOHE: compression, dataTablePosition, infoNode XML), then packets — int32
 * stream id, int32 size, payload — up to the file data table at dataTablePosition (or the end).
 * Payloads are one LZ4 frame (compression 1, 2) or one Zstandard frame (3, 4) when compressed,
 * and decompress to a size-prefixed flatbuffer whose identifier names the type: EVTS event
 * packets hold a vector of 16-byte structs {int64 timestamp µs, int16 x, int16 y, bool on, pad}.
 * The infoNode XML maps stream ids to types (`typeIdentifier`) and gives the sensor size
 * (`sizeX`, `sizeY`). The lowest-numbered EVTS stream is decoded (as tonic does); packets of other
 * streams are skipped and counted by type. LZ4 blocks and the event structs are decoded by kernels
 * (event-kernels.wat) in the thread's EventArena.
 */
const MAGIC = '#!AER-DAT4.0\r\n';
const COMPRESSION = ['none', 'LZ4', 'LZ4 (high)', 'Zstandard', 'Zstandard (high)'];
const MAX_PACKET_BYTES = 1 << 28;

interface StreamInfo {
  readonly id: number;
  readonly type: string;
  readonly width?: number;
  readonly height?: number;
}

export class Aedat4Decoder extends ChunkedDecoder {
  readonly format = 'aedat4' as const;
  private compression = -1;
  private tablePosition = -1;
  private streams = new Map<number, StreamInfo>();
  private eventStream: number | undefined;
  private finished = false;

  protected override get usesKernels(): boolean {
    return true;
  }

  protected decode(bytes: Uint8Array, atEnd: boolean): number {
    let p = 0;
    if (this.compression < 0) {
      const header = this.readHeader(bytes, atEnd);
      if (header === 0) return 0;
      p = header;
    }
    // bytes is the arena's input (its byteOffset the kernels' pointer); decoding a packet may grow
    // the arena and detach the view, so packet headers are read from the memory as it is now
    const at = bytes.byteOffset;
    const n = bytes.length;
    while (!this.finished && p + 8 <= n) {
      if (this.tablePosition >= 0 && this.base + p >= this.tablePosition) {
        this.finished = true;
        break;
      }
      const mem = this.arena!.memory();
      const stream = int32(mem, at + p);
      const size = int32(mem, at + p + 4);
      if (size < 0 || size > MAX_PACKET_BYTES) throw this.error(this.base + p, `corrupt packet header (stream ${stream}, size ${size})`);
      if (p + 8 + size > n) break;
      if (stream === this.eventStream) this.decodeEventPacket(at + p + 8, size, this.base + p + 8);
      else this.skip(`${this.streams.get(stream)?.type ?? `stream ${stream}`} packets`);
      p += 8 + size;
    }
    if (this.finished) return n; // the file data table and anything after it
    if (atEnd && p < n) throw this.error(this.base + p, `the file ends inside a packet (${n - p} bytes of it present)`);
    return p;
  }

  /** Returns the header's length once it is complete, 0 while more bytes are needed. */
  private readHeader(bytes: Uint8Array, atEnd: boolean): number {
    if (bytes.length < MAGIC.length + 4) {
      if (atEnd) throw this.error(0, `${bytes.length} bytes is too short for an AEDAT 4.0 header`);
      return 0;
    }
    for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) throw this.error(i, 'not an AEDAT 4.0 file (no #!AER-DAT4.0 line)');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = view.getUint32(MAGIC.length, true);
    const start = MAGIC.length + 4;
    if (n > 1 << 24) throw this.error(MAGIC.length, `IOHeader length ${n} is implausible`);
    if (bytes.length < start + n) {
      if (atEnd) throw this.error(start, `the IOHeader (${n} bytes) is cut short`);
      return 0;
    }
    const fb = new FlatBuffer(bytes.subarray(start, start + n), (at, why) => this.error(start + at, `IOHeader: ${why}`));
    const root = fb.root();
    this.compression = fb.int32Field(root, 0) ?? 0;
    this.tablePosition = fb.int64Field(root, 1) ?? -1;
    const xml = fb.stringField(root, 2) ?? '';
    if (this.compression < 0 || this.compression >= COMPRESSION.length) throw this.error(start, `unknown compression ${this.compression}`);
    this.streams = parseInfoNode(xml);
    const events = [...this.streams.values()].filter((s) => s.type === 'EVTS').sort((a, b) => a.id - b.id);
    this.eventStream = events[0]?.id;
    if (this.eventStream === undefined) this.warn('the file declares no event (EVTS) stream');
    const first = events[0];
    if (first?.width !== undefined && first.height !== undefined) this.size = { width: first.width, height: first.height };
    for (const extra of events.slice(1)) this.warn(`event stream ${extra.id} is not decoded (stream ${first!.id} is)`);
    return start + n;
  }

  /** The packet payload at arena pointer `ptr` (`size` bytes; file offset `at`, for messages). */
  private decodeEventPacket(ptr: number, size: number, at: number): void {
    const arena = this.arena!;
    let data = ptr;
    let length = size;
    try {
      if (this.compression >= 1 && this.compression <= 2) {
        length = lz4FrameToScratch(arena, ptr, size);
        data = arena.scratchAt;
      } else if (this.compression >= 3) {
        const plain = zstdDecompress(arena.memory().subarray(ptr, ptr + size));
        arena.reserveScratch(plain.length);
        arena.memory().set(plain, arena.scratchAt);
        data = arena.scratchAt;
        length = plain.length;
      }
    } catch (error) {
      throw this.error(at, `${COMPRESSION[this.compression]} packet does not decompress (${(error as Error).message})`);
    }
    if (length < 12) throw this.error(at, `event packet of ${length} bytes is too short`);
    const body = arena.memory().subarray(data + 4, data + length); // past the size prefix
    const fb = new FlatBuffer(body, (o, why) => this.error(at, `event packet: ${why} (at byte ${o} of the decompressed packet)`));
    const id = String.fromCharCode(body[4]!, body[5]!, body[6]!, body[7]!);
    if (id !== 'EVTS') throw this.error(at, `packet of the event stream has identifier '${id}', expected EVTS`);
    const vector = fb.vectorField(fb.root(), 0);
    if (vector === undefined) return;
    const { start, length: events } = vector;
    if (start + events * 16 > body.length) throw this.error(at, `event vector of ${events} events runs past the packet`);
    const structs = data + 4 + start; // (the pointer survives the growth below; the view does not)
    const out = this.out as ArenaColumns;
    out.reserve(events);
    const to = out.pointers();
    out.length = arena.kernels.aedat4(structs, events, to.t, to.x, to.y, to.p, out.length);
  }
}

function int32(mem: Uint8Array, q: number): number {
  return mem[q]! | (mem[q + 1]! << 8) | (mem[q + 2]! << 16) | (mem[q + 3]! << 24);
}

/** Just enough of the FlatBuffers binary format (flatbuffers.dev, "Internals") to read tables. */
class FlatBuffer {
  private readonly view: DataView;

  constructor(private readonly b: Uint8Array, private readonly fail: (at: number, why: string) => Error) {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  private check(at: number, bytes: number): void {
    if (at < 0 || at + bytes > this.b.length) throw this.fail(at, `offset ${at} (+${bytes}) outside the ${this.b.length}-byte buffer`);
  }

  u32(at: number): number {
    this.check(at, 4);
    return this.view.getUint32(at, true);
  }

  root(): number {
    return this.u32(0);
  }

  /** Offset of field `index` in table `table`, or 0 when absent (default value). */
  private field(table: number, index: number): number {
    this.check(table, 4);
    const vt = table - this.view.getInt32(table, true);
    this.check(vt, 4);
    const vtSize = this.view.getUint16(vt, true);
    const slot = 4 + 2 * index;
    if (slot + 2 > vtSize) return 0;
    this.check(vt + slot, 2);
    const off = this.view.getUint16(vt + slot, true);
    return off === 0 ? 0 : table + off;
  }

  int32Field(table: number, index: number): number | undefined {
    const at = this.field(table, index);
    if (at === 0) return undefined;
    this.check(at, 4);
    return this.view.getInt32(at, true);
  }

  int64Field(table: number, index: number): number | undefined {
    const at = this.field(table, index);
    if (at === 0) return undefined;
    this.check(at, 8);
    return this.view.getInt32(at + 4, true) * 4294967296 + this.view.getUint32(at, true);
  }

  stringField(table: number, index: number): string | undefined {
    const v = this.vectorField(table, index);
    if (v === undefined) return undefined;
    this.check(v.start, v.length);
    return new TextDecoder().decode(this.b.subarray(v.start, v.start + v.length));
  }

  vectorField(table: number, index: number): { start: number; length: number } | undefined {
    const at = this.field(table, index);
    if (at === 0) return undefined;
    const vec = at + this.u32(at);
    return { start: vec + 4, length: this.u32(vec) };
  }
}

/** Stream ids, types and sizes from the infoNode XML (dv's `<node>` / `<attr>` tree). */
export function parseInfoNode(xml: string): Map<number, StreamInfo> {
  const streams = new Map<number, { id: number; type: string; width?: number; height?: number }>();
  const stack: string[] = [];
  const token = /<node\s+name="([^"]*)"[^>]*?(\/?)>|<\/node>|<attr\s+key="([^"]*)"[^>]*>([^<]*)<\/attr>/g;
  for (let m = token.exec(xml); m !== null; m = token.exec(xml)) {
    if (m[0] === '</node>') {
      stack.pop();
      continue;
    }
    if (m[1] !== undefined) {
      if (m[2] !== '/') stack.push(m[1]);
      continue;
    }
    const at = stack.indexOf('outInfo');
    if (at < 0 || stack.length < at + 2) continue;
    const id = Number(stack[at + 1]);
    if (!Number.isInteger(id)) continue;
    const s = streams.get(id) ?? { id, type: '' };
    const key = m[3]!;
    const value = m[4]!.trim();
    if (stack.length === at + 2 && key === 'typeIdentifier') s.type = value;
    if (stack[at + 2] === 'info' && key === 'sizeX') s.width = Number(value);
    if (stack[at + 2] === 'info' && key === 'sizeY') s.height = Number(value);
    streams.set(id, s);
  }
  return streams;
}
