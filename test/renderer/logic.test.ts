import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute } from '../../src-renderer/app/routes';
import { defaultForm, studyWork, validateForm } from '../../src-renderer/convert/form';
import { lowerBound, renderWindow, BACKGROUND, OFF_COLOUR, ON_COLOUR } from '../../src-renderer/viewer/frames';
import { eventRate, onFraction, spatialCounts } from '../../src-renderer/viewer/stats';

describe('routes', () => {
  it('parse and format round trip, with bad ids dropped', () => {
    for (const hash of ['#/datasets', '#/datasets/3', '#/models/12', '#/convert?model=2&dataset=5', '#/runs', '#/results?runs=1,4', '#/settings']) {
      expect(formatRoute(parseRoute(hash))).toBe(hash);
    }
    expect(parseRoute('#/datasets/x')).toEqual({ screen: 'datasets' });
    expect(parseRoute('#/results?runs=1,,x,-2,3')).toEqual({ screen: 'results', runs: [1, 3] });
    expect(parseRoute('#/nowhere')).toEqual({ screen: 'datasets' });
  });
});

describe('the Convert form', () => {
  it('turns valid fields into runs.start arguments', () => {
    const { errors, args } = validateForm({ ...defaultForm(2, 3), timesteps: '8, 2 4,2', seeds: '2', scale: '0.5', offset: '-1' });
    expect(errors).toEqual({});
    expect(args).toMatchObject({ modelId: 2, datasetId: 3, limit: 1000, calibration: 256, study: { methods: ['if', 'tpp'], timesteps: [2, 4, 8], seeds: [0, 1], threshold: { kind: 'percentile', percentile: 99.9 } }, transform: { scale: 0.5, offset: -1 } });
  });

  it('names every bad field', () => {
    const { errors, args } = validateForm({ ...defaultForm(), methods: [], threshold: 'p200', timesteps: '0', seeds: 'many', limit: '-1', scale: '1' });
    expect(args).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual(['datasetId', 'limit', 'methods', 'modelId', 'offset', 'seeds', 'threshold', 'timesteps']);
  });

  it('carries every study option of the contract: coding, shift, Permute mode, sample seed, event frames, image preprocessing', () => {
    const { errors, args } = validateForm({
      ...defaultForm(1, 1),
      shift: true,
      encoding: 'rate',
      permute: 'layer',
      sampleSeed: '7',
      frameSize: '34 x 34',
      polarity: 'signed',
      frameSplit: 'time',
      resize: '40',
      crop: '32',
      channels: '1',
      maxPool: 'spiking',
      snnc: 'advanced',
      percentileOf: 'all',
    });
    expect(errors).toEqual({});
    expect(args).toMatchObject({
      sampleSeed: 7,
      frames: { polarity: 'signed', split: 'time', size: { width: 34, height: 34 } },
      images: { resize: 40, crop: 32, channels: 1 },
      study: { shift: true, encoding: 'rate', permute: 'layer', maxPool: 'spiking', snnc: 'advanced', percentileOf: 'all' },
    });
    const bad = validateForm({ ...defaultForm(1, 1), sampleSeed: '-1', frameSize: '34', resize: '20', crop: '32' });
    expect(Object.keys(bad.errors).sort()).toEqual(['crop', 'frameSize', 'sampleSeed']);
    expect(bad.errors.crop).toBe('at most the resized side (20)');
  });

  it('estimates the work as the engine plans it: IF once at the longest T, others per T and seed', () => {
    const { args } = validateForm({ ...defaultForm(1, 1), methods: ['if', 'tpp'], timesteps: '2, 8', seeds: '3', limit: '100' });
    // IF: one pass of 8 steps; TPP: (2 + 8) steps × 3 seeds = 30; 38 steps × 100 samples.
    expect(studyWork(args!, 10_000, { macs: 1000, spikingLayers: 4 })).toEqual({ passes: 1 + 6, sampleSteps: 3800, macs: 3_800_000 });
    expect(studyWork(args!, 40, { macs: 1000, spikingLayers: 4 }).sampleSteps).toBe(38 * 40);
    // where accuracy goes at T = 8: the network cut after spiking layers 1, 2 and 3 of 4, for each
    // method, one seed (the first): 2 methods × 3 cuts × 8 steps more per sample
    const cut = validateForm({ ...defaultForm(1, 1), methods: ['if', 'tpp'], timesteps: '2, 8', seeds: '3', limit: '100', attribution: '8' });
    expect(studyWork(cut.args!, 10_000, { macs: 1000, spikingLayers: 4 })).toEqual({ passes: 1 + 6 + 6, sampleSteps: (38 + 48) * 100, macs: (38 + 48) * 100_000 });
  });
});

