import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSampleEvents } from '../../src-main/datasets/sample-events';
import { encodeNmnistBin } from '../../src-main/formats/events/nmnist-bin';
import { streamEventFile } from '../../src-main/formats/node/read-events';
import { tempDir } from '../helpers/temp';

/** Reading one sample for the viewer streams its file and stops at what is shown. */
const dir = tempDir('tppw-sample-events-');

function recording(n: number): { x: Uint16Array; y: Uint16Array; tUs: Float64Array; p: Uint8Array } {
  return {
    x: Uint16Array.from({ length: n }, (_, i) => i % 34),
    y: Uint16Array.from({ length: n }, (_, i) => (i >> 5) % 34),
    tUs: Float64Array.from({ length: n }, (_, i) => Math.floor(i / 2)),
    p: Uint8Array.from({ length: n }, (_, i) => i & 1),
  };
}

describe('the events of one sample', () => {
  it('stops reading at maxEvents: a file whose far end is corrupt still shows its head', () => {
    // 1.2 M events (6 MB, more than one 4 MiB read) and then half a record: decoding the whole
    // file fails at its end, so only a reader that stopped early can answer.
    const file = join(dir, 'long.bin');
    const body = encodeNmnistBin(recording(1_200_000));
    writeFileSync(file, Buffer.concat([Buffer.from(body), Buffer.from([1, 2])]));
    expect(() => streamEventFile(file, () => undefined)).toThrow(/ends in the middle of a record/);
    const read = readSampleEvents(dir, { file: 'long.bin', label: 0, split: 'all' }, 1000);
    expect(read.complete).toBe(false);
    expect(read.events.x.length).toBe(1000);
    expect([...read.events.tUs.subarray(0, 4)]).toEqual([0, 0, 1, 1]);
    expect(read.events.tUs[999]).toBe(499);
  });

  it('keeps only the sample’s time range of a recording cut into samples', () => {
    const file = join(dir, 'cut.bin');
    writeFileSync(file, encodeNmnistBin(recording(10_000)));
    // [1000, 1500) µs holds events 2000..2999 (two per microsecond).
    const whole = readSampleEvents(dir, { file: 'cut.bin', label: 3, split: 'test', startUs: 1000, endUs: 1500 }, 5000);
    expect(whole.complete).toBe(true);
    expect(whole.events.x.length).toBe(1000);
    expect(whole.events.tUs[0]).toBe(1000);
    expect(whole.events.tUs[999]).toBe(1499);
    const capped = readSampleEvents(dir, { file: 'cut.bin', label: 3, split: 'test', startUs: 1000, endUs: 1500 }, 10);
    expect(capped.complete).toBe(false);
    expect([...capped.events.tUs]).toEqual([1000, 1000, 1001, 1001, 1002, 1002, 1003, 1003, 1004, 1004]);
    const exact = readSampleEvents(dir, { file: 'cut.bin', label: 3, split: 'test', startUs: 1000, endUs: 1500 }, 1000);
    expect(exact.complete).toBe(true);
  });
});
