import { invalidData } from '../../common/errors';

/**
 * LZ4 frame decompression (lz4/doc/lz4_Frame_format.md and lz4_Block_format.md), written for the
 * event decoders' access pattern: many frames (one per AEDAT 4.0 packet), each decoded into one
 * output buffer that is reused from frame to frame. The result is a view of that buffer, valid
 * until the next call: a caller that keeps it copies it. No allocation per frame means memory stays
 * flat however long the file (lz4-napi, used before, returned a fresh external Buffer per packet
 * that V8's collector did not count, and one inspect of a 679 MB file peaked at 1.63 GiB).
 *
 * Frame: magic 0x184D2204, FLG (version 01, block independence, block checksum, content size,
 * content checksum, dictionary id), BD (block maximum size), optional content size and dictionary
 * id, a header checksum byte; then blocks (uint32 size, high bit set for a stored block), each
 * optionally followed by a 4-byte checksum, up to a zero end mark and an optional content checksum.
 * Checksums are skipped, not verified. Block: sequences of a token (literal length in the high
 * nibble, match length − 4 in the low; 15 continues in following bytes), literals, a 2-byte
 * little-endian offset back into the output and the match. Linked blocks reference earlier blocks,
 * which are in the same output buffer.
 */
const MAGIC = 0x184d2204;
const BLOCK_SIZES = [0, 0, 0, 0, 64 << 10, 256 << 10, 1 << 20, 4 << 20];
const WILD = 16;

export class Lz4FrameDecoder {
  private out = new Uint8Array(1 << 16);

  decode(src: Uint8Array): Uint8Array {
    const n = src.length;
    if (n < 7) throw new Error(`${n} bytes is too short for an LZ4 frame`);
    const magic = (src[0]! | (src[1]! << 8) | (src[2]! << 16) | (src[3]! << 24)) >>> 0;
    if (magic !== MAGIC) throw new Error(`no LZ4 frame magic (0x${magic.toString(16)})`);
    const flg = src[4]!;
    if (flg >> 6 !== 1) throw new Error(`LZ4 frame version ${flg >> 6} (1 expected)`);
    const blockChecksum = (flg & 0x10) !== 0;
    const maxBlock = BLOCK_SIZES[(src[5]! >> 4) & 7]!;
    if (maxBlock === 0) throw new Error(`LZ4 block size code ${(src[5]! >> 4) & 7} is reserved`);
    let p = 7 + (flg & 0x08 ? 8 : 0) + (flg & 0x01 ? 4 : 0);
    let o = 0;
    for (;;) {
      if (p + 4 > n) throw new Error('the LZ4 frame ends before its end mark');
      const word = (src[p]! | (src[p + 1]! << 8) | (src[p + 2]! << 16) | (src[p + 3]! << 24)) >>> 0;
      p += 4;
      if (word === 0) break;
      const size = word & 0x7fffffff;
      if (size > maxBlock || p + size > n) throw new Error(`LZ4 block of ${size} bytes (maximum ${maxBlock}, ${n - p} left)`);
      if (o + maxBlock + WILD > this.out.length) this.grow(o + maxBlock + WILD);
      o = word & 0x80000000 ? this.stored(src, p, size, o) : this.block(src, p, p + size, o, o + maxBlock);
      p += size + (blockChecksum ? 4 : 0);
    }
    return this.out.subarray(0, o);
  }

  private grow(need: number): void {
    const next = new Uint8Array(Math.max(need, this.out.length * 2));
    next.set(this.out);
    this.out = next;
  }

  private stored(src: Uint8Array, p: number, size: number, o: number): number {
    this.out.set(src.subarray(p, p + size), o);
    return o + size;
  }

  private block(src: Uint8Array, p: number, end: number, o: number, limit: number): number {
    const next = decodeBlock(src, p, end, this.out, o, limit);
    if (next < 0) throw new Error(BLOCK_ERRORS[-next - 1]!);
    return next;
  }
}

const BLOCK_ERRORS = ['an LZ4 literal length runs past the block', 'LZ4 literals run past the block', 'an LZ4 match offset is cut short', 'an LZ4 match offset points before the output', 'an LZ4 match length runs past the block', 'an LZ4 match runs past the block size'];

/**
 * One compressed block src[p, end) into out from o; returns the output position after it, or
 * −(1 + an index into BLOCK_ERRORS). A plain function with no throw inside keeps the loop in
 * V8's optimised code (event packets are ~8 bytes per sequence, so per-sequence cost is all).
 */
function decodeBlock(src: Uint8Array, p: number, end: number, out: Uint8Array, o: number, limit: number): number {
  // 4-byte "wild" copies that may write up to 3 bytes past a run (the output has WILD spare bytes
  // past the block limit, and later writes overwrite them): fewer, wider moves per sequence
  const dst = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const from4 = new DataView(src.buffer, src.byteOffset, src.byteLength);
  while (p < end) {
    const token = src[p++]!;
    let literals = token >> 4;
    if (literals === 15) {
      let b = 255;
      while (b === 255) {
        if (p >= end) return -1;
        b = src[p++]!;
        literals += b;
      }
    }
    if (p + literals > end || o + literals > limit) return -2;
    // a subarray costs an allocation: short runs (nearly all of them in event packets) copy by hand
    if (literals <= 16 && p + 16 <= end) for (let i = 0; i < literals; i += 4) dst.setUint32(o + i, from4.getUint32(p + i, true), true);
    else if (literals < 256) for (let i = 0; i < literals; i++) out[o + i] = src[p + i]!;
    else out.set(src.subarray(p, p + literals), o);
    p += literals;
    o += literals;
    if (p >= end) break; // the last sequence has literals only
    if (p + 2 > end) return -3;
    const offset = src[p]! | (src[p + 1]! << 8);
    p += 2;
    if (offset === 0 || offset > o) return -4;
    let length = (token & 15) + 4;
    if (length === 19) {
      let b = 255;
      while (b === 255) {
        if (p >= end) return -5;
        b = src[p++]!;
        length += b;
      }
    }
    if (o + length > limit) return -6;
    if (offset >= length && length > 64) {
      out.copyWithin(o, o - offset, o - offset + length);
      o += length;
    } else if (offset >= 4) {
      // 4-byte steps read only bytes already written (offset ≥ 4), so overlap repeats correctly
      const stop = o + length;
      for (let at = o, from = o - offset; at < stop; at += 4, from += 4) dst.setUint32(at, dst.getUint32(from, true), true);
      o = stop;
    } else {
      // overlapping (or short) copies go byte by byte: a match may repeat its own output
      for (let from = o - offset, stop = o + length; o < stop; ) out[o++] = out[from++]!;
    }
  }
  return o;
}

const shared = new Lz4FrameDecoder();

/** Decompresses one LZ4 frame; the result is valid until the next call (see Lz4FrameDecoder). */
export function decompressLz4Frame(frame: Uint8Array): Uint8Array {
  try {
    return shared.decode(frame);
  } catch (error) {
    throw invalidData((error as Error).message);
  }
}
