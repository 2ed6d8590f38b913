import { chmodSync, copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRandom } from '../../src-main/common/random';
import { tppw, tppwAsync, type CliRun } from '../helpers/cli';
import { HAVE_FIXTURES, REPO_ROOT, fixture } from '../helpers/fixtures';
import { npyBytes } from '../helpers/npy';
import { tempDir } from '../helpers/temp';

/** What the command line does with the inputs and outputs a user names: help, folders and
 * unreadable files given as inputs, output paths that cannot be written, sizes it cannot meet. */
const DEMO_MODEL = join(REPO_ROOT, 'assets', 'demo', 'mnist-cnn.tppw');
const QCFS_MODEL = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'onnx', 'qcfs.onnx');
const dir = tempDir('tppw-cli-inputs-');
const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

function expectOneLineError(run: CliRun, pattern: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

/** `count` random images of `shape` as a float32 .npy, labels 0..classes-1 as a uint8 .npy. */
function arrays(name: string, count: number, shape: number[], classes: number): { images: string; labels: string } {
  const random = makeRandom(5, 1);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: count * size }, () => random() * 255);
  const images = join(dir, `${name}-images.npy`);
  const labels = join(dir, `${name}-labels.npy`);
  writeFileSync(images, npyBytes('<f4', [count, ...shape], new Uint8Array(values.buffer)));
  writeFileSync(labels, npyBytes('|u1', [count], Uint8Array.from({ length: count }, (_, i) => i % classes)));
  return { images, labels };
}

