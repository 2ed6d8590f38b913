import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNmnistBin } from '../../src-main/formats/events/nmnist-bin';
import type { WorkbenchService } from '../../src-main/service/service';
import { HAVE_FIXTURES, fixture } from '../helpers/fixtures';
import { openService, removeDir, tempDataDir, waitForJob } from '../helpers/workbench';

/** What the viewer asks of one event sample: filtered events, and the frames a conversion feeds. */
let dir: string;
let files: string;
let service: WorkbenchService;

beforeAll(() => {
  dir = tempDataDir();
  files = tempDataDir();
  service = openService(dir);
});

afterAll(() => {
  service.close();
  removeDir(dir);
  removeDir(files);
});

async function importFile(path: string): Promise<number> {
  const job = await waitForJob(service, (await service.call('datasets.import', { path })).id);
  expect(job.status, job.error?.message).toBe('succeeded');
  return job.result!.datasetId!;
}

const floats = (text: string): number[] => [...new Float32Array(Uint8Array.from(Buffer.from(text, 'base64')).buffer)];
const times = (text: string): number[] => [...new Float64Array(Uint8Array.from(Buffer.from(text, 'base64')).buffer)];

describe('event samples for the viewer', () => {
  // Eight events on a 4×2 sensor (x < 4, y < 2): x, y, polarity, time in µs.
  const rows = [
    [0, 0, 1, 0],
    [1, 0, 0, 10],
    [0, 0, 1, 20],
    [3, 1, 1, 30],
    [3, 1, 1, 1000],
    [2, 1, 0, 1010],
    [2, 1, 0, 1020],
    [0, 0, 0, 5000],
  ] as const;
  let id = 0;

  beforeAll(async () => {
    const path = join(files, 'eight.bin');
    writeFileSync(path, encodeNmnistBin({ x: Uint16Array.from(rows, (r) => r[0]), y: Uint16Array.from(rows, (r) => r[1]), p: Uint8Array.from(rows, (r) => r[2]), tUs: Float64Array.from(rows, (r) => r[3]) }));
    id = await importFile(path);
  });

  it('gives the per-step frames a conversion feeds, counted by hand', async () => {
    // T = 2 by event count: events 1–4 make step 1, events 5–8 step 2; [H=2, W=4, C=2 (OFF, ON)].
    const steps = await service.call('datasets.frames', { id, index: 0, T: 2 });
    expect(steps.frames).toBe(2);
    expect(steps.shape).toEqual([2, 4, 2]);
    const at = (t: number, y: number, x: number, c: number): number => floats(steps.data)[((t * 2 + y) * 4 + x) * 2 + c]!;
    expect(at(0, 0, 0, 1)).toBe(2); // two ON at (0, 0)
    expect(at(0, 0, 1, 0)).toBe(1);
    expect(at(0, 1, 3, 1)).toBe(1);
    expect(at(1, 1, 3, 1)).toBe(1);
    expect(at(1, 1, 2, 0)).toBe(2);
    expect(at(1, 0, 0, 0)).toBe(1);
    expect(floats(steps.data).reduce((a, b) => a + b, 0)).toBe(8);
    expect(steps.peak).toBe(2);
    // Summed: one frame; signed polarity ON − OFF at (0, 0) is 2 − 1.
    const summed = await service.call('datasets.frames', { id, index: 0, input: 'summed', polarity: 'signed' });
    expect(summed.frames).toBe(1);
    expect(floats(summed.data)[0]).toBe(1);
    // By time with T = 2 over [0, 5000]: the first half holds the first seven events.
    const byTime = await service.call('datasets.frames', { id, index: 0, T: 2, split: 'time', polarity: 'merged' });
    const merged = floats(byTime.data);
    expect(merged.slice(0, 8).reduce((a, b) => a + b, 0)).toBe(7);
  });

  it('applies the refractory and denoise filters to what it shows', async () => {
    // Refractory 100 µs: the second event at (0, 0) (20 µs after the first) and at (2, 1)
    // (10 µs after) go; the event at (3, 1) 970 µs later stays.
    const refractory = await service.call('datasets.events', { id, index: 0, refractoryUs: 100 });
    expect(refractory.filteredOut).toBe(2);
    expect(times(refractory.tUs)).toEqual([0, 10, 30, 1000, 1010, 5000]);
    // Denoise 15 µs: an event stays when one of its 8 neighbour pixels had an event within the
    // last 15 µs: (1,0)@10 after (0,0)@0, (0,0)@20 after (1,0)@10, (2,1)@1010 after (3,1)@1000;
    // every other event has no such neighbour (its own pixel does not count).
    const denoised = await service.call('datasets.events', { id, index: 0, denoiseUs: 15 });
    expect(times(denoised.tUs)).toEqual([10, 20, 1010]);
    const plain = await service.call('datasets.events', { id, index: 0 });
    expect(plain.filteredOut).toBe(0);
  });

  it.skipIf(!HAVE_FIXTURES)('takes a single event file’s sensor from its header, not from its events', async () => {
    // expelliarmus's EVT 2.0 sample declares 640×480; its events span x 60..599, y 18..475.
    const real = await importFile(fixture('events/expelliarmus_evt2_sample.raw'));
    expect((await service.call('datasets.show', { id: real })).sensor).toEqual({ width: 640, height: 480 });
    expect((await service.call('datasets.events', { id: real, index: 0, maxEvents: 10 })).sensor).toEqual({ width: 640, height: 480 });
  });
});
