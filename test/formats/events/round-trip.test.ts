import { describe, expect, it } from 'vitest';
import { Aedat2Decoder, encodeAedat2Dvs128 } from '../../../src-main/formats/events/aedat2';
import { Aedat31Decoder, encodeAedat31 } from '../../../src-main/formats/events/aedat3';
import { NmnistBinDecoder, encodeNmnistBin } from '../../../src-main/formats/events/nmnist-bin';
import { Evt21Decoder, encodeEvt21 } from '../../../src-main/formats/events/prophesee-evt21';
import { Evt2Decoder, encodeEvt2 } from '../../../src-main/formats/events/prophesee-evt2';
import { Evt3Decoder, encodeEvt3 } from '../../../src-main/formats/events/prophesee-evt3';
import { concatEvents, type EventColumns } from '../../../src-main/common/events';
import { type EventDecoder } from '../../../src-main/formats/events/types';
import { makeRandom } from '../../../src-main/common/random';

/**
 * Writers and decoders against each other on synthetic streams, including the edge cases real
 * files rarely show: timestamp wraps (EVT 3.0's 24-bit time, AEDAT 3.1's overflow counter), dense
 * rows written as vectors, and every chunking of the bytes. No real AEDAT 3.1 or EVT 2.1 sample
 * is at hand, so those two follow the published specifications (iniVation, Prophesee).
 */
function synthetic(n: number, size: { width: number; height: number }, seed: number, startUs = 0, maxStepUs = 40): EventColumns {
  const random = makeRandom(seed, 11);
  const e = { x: new Uint16Array(n), y: new Uint16Array(n), tUs: new Float64Array(n), p: new Uint8Array(n) };
  let t = startUs;
  for (let i = 0; i < n; ) {
    // bursts: several events at one time on one row, with increasing x (as sensors emit rows)
    const burst = 1 + Math.floor(random() * 6);
    const y = Math.floor(random() * size.height);
    const p = random() < 0.5 ? 1 : 0;
    let x = Math.floor(random() * (size.width - 20));
    for (let b = 0; b < burst && i < n; b++, i++) {
      e.x[i] = x;
      e.y[i] = y;
      e.p[i] = p;
      e.tUs[i] = t;
      x += 1 + Math.floor(random() * 3);
    }
    t += Math.floor(random() * maxStepUs);
  }
  return e;
}

function decodeAll(decoder: EventDecoder, bytes: Uint8Array, chunk: number): EventColumns {
  const batches = [];
  for (let at = 0; at < bytes.length; at += chunk) batches.push(decoder.push(bytes.subarray(at, at + chunk)));
  batches.push(decoder.end());
  return concatEvents(batches);
}

function expectSame(a: EventColumns, b: EventColumns): void {
  expect(a.x.length).toBe(b.x.length);
  expect(Array.from(a.x)).toEqual(Array.from(b.x));
  expect(Array.from(a.y)).toEqual(Array.from(b.y));
  expect(Array.from(a.tUs)).toEqual(Array.from(b.tUs));
  expect(Array.from(a.p)).toEqual(Array.from(b.p));
}

describe('event writers and decoders round-trip', () => {
  const chunks = [7, 64, 1000, 1 << 20];

  it('N-MNIST .bin', () => {
    const e = synthetic(3000, { width: 34, height: 34 }, 1);
    const bytes = encodeNmnistBin(e);
    for (const c of chunks) expectSame(decodeAll(new NmnistBinDecoder('t.bin'), bytes, c), e);
  });

  it('AEDAT 2.0 (DVS128)', () => {
    const e = synthetic(3000, { width: 128, height: 128 }, 2, 1000);
    const bytes = encodeAedat2Dvs128(e);
    for (const c of chunks) {
      const d = new Aedat2Decoder('t.aedat');
      expectSame(decodeAll(d, bytes, c), e);
      expect(d.sensor()).toEqual({ width: 128, height: 128 });
    }
  });

  it('AEDAT 3.1, across the 31-bit timestamp overflow', () => {
    const e = synthetic(5000, { width: 346, height: 260 }, 3, 2 ** 31 - 10_000);
    const bytes = encodeAedat31(e, { packetEvents: 700 });
    for (const c of chunks) expectSame(decodeAll(new Aedat31Decoder('t.aedat'), bytes, c), e);
    expect(e.tUs[e.tUs.length - 1]).toBeGreaterThan(2 ** 31);
  });

  it('EVT 2.0', () => {
    const e = synthetic(5000, { width: 640, height: 480 }, 4, 123_456);
    const bytes = encodeEvt2(e, { width: 640, height: 480 });
    for (const c of chunks) {
      const d = new Evt2Decoder('t.raw');
      expectSame(decodeAll(d, bytes, c), e);
      expect(d.sensor()).toEqual({ width: 640, height: 480 });
    }
  });

  it('EVT 2.1', () => {
    const e = synthetic(4000, { width: 1280, height: 720 }, 5, 99);
    // one event per word, so any order is preserved
    const bytes = encodeEvt21(e, { width: 1280, height: 720 });
    for (const c of chunks) expectSame(decodeAll(new Evt21Decoder('t.raw'), bytes, c), e);
  });

  it('EVT 3.0 with vectors, across the 24-bit time wrap', () => {
    const e = synthetic(20000, { width: 1280, height: 720 }, 6, 2 ** 24 - 50_000, 60);
    expect(e.tUs[e.tUs.length - 1]).toBeGreaterThan(2 ** 24);
    const bytes = encodeEvt3(e, { width: 1280, height: 720 });
    for (const c of chunks) expectSame(decodeAll(new Evt3Decoder('t.raw'), bytes, c), e);
  });
});

describe('decoders on bad input', () => {
  it('say which file, which byte and why', () => {
    const e = synthetic(100, { width: 128, height: 128 }, 7);
    const aedat = encodeAedat2Dvs128(e);
    const cut = aedat.subarray(0, aedat.length - 3);
    expect(() => decodeAll(new Aedat2Decoder('cut.aedat'), cut, 1 << 20)).toThrow(/cut.aedat: byte \d+: the file ends in the middle of a record \(5 byte\(s\) left over\)/);
    const a31 = encodeAedat31(e);
    const broken = a31.slice();
    new DataView(broken.buffer).setInt32(a31.indexOf(0x0a, a31.lastIndexOf(0x23)) + 1 + 4, -8, true); // event size of the first packet
    expect(() => decodeAll(new Aedat31Decoder('bad.aedat'), broken, 1 << 20)).toThrow(/bad.aedat: byte \d+: corrupt packet header \(type 1, event size -8/);
    expect(() => decodeAll(new Aedat31Decoder('two.aedat'), aedat, 1 << 20)).toThrow(/not an AEDAT 3 file/);
  });
});
