import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../src-main/common/ir/graph';
import type { IrNode } from '../../src-main/common/ir/types';
import { indexEventDataset } from '../../src-main/datasets/event-layouts';
import { openEventSampleSet } from '../../src-main/datasets/event-source';
import { runExperiment } from '../../src-main/engine/experiment/run-experiment';
import { encodeAedat2Dvs128 } from '../../src-main/formats/events/aedat2';
import { encodeAedat31 } from '../../src-main/formats/events/aedat3';
import { encodeNmnistBin } from '../../src-main/formats/events/nmnist-bin';
import type { EventColumns } from '../../src-main/common/events';
import { makeRandom } from '../../src-main/common/random';
import { useBackend } from '../helpers/backend';
import { HAVE_FIXTURES, fixture } from '../helpers/fixtures';
import { randomWeight } from '../helpers/graphs';
import { tempDir } from '../helpers/temp';

function events(n: number, size: number, seed: number, span = 100_000, t0 = 0): EventColumns {
  const random = makeRandom(seed, 5);
  const e = { x: new Uint16Array(n), y: new Uint16Array(n), tUs: new Float64Array(n), p: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    e.x[i] = Math.floor(random() * size);
    e.y[i] = Math.floor(random() * size);
    e.p[i] = random() < 0.5 ? 1 : 0;
    e.tUs[i] = t0 + Math.floor((i / n) * span);
  }
  return e;
}

const options = { polarity: 'two-channels' as const, split: 'count' as const, transform: { scale: 1, offset: 0 } };

describe('event dataset layouts', () => {
  it('N-MNIST: Train/Test digit folders of .bin files', () => {
    const root = tempDir('nmnist-');
    for (const split of ['Train', 'Test']) {
      for (let d = 0; d < 10; d++) {
        mkdirSync(join(root, split, String(d)), { recursive: true });
        writeFileSync(join(root, split, String(d), `0000${d}.bin`), encodeNmnistBin(events(200 + d, 34, d)));
      }
    }
    if (HAVE_FIXTURES) copyFileSync(fixture('events/slayer_nmnistsmall_1.bs2'), join(root, 'Test', '5', 'slayer_1.bs2'));
    const index = indexEventDataset(root);
    expect(index.layout).toBe('nmnist');
    expect(index.sensor).toEqual({ width: 34, height: 34 });
    expect(index.classes).toHaveLength(10);
    expect(index.samples.filter((s) => s.split === 'train')).toHaveLength(10);
    const test = openEventSampleSet(index, 'test', options);
    expect(test.shape).toEqual([34, 34, 2]);
    // the accumulated frame holds every event; T step frames, each scaled by T, average to it
    const summed = test.read([3]);
    expect(summed.reduce((a, b) => a + b, 0)).toBe(203);
    const T = 4;
    const steps = test.readSteps([3], T);
    const mean = new Float32Array(summed.length);
    for (let t = 0; t < T; t++) for (let f = 0; f < mean.length; f++) mean[f]! += steps[t * mean.length + f]! / T;
    expect(Array.from(mean)).toEqual(Array.from(summed));
    if (HAVE_FIXTURES) {
      const slayer = test.labels.findIndex((_, i) => index.samples.filter((s) => s.split === 'test')[i]!.file.endsWith('slayer_1.bs2'));
      expect(test.labels[slayer]).toBe(5);
      expect(test.read([slayer]).reduce((a, b) => a + b, 0)).toBe(4681);
    }
  });

  it('CIFAR10-DVS: the ten class folders of AEDAT 2.0 files, 128×128, downsampled frames', () => {
    const root = tempDir('cifar10dvs-');
    const classes = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
    for (const [c, name] of classes.entries()) {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, `cifar10_${name}_0.aedat`), encodeAedat2Dvs128(events(500, 128, c + 20)));
    }
    const index = indexEventDataset(root);
    expect(index.layout).toBe('cifar10-dvs');
    const set = openEventSampleSet(index, 'any', { ...options, size: { width: 32, height: 32 } });
    expect(set.shape).toEqual([32, 32, 2]);
    expect(set.labels[7]).toBe(7);
    expect(set.read([7]).reduce((a, b) => a + b, 0)).toBe(500);
  });

  it('DVS Gesture: recordings cut into labelled gestures, with the official split files', () => {
    const root = tempDir('gesture-');
    const recording = events(3000, 128, 40, 3_000_000, 1_000_000);
    writeFileSync(join(root, 'user01_fluorescent.aedat'), encodeAedat31(recording, { source: 'DVS128' }));
    writeFileSync(join(root, 'user01_fluorescent_labels.csv'), 'class,startTime_usec,endTime_usec\n1,1000000,2000000\n11,2500000,3900000\n');
    writeFileSync(join(root, 'user02_led.aedat'), encodeAedat31(events(100, 128, 41, 1_000_000), { source: 'DVS128' }));
    writeFileSync(join(root, 'user02_led_labels.csv'), 'class,startTime_usec,endTime_usec\n3,0,500000\n');
    writeFileSync(join(root, 'trials_to_train.txt'), 'user01_fluorescent.aedat\n');
    writeFileSync(join(root, 'trials_to_test.txt'), 'user02_led.aedat\n');
    const index = indexEventDataset(root);
    expect(index.layout).toBe('dvs-gesture');
    expect(index.samples.map((s) => [s.split, s.label, s.startUs, s.endUs])).toEqual([
      ['train', 0, 1_000_000, 2_000_000], ['train', 10, 2_500_000, 3_900_000], ['test', 2, 0, 500_000],
    ]);
    const train = openEventSampleSet(index, 'train', options);
    // events are evenly spread over [1 s, 4 s): 1/3 of them in the first gesture's second
    expect(train.read([0]).reduce((a, b) => a + b, 0)).toBe(1000);
    writeFileSync(join(root, 'user02_led_labels.csv'), 'class,startTime_usec,endTime_usec\n12,0,5\n');
    expect(() => indexEventDataset(root)).toThrow(/user02_led_labels.csv line 2 '12,0,5' is not class \(1–11\)/);
  });
});