describe('tppw inputs and outputs', () => {
  it('prints the usage of every command and subcommand for --help and -h, and exits 0', () => {
    const cases: [string[], RegExp][] = [
      [['demo', '--help'], /^tppw demo \[--json\]/],
      [['convert', '--help'], /^tppw convert --model FILE/],
      [['convert', '--model', 'x.onnx', '-h'], /^tppw convert --model FILE/],
      [['model', '--help'], /^tppw model summary FILE/],
      [['model', 'summary', '--help'], /^tppw model summary FILE/],
      [['model', 'export', '--help'], /tppw model export FILE --to tfjs\|tppw --out PATH/],
      [['inspect', '--help'], /^tppw inspect FILE/],
      [['dataset', 'index', '--help'], /^tppw dataset index PATH/],
      [['datasets', 'import', '--help'], /^tppw datasets import PATH[\s\S]*--data-dir DIR/],
      [['models', 'list', '--help'], /^tppw models import FILE/],
      [['runs', '--help'], /^tppw runs start --model ID/],
      [['runs', 'show', '--help'], /^tppw runs start --model ID/],
      [['serve', '--help'], /^tppw serve \[--port N\]/],
    ];
    for (const [args, usage] of cases) {
      const run = tppw(args);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      expect(run.stdout, args.join(' ')).toMatch(usage);
      expect(run.stderr).toBe('');
    }
  });

  it('a folder given where a file belongs is bad input in one line', () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder, { recursive: true });
    expectOneLineError(tppw(['inspect', folder]), /^tppw inspect: .*a-folder is a directory, not a file$/);
    expectOneLineError(tppw(['model', 'summary', folder]), /^tppw model: model file .*a-folder is a directory, not a file$/);
    expectOneLineError(tppw(['model', 'export', DEMO_MODEL, '--to', 'tppw', '--out', folder]), /a-folder is a directory, not a file$/);
  });

  it.skipIf(asNobody === undefined || !HAVE_FIXTURES)('an unreadable input is bad input in one line, not an internal error', async () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked, { recursive: true });
    chmodSync(dir, 0o755);
    const events = join(locked, 'secret.dat');
    const model = join(locked, 'secret.tppw');
    copyFileSync(fixture('events/tonic_sample_ncars.dat'), events);
    copyFileSync(DEMO_MODEL, model);
    chmodSync(events, 0o600);
    chmodSync(model, 0o600);
    expectOneLineError(await tppwAsync(['inspect', events], {}, asNobody), /^tppw inspect: event file .*secret.dat: permission denied$/);
    expectOneLineError(await tppwAsync(['model', 'summary', model], {}, asNobody), /^tppw model: model file .*secret.tppw: permission denied$/);
    // An output folder the user cannot write: refused before anything runs.
    const readOnly = join(dir, 'read-only');
    mkdirSync(readOnly, { recursive: true });
    chmodSync(readOnly, 0o555);
    const started = performance.now();
    expectOneLineError(await tppwAsync(['demo', '--save-snn', join(readOnly, 'snn.tppw')], {}, asNobody), /^tppw demo: --save-snn file .*snn.tppw: permission denied$/);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('checks --out and --save-snn before any work, so a long run is never lost to a bad path', () => {
    const notAFolder = join(dir, 'plain-file');
    writeFileSync(notAFolder, 'x');
    // The demo would evaluate 1,000 digits first; these fail before loading anything.
    for (const [flag, target, reason] of [
      ['--out', dir, /--out file .* is a directory, not a file$/],
      ['--out', join(notAFolder, 'result.json'), /--out file .*result.json: .*plain-file is a file, not a folder$/],
      ['--save-snn', join(notAFolder, 'sub', 'snn.tppw'), /--save-snn file .*snn.tppw: .*plain-file is a file, not a folder$/],
    ] as const) {
      const run = tppw(['demo', flag, target]);
      expectOneLineError(run, reason);
    }
  });

  it('reports fewer samples than asked for, and saves the input transform with the converted network', () => {
    const { images, labels } = arrays('digits', 24, [28, 28], 10);
    const out = join(dir, 'few.json');
    const snn = join(dir, 'few.tppw');
    const run = tppw(['convert', '--model', DEMO_MODEL, '--images', images, '--labels', labels, '--limit', '50', '--calibration', '64', '--scale', '0.00390625', '--offset', '0', '--method', 'if', '--timesteps', '2', '--json', '--out', out, '--save-snn', snn]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { samples: number; warnings: string[] };
    expect(result.samples).toBe(24);
    expect(result.warnings).toContain(`50 samples asked for, but ${images} has 24: evaluated 24`);
    expect(result.warnings.some((w) => /^64 calibration samples asked for, but .* gives 24: calibrated on 24$/.test(w))).toBe(true);
    expect(result.warnings).toContain('24 of the 24 calibration samples are also evaluated (thresholds fitted on test samples flatter the SNN): use a separate calibration set or a dataset with a training split');
    const summary = tppw(['model', 'summary', snn, '--json']);
    expect(summary.code, summary.stderr).toBe(0);
    expect(JSON.parse(summary.stdout).preprocessing).toEqual({ scale: 0.00390625, offset: 0 });
  });

  it('starts QCFS networks at θ/2 by default and warns when --v0 0 is asked for', () => {
    const { images, labels } = arrays('qcfs', 12, [6, 6, 1], 3);
    const common = ['convert', '--model', QCFS_MODEL, '--images', images, '--labels', labels, '--scale', '0.004', '--threshold', 'qcfs', '--method', 'if', '--timesteps', '4', '--limit', '8', '--calibration', '4', '--json'];
    const byDefault = tppw(common);
    expect(byDefault.code, byDefault.stderr).toBe(0);
    const result = JSON.parse(byDefault.stdout) as { config: { v0: string }; warnings: string[] };
    expect(result.config.v0).toBe('half');
    expect(result.warnings.some((w) => w.includes('v0 = 0 with QCFS'))).toBe(false);
    const explicit = tppw([...common, '--v0', '0']);
    expect(explicit.code, explicit.stderr).toBe(0);
    const zero = JSON.parse(explicit.stdout) as { config: { v0: string }; warnings: string[] };
    expect(zero.config.v0).toBe('zero');
    expect(zero.warnings.some((w) => w.startsWith('v0 = 0 with QCFS thresholds'))).toBe(true);
  });

  it('writes one converted network per T for SNNC, named as README says', () => {
    const { images, labels } = arrays('snnc', 10, [28, 28], 10);
    const snn = join(dir, 'snnc.tppw');
    const run = tppw(['convert', '--model', DEMO_MODEL, '--images', images, '--labels', labels, '--scale', '0.00390625', '--threshold', 'snnc', '--method', 'if', '--timesteps', '2,4', '--limit', '6', '--calibration', '4', '--save-snn', snn]);
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('snnc.')).sort()).toEqual(['snnc.T2.tppw', 'snnc.T4.tppw']);
  });

  it.skipIf(!HAVE_FIXTURES)('puts a real ANN at chance (the untrained TF.js LeNet) at the top of the report', () => {
    // Its file holds initial weights (every bias zero): 7.75% on the 10,000 test digits, and chance
    // for 10 classes is 10%; the text report and stderr (under --json) both say so.
    const args = ['convert', '--model', fixture('models/tfjs_lenet_mnist/mnist.json'), '--images', fixture('images/mnist_t10k-images-idx3-ubyte.gz'), '--labels', fixture('images/mnist_t10k-labels-idx1-ubyte.gz'), '--limit', '200', '--calibration', '32', '--method', 'if', '--timesteps', '2', '--scale', '0.00392156862745098', '--offset', '0', '--maxpool', 'avg'];
    const text = tppw(args);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^WARNING {3}ANN AT CHANCE: \d+\.\d\d% on 200 samples of 10 classes \(chance 10\.00%\); likely causes: the input scaling/m);
    const json = tppw([...args, '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toMatch(/^warning: ANN AT CHANCE/m);
    const result = JSON.parse(json.stdout) as { ann: { accuracy: number; sanityWarning?: string }; warnings: string[] };
    expect(result.ann.accuracy).toBeLessThanOrEqual(0.15);
    expect(result.warnings).toContain(result.ann.sanityWarning);
  });
});
