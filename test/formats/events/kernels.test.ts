import { readFileSync } from 'node:fs';
import { compress as lz4jsCompress } from 'lz4js';
import { describe, expect, it } from 'vitest';
import { concatEvents, type EventColumns } from '../../../src-main/common/events';
import { decompressLz4Frame } from '../../../src-main/formats/compression/lz4';
import { createDecoder } from '../../../src-main/formats/events/decoders';
import { EventArena } from '../../../src-main/formats/kernels/event-arena';
import type { EventFormat } from '../../../src-main/formats/events/types';
import { HAVE_FIXTURES, fixture } from '../../helpers/fixtures';

/**
 * The WebAssembly event kernels (event-kernels.wat) and the arena they share. LZ4 frames written
 * by lz4js (an independent encoder) must come back as the bytes that went in, whatever mix of
 * literals, short-offset and long matches, stored and multiple blocks they hold; corrupt frames
 * fail with a message. Decoders running interleaved on one thread (each growing the shared arena
 * at different times) must give what each gives alone.
 */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function patterned(n: number, seed: number): Uint8Array {
  const rand = seeded(seed);
  const out = new Uint8Array(n);
  let i = 0;
  while (i < n) {
    const kind = Math.floor(rand() * 4);
    const run = 1 + Math.floor(rand() * 300);
    if (kind === 0) for (let k = 0; k < run && i < n; k++) out[i++] = Math.floor(rand() * 256); // literals
    else if (kind === 1) for (let k = 0, b = Math.floor(rand() * 256); k < run && i < n; k++) out[i++] = b; // offset 1
    else {
      // a repeat of the last `period` bytes: offsets below 8, 8–15 and beyond 16
      const period = kind === 2 ? 2 + Math.floor(rand() * 14) : 16 + Math.floor(rand() * 2000);
      for (let k = 0; k < run * 4 && i < n; k++, i++) out[i] = i >= period ? out[i - period]! : (i * 31) & 0xff;
    }
  }
  return out;
}

function decodeAll(format: EventFormat, bytes: Uint8Array, chunk: number): EventColumns {
  const d = createDecoder(format, format);
  const batches: EventColumns[] = [];
  for (let at = 0; at < bytes.length; at += chunk) {
    const e = d.push(bytes.subarray(at, at + chunk));
    if (e) batches.push(e);
  }
  const e = d.end();
  if (e) batches.push(e);
  return concatEvents(batches);
}

describe.skipIf(!HAVE_FIXTURES)('decoders sharing the event arena', () => {
  it('give the same events interleaved, in small chunks, as each alone in one chunk', () => {
    const files: [EventFormat, Uint8Array, number][] = [
      ['aedat4', new Uint8Array(readFileSync(fixture('events/tonic_sample.aedat4'))), 50_001],
      ['evt2', new Uint8Array(readFileSync(fixture('events/expelliarmus_evt2_sample.raw'))), 65_537],
      ['dat', new Uint8Array(readFileSync(fixture('events/tonic_sample_ncars.dat'))), 999],
    ];
    const decoders = files.map(([format]) => createDecoder(format, format));
    const batches: EventColumns[][] = files.map(() => []);
    const done = files.map(() => false);
    for (let round = 0; done.some((d) => !d); round++) {
      files.forEach(([, bytes, chunk], i) => {
        if (done[i]) return;
        const at = round * chunk;
        const e = at < bytes.length ? decoders[i]!.push(bytes.subarray(at, at + chunk)) : decoders[i]!.end();
        if (e) batches[i]!.push(e);
        if (at >= bytes.length) done[i] = true;
      });
    }
    const alone = files.map(([format, bytes]) => decodeAll(format, bytes, bytes.length));
    expect(alone.map((e) => e.x.length)).toEqual([111_954, 539_481, 2_009]); // MANIFEST.md's counts
    files.forEach((_, i) => {
      const mixed = concatEvents(batches[i]!);
      for (const key of ['x', 'y', 'tUs', 'p'] as const) expect(Buffer.compare(Buffer.from(mixed[key].buffer, mixed[key].byteOffset, mixed[key].byteLength), Buffer.from(alone[i]![key].buffer, alone[i]![key].byteOffset, alone[i]![key].byteLength))).toBe(0);
    });
  });
});

describe('LZ4 frames through the lz4_block kernel', () => {
  const cases: [string, Uint8Array][] = [
    ['mixed literals and matches', patterned(200_000, 1)],
    ['several 4 MiB blocks', patterned(9 * 2 ** 20 + 12_345, 2)],
    ['incompressible (stored blocks)', Uint8Array.from({ length: 70_000 }, seeded(3)).map((v) => Math.floor(v * 256))],
    ['one byte repeated', new Uint8Array(100_000).fill(7)],
    ['tiny', Uint8Array.of(1, 2, 3)],
    ['empty', new Uint8Array(0)],
  ];
  for (const [name, input] of cases) {
    it(`gives back what lz4js compressed: ${name}`, () => {
      const frame = new Uint8Array(lz4jsCompress(input));
      const back = decompressLz4Frame(frame);
      expect(back.length).toBe(input.length);
      expect(Buffer.compare(Buffer.from(back), Buffer.from(input))).toBe(0);
    });
  }

  it('fails with a message on every truncation and on a corrupted offset, never a trap', () => {
    const frame = new Uint8Array(lz4jsCompress(patterned(5000, 4)));
    for (let n = 0; n < frame.length - 1; n += 7) expect(() => decompressLz4Frame(frame.subarray(0, n))).toThrow(/LZ4|frame/);
    const bad = frame.slice();
    bad[11] = 0xf0; // a literal run far longer than the block
    expect(() => decompressLz4Frame(bad)).toThrow(/LZ4/);
  });
});


describe('the event arena', () => {
  it('keeps every region\'s contents when any region grows', () => {
    const arena = new EventArena();
    const input = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);
    arena.stage(new Uint8Array(0), input);
    arena.reserveScratch(5000);
    arena.memory().fill(0xab, arena.scratchAt, arena.scratchAt + 5000);
    arena.reserveEvents(3000);
    const columns = () => {
      const at = arena.pointers();
      const buffer = arena.memory().buffer;
      return { t: new Float64Array(buffer, at.t, 3000), x: new Uint16Array(buffer, at.x, 3000), y: new Uint16Array(buffer, at.y, 3000), p: new Uint8Array(buffer, at.p, 3000) };
    };
    const fill = (): void => {
      const { t, x, y, p } = columns();
      for (let k = 0; k < 3000; k++) [t[k], x[k], y[k], p[k]] = [k * 1.5, k, 3000 - k, k & 1];
    };
    const check = (): void => {
      const { t, x, y, p } = columns();
      for (let k = 0; k < 3000; k += 37) expect([t[k], x[k], y[k], p[k]]).toEqual([k * 1.5, k, 3000 - k, k & 1]);
      expect(Array.from(arena.input(1000))).toEqual(Array.from(input));
      expect(arena.memory().subarray(arena.scratchAt, arena.scratchAt + 5000).every((b) => b === 0xab)).toBe(true);
    };
    fill();
    const generation = arena.generation;
    arena.reserveScratch(3 << 20); // moves the columns up, grows the memory
    check();
    arena.reserveEvents(400_000); // spreads the columns apart
    check();
    expect(arena.generation).toBeGreaterThan(generation);
  });
});