describe('event frames', () => {
  const events = { x: Uint16Array.of(0, 1, 2, 1), y: Uint16Array.of(0, 0, 1, 1), p: Uint8Array.of(1, 0, 1, 1), tUs: Float64Array.of(10, 20, 30, 40) };
  const pixel = (out: Uint8ClampedArray, x: number, y: number) => Array.from(out.subarray(4 * (y * 3 + x), 4 * (y * 3 + x) + 3));

  it('finds windows by binary search', () => {
    expect([lowerBound(events.tUs, 0), lowerBound(events.tUs, 20), lowerBound(events.tUs, 25), lowerBound(events.tUs, 99)]).toEqual([0, 1, 2, 4]);
  });

  it('draws only the events of [end − window, end), ON and OFF in their colours', () => {
    const out = new Uint8ClampedArray(3 * 2 * 4);
    expect(renderWindow(events, 3, 2, 31, 15, 'polarity', out)).toBe(2);
    expect(pixel(out, 1, 0)).toEqual([...OFF_COLOUR]);
    expect(pixel(out, 2, 1)).toEqual([...ON_COLOUR]);
    expect(pixel(out, 0, 0)).toEqual([...BACKGROUND]);
    expect(out[3]).toBe(255);
  });

  it('in time mode, older events are dimmer', () => {
    const out = new Uint8ClampedArray(3 * 2 * 4);
    renderWindow(events, 3, 2, 41, 40, 'time', out);
    expect(pixel(out, 0, 0)[0]!).toBeLessThan(pixel(out, 1, 1)[0]!);
  });
});

describe('sample statistics', () => {
  it('event rate per bin in events per second, polarity share, events per pixel', () => {
    const t = Float64Array.of(0, 100, 200, 1000);
    const rate = eventRate(t, 2);
    expect(rate.binUs).toBe(500);
    expect(rate.rates).toEqual([3 / 500e-6, 1 / 500e-6]);
    expect(onFraction(Uint8Array.of(1, 0, 1, 1))).toBe(0.75);
    expect(Array.from(spatialCounts(Uint16Array.of(0, 0, 1, 9), Uint16Array.of(0, 0, 1, 9), 2, 2))).toEqual([2, 0, 0, 1]);
  });
});

describe('viewer timing and conversion frames', () => {
  it('formats spans in the unit that reads best', async () => {
    const { formatSpanUs } = await import('../../src-renderer/viewer/timing');
    expect([formatSpanUs(850), formatSpanUs(1250), formatSpanUs(12_500), formatSpanUs(3_200_000), formatSpanUs(42_000_000)]).toEqual(['850 µs', '1.25 ms', '12.5 ms', '3.20 s', '42.0 s']);
  });

  it('opens with a window of a few to tens of milliseconds, from the event rate', async () => {
    const { defaultWindowUs } = await import('../../src-renderer/viewer/timing');
    // 1 M events over 2 s on 320×240: 3,840 events wanted at 500 ev/ms → 7.7 ms → 10 ms.
    expect(defaultWindowUs(1_000_000, 2_000_000, 320 * 240)).toBe(10_000);
    // N-MNIST (4,325 events in 310 ms on 34×34): 500 events → 36 ms → 50 ms.
    expect(defaultWindowUs(4325, 310_521, 34 * 34)).toBe(50_000);
    // An hour-long sparse recording is still capped at 50 ms, not a twentieth of an hour.
    expect(defaultWindowUs(1000, 3.6e9, 640 * 480)).toBe(50_000);
    // A dense burst gets at least 1 ms.
    expect(defaultWindowUs(10_000_000, 100_000, 64 * 64)).toBe(1000);
  });

  it('draws conversion frames on one shared scale', async () => {
    const { renderCountFrame, BACKGROUND, MERGED_COLOUR } = await import('../../src-renderer/viewer/frames');
    const out = new Uint8ClampedArray(2 * 4);
    // Two frames of [1, 2, 1] merged counts; the second frame (offset 2) is drawn.
    renderCountFrame(Float32Array.of(9, 9, 0, 4), 2, [1, 2, 1], 4, 'merged', out);
    expect([...out.slice(0, 4)]).toEqual([...BACKGROUND, 255]);
    expect([...out.slice(4, 7)]).toEqual([...MERGED_COLOUR]);
    renderCountFrame(Float32Array.of(0, 2, 1, 0), 0, [1, 2, 2], 2, 'two-channels', out);
    expect([...out.slice(0, 3)]).toEqual([...ON_COLOUR]);
    expect([...out.slice(4, 7)]).toEqual(OFF_COLOUR.map((c, i) => BACKGROUND[i]! + 0.5 * (c - BACKGROUND[i]!)).map(Math.round));
  });
});
