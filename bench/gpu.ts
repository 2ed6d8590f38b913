/**
 * GPU against CPU on a CIFAR-10-sized VGG-style network (npm run bench:gpu; not part of npm test).
 *
 * The network: 32×32×3 → conv 64, conv 64, pool, conv 128, conv 128, pool, conv 256, conv 256,
 * pool, dense 512, dense 10 (7 spiking layers, 0.15 G MACs per image), He-initialised with a fixed
 * seed, thresholds from the p99.9 of its own activations on 64 random images (accuracy means
 * nothing here, only speed). The same random batch is simulated with IF and with TPP at T = 1, 2,
 * 4, …, 64 on each backend, each backend in its own child process, side by side in one run; the
 * figure is images × steps per second, and the ratio webgpu / wasm.
 *
 *   npm run bench:gpu [-- --batch 256 --cpu-batch 32 --reps 3 --max-t 64 --backends webgpu,wasm --json]
 *
 * On a software adapter (SwiftShader, lavapipe) webgpu is for correctness only: expect it slower.
 */
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { buildGraph } from '../src-main/common/ir/graph';
import type { Graph, IrNode, WeightTensor } from '../src-main/common/ir/types';
import { makeRandom } from '../src-main/common/random';
import type { SnnModel } from '../src-main/common/snn';
import { makeImageSet } from '../src-main/datasets/sample-set';
import { initBackend, type BackendPreference } from '../src-main/engine/backend/select';
import { collectActivationStats } from '../src-main/engine/calibrate/activation-stats';
import { convertToSnn, withNeuron } from '../src-main/engine/convert/convert';
import { SnnSimulator } from '../src-main/engine/simulate/simulator';
import { benchOption } from './options';

const args = process.argv.slice(2);
const REPS = Number(benchOption('reps', '3'));
const MAX_T = Number(benchOption('max-t', '64'));
const TS = [1, 2, 4, 8, 16, 32, 64].filter((t) => t <= MAX_T);

interface Row {
  readonly neuron: 'if' | 'tpp';
  readonly T: number;
  readonly ms: number;
  readonly imageStepsPerS: number;
}

interface BackendRun {
  readonly backend: string;
  readonly detail: string;
  readonly batch: number;
  readonly rows: readonly Row[];
}

/** A VGG-style network for 32×32×3 inputs with seeded He-initialised weights. */
function vggCifar(seed: number): Graph {
  const random = makeRandom(seed, 11);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const weights = new Map<string, WeightTensor>();
  const nodes: IrNode[] = [];
  const he = (shape: number[], fanIn: number): WeightTensor => {
    const n = shape.reduce((a, b) => a * b, 1);
    const s = Math.sqrt(2 / fanIn);
    return { shape, data: Float32Array.from({ length: n }, () => gauss() * s) };
  };
  let input = 'x';
  let channels = 3;
  let k = 0;
  const conv = (out: number): void => {
    const name = `conv${++k}`;
    weights.set(`${name}/k`, he([3, 3, channels, out], 9 * channels));
    weights.set(`${name}/b`, { shape: [out], data: new Float32Array(out) });
    nodes.push({ name, op: 'conv2d', inputs: [input], kernel: `${name}/k`, bias: `${name}/b`, strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], groups: 1 });
    nodes.push({ name: `relu${k}`, op: 'relu', inputs: [name] });
    input = `relu${k}`;
    channels = out;
  };
  const pool = (): void => {
    const name = `pool${k}`;
    nodes.push({ name, op: 'avgPool', inputs: [input], size: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], countIncludePad: true });
    input = name;
  };
  conv(64), conv(64), pool(), conv(128), conv(128), pool(), conv(256), conv(256), pool();
  nodes.push({ name: 'flatten', op: 'flatten', inputs: [input] });
  const dense = (name: string, fin: number, fout: number, relu: boolean): void => {
    weights.set(`${name}/k`, he([fin, fout], fin));
    weights.set(`${name}/b`, { shape: [fout], data: new Float32Array(fout) });
    nodes.push({ name, op: 'dense', inputs: [input], kernel: `${name}/k`, bias: `${name}/b` });
    input = name;
    if (relu) {
      nodes.push({ name: `${name}/relu`, op: 'relu', inputs: [name] });
      input = `${name}/relu`;
    }
  };
  input = 'flatten';
  dense('fc1', 4 * 4 * 256, 512, true);
  dense('fc2', 512, 10, false);
  return buildGraph({ name: 'vgg-cifar-bench', input: { name: 'x', shape: [32, 32, 3] }, nodes, output: input, weights });
}

