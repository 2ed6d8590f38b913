import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tppw } from '../helpers/cli';
import { HAVE_FIXTURES, MNIST_TEST_IMAGES, MNIST_TEST_LABELS, REPO_ROOT } from '../helpers/fixtures';
import { npyBytes } from '../helpers/npy';
import { readNpy } from '../helpers/models';
import { randomWeight } from '../helpers/graphs';
import { buildGraph } from '../../src-main/common/ir/graph';
import type { IrNode } from '../../src-main/common/ir/types';
import { encodeNmnistBin } from '../../src-main/formats/events/nmnist-bin';
import { encodeModel } from '../../src-main/formats/model/tppw-model';
import { tempDir } from '../helpers/temp';

const DEMO_MODEL = join(REPO_ROOT, 'assets', 'demo', 'mnist-cnn.tppw');
const dir = tempDir('tppw-cli-');

/** One line on stderr, no stack trace, the given exit code. */
function expectOneLineError(run: ReturnType<typeof tppw>, pattern: RegExp, code = 2): void {
  expect(run.code).toBe(code);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('tppw command line', () => {
  it('prints usage without a command', () => {
    const run = tppw([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/tppw convert --model FILE \(--images PATH --labels PATH \| --dataset PATH\)/);
  });

  it('one clear line for an unknown command or option, a missing file or a bad value', () => {
    expectOneLineError(tppw(['frobnicate']), /^tppw frobnicate: unknown command 'frobnicate'/);
    expectOneLineError(tppw(['convert', '--bogus', '1']), /^tppw convert: convert: unknown option --bogus/);
    expectOneLineError(tppw(['convert', '--model', join(dir, 'nope.tppw'), '--images', 'a', '--labels', 'b']), /model file .*nope.tppw does not exist/);
    expectOneLineError(tppw(['convert', '--model', DEMO_MODEL, '--images', 'a', '--labels', 'b', '--method', 'if,lif']), /--method: 'lif' is not a method \(if, if-permute, tpp, tpp-iid\)/);
    expectOneLineError(tppw(['convert', '--model', DEMO_MODEL, '--images', 'a', '--labels', 'b', '--timesteps', '4,x']), /--timesteps: 'x' is not a time-step count/);
    expectOneLineError(tppw(['convert', '--model', DEMO_MODEL, '--images', 'a', '--labels', 'b', '--threshold', 'p200']), /--threshold p200 is not one of max, qcfs, snnc or a percentile/);
    expectOneLineError(tppw(['demo', '--limit', '-3']), /--limit -3 is not a positive integer/);
    expectOneLineError(tppw(['model', 'summary']), /model summary: expects one model FILE, got 0/);
  });

  it('refuses a corrupt model file and data that does not fit the model', () => {
    const junk = join(dir, 'junk.tppw');
    writeFileSync(junk, Buffer.from([...Buffer.from('TPPWMODL'), 1, 0, 0, 0, 0xff, 0xff, 0, 0, 0x7b]));
    expectOneLineError(tppw(['model', 'summary', junk]), /junk.tppw: JSON header of 65535 bytes runs past the end of the file/);
    const images = join(dir, 'small.npy');
    const labels = join(dir, 'labels.npy');
    writeFileSync(images, npyBytes('<f4', [3, 8, 8], new Uint8Array(3 * 64 * 4)));
    writeFileSync(labels, npyBytes('|u1', [3], Uint8Array.of(1, 2, 3)));
    expectOneLineError(
      tppw(['convert', '--model', DEMO_MODEL, '--images', images, '--labels', labels]),
      /model 'demo-mnist-cnn' expects input \[28, 28, 1\] but .*small.npy has samples of shape \[8, 8, 1\]/,
    );
    const fewLabels = join(dir, 'few.npy');
    writeFileSync(fewLabels, npyBytes('|u1', [2], Uint8Array.of(1, 2)));
    expectOneLineError(tppw(['convert', '--model', DEMO_MODEL, '--images', images, '--labels', fewLabels]), /3 images but 2 labels/);
  });

  it('summarises a model as JSON', () => {
    const run = tppw(['model', 'summary', DEMO_MODEL, '--json']);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.input.shape).toEqual([28, 28, 1]);
    expect(summary.totals).toEqual({ nodes: 10, params: 160 + 4640 + 200832 + 1290, macs: 112896 + 903168 + 200704 + 1280, spikingLayers: 3 });
    expect(summary.nodes[0]).toMatchObject({ name: 'conv1', op: 'conv2d', inputShapes: [[28, 28, 1]], outputShape: [28, 28, 16] });
  });

  it.skipIf(!HAVE_FIXTURES)('converts on the real MNIST test files and prints the documented JSON', () => {
    const out = join(dir, 'result.json');
    const snn = join(dir, 'converted.tppw');
    const run = tppw(['convert', '--model', DEMO_MODEL, '--images', MNIST_TEST_IMAGES, '--labels', MNIST_TEST_LABELS, '--limit', '60', '--calibration', '64', '--timesteps', '2,8', '--seeds', '2', '--method', 'if,tpp', '--json', '--out', out, '--save-snn', snn]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(Object.keys(result)).toEqual(['model', 'dataset', 'backend', 'backendDetail', 'samples', 'config', 'ann', 'energyModel', 'results', 'layers', 'notes', 'warnings', 'wallMs', 'simulateMs']);
    expect(result.samples).toBe(60);
    expect(result.backend).toBe('wasm');
    expect(result.ann.accuracy).toBeGreaterThan(0.9);
    expect(result.energyModel).toEqual({ macPj: 4.6, sopPj: 0.9 });
    expect(result.results.map((r: { method: string; T: number }) => `${r.method}@${r.T}`)).toEqual(['if@2', 'if@8', 'tpp@2', 'tpp@8']);
    expect(Object.keys(result.results[0])).toEqual(['method', 'T', 'accuracy', 'seeds', 'perSeed', 'firingRate', 'sops', 'energyPj', 'latencySteps', 'perLayer', 'confusion', 'stepAccuracy']);
    expect(result.config.calibration.source).toMatch(/last 64/);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(result);
    const summary = JSON.parse(tppw(['model', 'summary', snn, '--json']).stdout);
    expect(summary.snn.thresholds).toEqual({ method: 'p99.9', perChannel: false, calibrationSamples: 64, percentileOf: 'positive' });
    expect(summary.snn.layers.map((l: { node: string }) => l.node)).toEqual(['relu1', 'relu2', 'relu3']);
    expect(summary.snn.layers.map((l: { threshold: { mean: number } }) => l.threshold.mean)).toEqual(result.layers.map((l: { threshold: { mean: number } }) => l.threshold.mean));
  });
});

describe.skipIf(!HAVE_FIXTURES)('tppw model on every import format', () => {
  const models = ['models/wonnx_opt-mnist.onnx', 'models/snntoolbox_lenet5_keras_98.96.h5', 'models/tfjs_lenet_mnist/mnist.json'].map((m) => join(REPO_ROOT, '..', 'shared', 'fixtures', 'real', m));

  it('summarises ONNX, Keras HDF5 and TF.js models as JSON', () => {
    const totals = models.map((m) => {
      const run = tppw(['model', 'summary', m, '--json']);
      expect(run.code, run.stderr).toBe(0);
      const s = JSON.parse(run.stdout);
      expect(s.input.shape).toEqual([28, 28, 1]);
      expect(s.warnings.some((w: string) => /max pooling is not spike-compatible/.test(w))).toBe(true);
      return s.totals;
    });
    expect(totals.map((t) => t.spikingLayers)).toEqual([2, 4, 4]);
    expect(totals.map((t) => t.params)).toEqual([5994, 212906, 61706]);
  });

  it('exports to TF.js and reads the export back with the same summary', () => {
    const out = join(dir, 'lenet-tfjs');
    const run = tppw(['model', 'export', models[1]!, '--to', 'tfjs', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const a = JSON.parse(tppw(['model', 'summary', models[1]!, '--json']).stdout);
    const b = JSON.parse(tppw(['model', 'summary', join(out, 'model.json'), '--json']).stdout);
    // Explicit 'same' padding comes back as its own pad node; the arithmetic is the same.
    expect({ ...b.totals, nodes: 0 }).toEqual({ ...a.totals, nodes: 0 });
    expect(b.nodes.filter((n: { op: string }) => n.op === 'pad')).toHaveLength(1);
    expectOneLineError(tppw(['model', 'export', models[1]!, '--to', 'nir', '--out', out]), /--to nir is not one of tfjs, tppw/);
  });

  it('converts an ONNX model from the command line', () => {
    const run = tppw(['convert', '--model', models[0]!, '--images', MNIST_TEST_IMAGES, '--labels', MNIST_TEST_LABELS, '--scale', String(1 / 255), '--maxpool', 'avg', '--limit', '40', '--calibration', '32', '--timesteps', '4', '--seeds', '1', '--method', 'tpp', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.warnings[0]).toMatch(/max pooling replaced by average pooling in Pooling66, Pooling160/);
    expect(result.results).toHaveLength(1);
  });
});

describe('tppw inspect', () => {
  it.skipIf(!HAVE_FIXTURES)('reports format, sensor, counts, time span and skipped packets as JSON', () => {
    const run = tppw(['inspect', join(REPO_ROOT, '..', 'shared', 'fixtures', 'real', 'events', 'tonic_sample.aedat4'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout);
    expect(r).toMatchObject({ format: 'aedat4', sensor: { width: 320, height: 240, source: 'header' }, events: 111954, skipped: { 'IMUS packets': 59 } });
    expect(r.on + r.off).toBe(111954);
    expect(r.durationUs).toBe(r.lastTUs - r.firstTUs);
  });

  it('reads HDF5 event files (DSEC layout, with t_offset)', () => {
    const run = tppw(['inspect', join(REPO_ROOT, 'test', 'fixtures', 'generated', 'events', 'events_dsec.h5'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const ref = readNpy(join(REPO_ROOT, 'test', 'fixtures', 'generated', 'events', 'events_reference.npy'));
    const r = JSON.parse(run.stdout);
    expect(r).toMatchObject({ format: 'hdf5', events: 5000, firstTUs: 1_000_000 + ref.data[2 * 5000]!, lastTUs: 1_000_000 + ref.data[3 * 5000 - 1]! });
  });

  it('one clear line for a missing or unrecognised file', () => {
    expectOneLineError(tppw(['inspect', join(dir, 'nothing.aedat')]), /event file .*nothing.aedat does not exist/);
    const odd = join(dir, 'odd.xyz');
    writeFileSync(odd, 'hello');
    expectOneLineError(tppw(['inspect', odd]), /odd.xyz: not an event file this build recognises/);
  });
});

describe('tppw on an event dataset', () => {
  it('indexes a dataset, then converts through the index with per-step frames', () => {
    const root = join(dir, 'nmnist');
    for (const split of ['Train', 'Test']) {
      for (let d = 0; d < 10; d++) {
        mkdirSync(join(root, split, String(d)), { recursive: true });
        const n = 150 + d;
        const e = { x: new Uint16Array(n), y: new Uint16Array(n), tUs: new Float64Array(n), p: new Uint8Array(n) };
        for (let i = 0; i < n; i++) {
          e.x[i] = (i * 7 + d) % 34;
          e.y[i] = (i * 11) % 34;
          e.p[i] = i % 2;
          e.tUs[i] = i * 100;
        }
        writeFileSync(join(root, split, String(d), 'a.bin'), encodeNmnistBin(e));
      }
    }
    const indexFile = join(dir, 'nmnist-index.json');
    const indexed = tppw(['dataset', 'index', root, '--out', indexFile, '--json']);
    expect(indexed.code, indexed.stderr).toBe(0);
    expect(JSON.parse(indexed.stdout)).toMatchObject({ layout: 'nmnist', samples: 20, splits: { test: { samples: 10, meanEvents: 154.5 } } });
    const model = join(dir, 'events.tppw');
    const weights = new Map([['k', randomWeight([3, 3, 2, 4], 3)], ['d', randomWeight([34 * 34 * 4, 10], 4, 0.05)]]);
    const nodes: IrNode[] = [
      { name: 'c', op: 'conv2d', inputs: ['x'], kernel: 'k', strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], groups: 1 },
      { name: 'r', op: 'relu', inputs: ['c'] },
      { name: 'f', op: 'flatten', inputs: ['r'] },
      { name: 'o', op: 'dense', inputs: ['f'], kernel: 'd' },
    ];
    writeFileSync(model, encodeModel({ graph: buildGraph({ name: 'nmnist-net', input: { name: 'x', shape: [34, 34, 2] }, nodes, output: 'o', weights, preprocessing: { scale: 0.5, offset: 0 } }) }));
    const run = tppw(['convert', '--model', model, '--dataset-index', indexFile, '--event-input', 'steps', '--timesteps', '2,4', '--method', 'if,tpp', '--seeds', '1', '--limit', '10', '--calibration', '5', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.config.input).toBe('steps');
    expect(result.samples).toBe(10);
    expect(result.config.calibration.source).toMatch(/train split \(5 samples, seed 0\)/);
    expect(result.results.map((r: { method: string; T: number }) => `${r.method}@${r.T}`)).toEqual(['if@2', 'if@4', 'tpp@2', 'tpp@4']);
  });
});

describe('tppw with a Keras architecture JSON and its weights file (--weights)', () => {
  const keras = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'keras');
  const arch = join(keras, 'json_pair.json');
  const weights = join(keras, 'json_pair_weights.h5');

  it('model summary reads the pair; either file alone is one clear line saying what it needs', () => {
    const run = tppw(['model', 'summary', arch, '--weights', weights, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const s = JSON.parse(run.stdout);
    expect([s.input.shape, s.output.shape]).toEqual([[12, 12, 1], [10]]);
    // Keras's own model.count_params() for this model
    expect(s.totals.params).toBe(1254);
    expectOneLineError(tppw(['model', 'summary', arch]), /json_pair\.json: a Keras model architecture \(model\.to_json\(\)\) without its weights: .*\(--weights FILE\)$/);
    expectOneLineError(tppw(['model', 'summary', weights]), /json_pair_weights\.h5: a Keras weights-only file .*give the architecture JSON .*\(--weights FILE\)$/);
    expectOneLineError(tppw(['model', 'summary', arch, '--weights', join(dir, 'none.h5')]), /weights file .*none\.h5 does not exist/);
  });

  it('convert --model arch.json --weights w.h5 agrees with Keras on every sample', () => {
    // Labels are Keras's own predicted classes, so the imported ANN must score 100%.
    const want = readNpy(join(keras, 'json_pair.output.npy'));
    const labels = Uint8Array.from({ length: 3 }, (_, i) => {
      const row = Array.from(want.data.subarray(i * 10, i * 10 + 10));
      return row.indexOf(Math.max(...row));
    });
    const labelFile = join(dir, 'json_pair.labels.npy');
    writeFileSync(labelFile, npyBytes('|u1', [3], labels));
    const run = tppw(['convert', '--model', arch, '--weights', weights, '--images', join(keras, 'json_pair.input.npy'), '--labels', labelFile, '--scale', '1', '--offset', '0', '--limit', '3', '--calibration', '3', '--timesteps', '2', '--method', 'if', '--seeds', '1', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).ann.accuracy).toBe(1);
  });

  it('models import arch.json --weights w.h5 registers one model', () => {
    const run = tppw(['models', 'import', arch, '--weights', weights, '--name', 'pair', '--json', '--data-dir', join(dir, 'pair-data')]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ name: 'pair', format: 'keras-json', sourcePath: arch, params: 1254 });
  });
});