describe('conversion on an event dataset', () => {
  beforeAll(() => useBackend('wasm'));

  it('feeds per-step frames to the SNN, in workers alike', async () => {
    const root = tempDir('classes-');
    for (let c = 0; c < 3; c++) {
      mkdirSync(join(root, `class${c}`));
      for (let k = 0; k < 4; k++) writeFileSync(join(root, `class${c}`, `${k}.bin`), encodeNmnistBin(events(300, 16, c * 10 + k)));
    }
    const index = indexEventDataset(root);
    expect(index.layout).toBe('class-folders');
    const set = openEventSampleSet(index, 'any', { ...options, transform: { scale: 0.25, offset: 0 } });
    expect(set.shape).toEqual([16, 16, 2]);
    const weights = new Map([['k', randomWeight([3, 3, 2, 4], 1)], ['d', randomWeight([16 * 16 * 4, 3], 2, 0.1)]]);
    const nodes: IrNode[] = [
      { name: 'c', op: 'conv2d', inputs: ['x'], kernel: 'k', strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], groups: 1 },
      { name: 'r', op: 'relu', inputs: ['c'] },
      { name: 'f', op: 'flatten', inputs: ['r'] },
      { name: 'o', op: 'dense', inputs: ['f'], kernel: 'd' },
    ];
    const graph = buildGraph({ name: 'events-net', input: { name: 'x', shape: [16, 16, 2] }, nodes, output: 'o', weights });
    const run = (workers: number, input: 'static' | 'steps') =>
      runExperiment({
        graph, data: set, indices: Int32Array.from({ length: 12 }, (_, i) => i), calibration: { set, indices: Int32Array.of(0, 5, 10), source: 'three samples' },
        methods: ['if', 'tpp'], timesteps: [2, 4], seeds: [0], threshold: { kind: 'max' }, perChannel: false, reset: 'subtract', v0: 'zero', shift: false,
        encoding: 'direct', permute: 'neuron', maxPool: 'refuse', backend: 'wasm', workers, input,
      });
    const steps = await run(1, 'steps');
    expect(steps.config.input).toBe('steps');
    expect(steps.results.map((r) => `${r.method}@${r.T}`)).toEqual(['if@2', 'if@4', 'tpp@2', 'tpp@4']);
    const pooled = await run(2, 'steps');
    expect(pooled.results).toEqual(steps.results);
    const summed = await run(1, 'static');
    expect(summed.results.map((r) => r.perLayer[0]!.spikesPerStep)).not.toEqual(steps.results.map((r) => r.perLayer[0]!.spikesPerStep));
  });
});