function randomImages(count: number, seed: number): Float32Array {
  const random = makeRandom(seed, 5);
  return Float32Array.from({ length: count * 32 * 32 * 3 }, () => random());
}

async function measure(backendName: BackendPreference, batch: number): Promise<BackendRun> {
  const backend = await initBackend(backendName);
  const graph = vggCifar(1);
  const calibration = makeImageSet({ name: 'random', data: randomImages(64, 2), count: 64, shape: [32, 32, 3], layout: 'nhwc', labels: new Int32Array(64), transform: { scale: 1, offset: 0 } });
  const stats = await collectActivationStats(graph, calibration, Int32Array.from({ length: 64 }, (_, i) => i), { perChannel: false });
  const base: SnnModel = convertToSnn(graph, stats, {
    method: { kind: 'percentile', percentile: 99.9 }, perChannel: false, neuron: 'if', reset: 'subtract', v0: 'zero', shift: false, encoding: 'direct', calibrationSamples: 64,
  }).model;
  const x = randomImages(batch, 3);
  const indices = Int32Array.from({ length: batch }, (_, i) => i);
  const rows: Row[] = [];
  for (const neuron of ['if', 'tpp'] as const) {
    const sim = new SnnSimulator(withNeuron(base, neuron));
    for (const T of TS) {
      await sim.runBatch(x, indices, { T, checkpoints: [T], seed: 0 }); // warm-up (kernel compilation)
      const samples: number[] = [];
      for (let r = 0; r < REPS; r++) {
        const t0 = performance.now();
        await sim.runBatch(x, indices, { T, checkpoints: [T], seed: 0 });
        samples.push(performance.now() - t0);
      }
      const ms = samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
      rows.push({ neuron, T, ms, imageStepsPerS: (batch * T) / (ms / 1000) });
    }
    sim.dispose();
  }
  return { backend: backend.name, detail: backend.detail, batch, rows };
}

async function main(): Promise<void> {
  const only = benchOption('only', '');
  if (only !== '') {
    const run = await measure(only as BackendPreference, Number(benchOption('batch', '32')));
    console.log(JSON.stringify(run));
    tf.disposeVariables();
    return;
  }
  const backends = benchOption('backends', 'webgpu,wasm').split(',');
  const runs: BackendRun[] = [];
  for (const b of backends) {
    const batch = b === 'webgpu' ? benchOption('batch', '256') : benchOption('cpu-batch', '32');
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--only', b, '--batch', batch, '--reps', String(REPS), '--max-t', String(MAX_T)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (child.status !== 0) {
      console.error(`bench:gpu: ${b} failed: ${child.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      continue;
    }
    runs.push(JSON.parse(child.stdout.trim().split('\n').pop()!) as BackendRun);
  }
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), Node ${process.version}`;
  if (args.includes('--json')) {
    console.log(JSON.stringify({ machine, runs }, null, 2));
    return;
  }
  console.log(`machine  ${machine}`);
  for (const r of runs) console.log(`${r.backend.padEnd(8)} ${r.detail}; batch ${r.batch}`);
  console.log(`VGG-style CIFAR-10-sized network (7 spiking layers), random weights and images; medians of ${REPS} runs`);
  console.log('');
  const head = ['neuron', 'T', ...runs.map((r) => `${r.backend} img·steps/s`), ...(runs.length === 2 ? [`${runs[0]!.backend}/${runs[1]!.backend}`] : [])];
  console.log(head.join('\t'));
  for (const neuron of ['if', 'tpp'] as const) {
    for (const T of TS) {
      const speeds = runs.map((r) => r.rows.find((x) => x.neuron === neuron && x.T === T)?.imageStepsPerS ?? NaN);
      console.log([neuron, T, ...speeds.map((v) => v.toFixed(0)), ...(speeds.length === 2 ? [(speeds[0]! / speeds[1]!).toFixed(2)] : [])].join('\t'));
    }
  }
}

main().catch((error: unknown) => {
  console.error(`bench:gpu: ${(error as Error).message}`);
  process.exit(1);
});
