import { invalidData } from '../../../common/errors';

/**
 * A protobuf wire-format reader (developers.google.com/protocol-buffers/docs/encoding): bytes in,
 * fields out, every read bounds-checked. Only what ONNX needs: varints (wire type 0), fixed64
 * (1), length-delimited (2) and fixed32 (5); the deprecated groups (3, 4) are refused.
 */
export type Field =
  | { readonly field: number; readonly wire: 0; readonly value: number }
  | { readonly field: number; readonly wire: 1; readonly at: number }
  | { readonly field: number; readonly wire: 2; readonly start: number; readonly end: number }
  | { readonly field: number; readonly wire: 5; readonly at: number };

export class ProtoReader {
  readonly view: DataView;

  constructor(readonly bytes: Uint8Array, readonly source: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private fail(at: number, why: string): never {
    throw invalidData(`${this.source}: corrupt or truncated protobuf at byte ${at}: ${why}`);
  }

  /** A varint at `pos` as a JS number (int64 values are exact up to 2^53; negatives decode as such). */
  varint(pos: number, end: number): { value: number; next: number } {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let p = pos;
    for (;;) {
      if (p >= end) this.fail(pos, 'varint runs past the end of its message');
      const b = this.bytes[p++]!;
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (shift - 32);
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 63) this.fail(pos, 'varint longer than 10 bytes');
    }
    const value = hi < 0 ? -((~hi >>> 0) * 4294967296 + (~lo >>> 0) + 1) : (hi >>> 0) * 4294967296 + (lo >>> 0);
    return { value, next: p };
  }

  /** The fields of the message in bytes [start, end), in order. */
  fields(start: number, end: number): Field[] {
    const out: Field[] = [];
    let p = start;
    while (p < end) {
      const tagAt = p;
      const tag = this.varint(p, end);
      p = tag.next;
      const field = Math.floor(tag.value / 8);
      const wire = tag.value % 8;
      if (field === 0) this.fail(tagAt, 'field number 0');
      switch (wire) {
        case 0: {
          const v = this.varint(p, end);
          out.push({ field, wire, value: v.value });
          p = v.next;
          break;
        }
        case 1:
          if (p + 8 > end) this.fail(p, `fixed64 field ${field} needs 8 bytes, ${end - p} left`);
          out.push({ field, wire, at: p });
          p += 8;
          break;
        case 2: {
          const len = this.varint(p, end);
          p = len.next;
          if (len.value < 0 || p + len.value > end) this.fail(tagAt, `field ${field} claims ${len.value} bytes, ${end - p} left`);
          out.push({ field, wire, start: p, end: p + len.value });
          p += len.value;
          break;
        }
        case 5:
          if (p + 4 > end) this.fail(p, `fixed32 field ${field} needs 4 bytes, ${end - p} left`);
          out.push({ field, wire, at: p });
          p += 4;
          break;
        default:
          this.fail(tagAt, `unsupported wire type ${wire} (field ${field})`);
      }
    }
    return out;
  }

  string(f: Field): string {
    if (f.wire !== 2) this.fail(0, `field ${f.field} should be a string`);
    return new TextDecoder().decode(this.bytes.subarray(f.start, f.end));
  }

  bytesOf(f: Field): Uint8Array {
    if (f.wire !== 2) this.fail(0, `field ${f.field} should be bytes`);
    return this.bytes.subarray(f.start, f.end);
  }

  float(f: Field): number {
    if (f.wire !== 5) this.fail(0, `field ${f.field} should be a float`);
    return this.view.getFloat32(f.at, true);
  }

  int(f: Field): number {
    if (f.wire !== 0) this.fail(0, `field ${f.field} should be an integer`);
    return f.value;
  }

  /** A repeated varint field, packed (one length-delimited run) or not. */
  ints(f: Field, into: number[]): void {
    if (f.wire === 0) {
      into.push(f.value);
      return;
    }
    if (f.wire !== 2) this.fail(0, `field ${f.field} should hold integers`);
    for (let p = f.start; p < f.end; ) {
      const v = this.varint(p, f.end);
      into.push(v.value);
      p = v.next;
    }
  }

  /** A repeated float field, packed or not. */
  floats(f: Field, into: number[]): void {
    if (f.wire === 5) {
      into.push(this.view.getFloat32(f.at, true));
      return;
    }
    if (f.wire !== 2 || (f.end - f.start) % 4 !== 0) this.fail(0, `field ${f.field} should hold float32 values`);
    for (let p = f.start; p < f.end; p += 4) into.push(this.view.getFloat32(p, true));
  }

  /** A repeated double field, packed or not. */
  doubles(f: Field, into: number[]): void {
    if (f.wire === 1) {
      into.push(this.view.getFloat64(f.at, true));
      return;
    }
    if (f.wire !== 2 || (f.end - f.start) % 8 !== 0) this.fail(0, `field ${f.field} should hold float64 values`);
    for (let p = f.start; p < f.end; p += 8) into.push(this.view.getFloat64(p, true));
  }
}
