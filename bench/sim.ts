/**
 * Simulation cost against the ANN, on the demo model (npm run bench:sim; not part of npm test).
 *
 * Same backend, same batch of MNIST test digits, one thread:
 *   IF ratio  = time(IF simulation of T steps) / (T × time(ANN forward))    target ≤ 1.3
 *   TPP ratio = time(TPP simulation at T) / time(IF simulation at T)         target ≤ 1.5
 * and the peak memory of a T = 64 simulation. Times are medians of repeated runs, measured side
 * by side in this one process.
 *
 *   npm run bench:sim [-- --batch 32 --reps 5 --backend wasm --json]
 */
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { loadDemoMnist } from '../src-main/datasets/demo-mnist';
import { GraphTensors } from '../src-main/engine/ann/graph-tensors';
import { runGraph } from '../src-main/engine/ann/run-graph';
import { initBackend, type BackendPreference } from '../src-main/engine/backend/select';
import { collectActivationStats } from '../src-main/engine/calibrate/activation-stats';
import { convertToSnn, withNeuron } from '../src-main/engine/convert/convert';
import { prepareForConversion } from '../src-main/engine/prepare/prepare';
import { SnnSimulator } from '../src-main/engine/simulate/simulator';
import { DEMO_MODEL } from '../src-main/cli/commands/demo';
import { loadModelFile } from '../src-main/formats/node/load-model';
import { benchOption } from './options';

const args = process.argv.slice(2);
const BATCH = Number(benchOption('batch', '32'));
const REPS = Number(benchOption('reps', '5'));
const BACKEND = benchOption('backend', 'wasm') as BackendPreference;
const JSON_OUT = args.includes('--json');
const MEMORY_ONLY = args.includes('--memory-only');
const TS = [1, 4, 16, 64];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(f: () => unknown, reps = REPS): Promise<number> {
  await f(); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await f();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

async function main(): Promise<void> {
  const backend = await initBackend(BACKEND);
  const { graph } = await loadModelFile(DEMO_MODEL);
  const test = loadDemoMnist('test', graph.preprocessing);
  const train = loadDemoMnist('train', graph.preprocessing);
  const prepared = prepareForConversion(graph, 'refuse').graph;
  const stats = await collectActivationStats(prepared, train, Int32Array.from({ length: 256 }, (_, i) => i), { perChannel: false });
  const base = convertToSnn(prepared, stats, {
    method: { kind: 'percentile', percentile: 99.9 }, perChannel: false, neuron: 'if', reset: 'subtract', v0: 'zero', shift: false, encoding: 'direct', calibrationSamples: 256,
  }).model;
  const indices = Int32Array.from({ length: BATCH }, (_, i) => i);
  const x = test.read(indices);

  const weights = new GraphTensors(prepared);
  const annMs = await time(async () => {
    const input = tf.tensor(x, [BATCH, ...test.shape]);
    const { output } = runGraph(prepared, weights, input);
    await output.data();
    tf.dispose([input, output]);
  }, REPS * 4);
  weights.dispose();

  if (MEMORY_ONLY) {
    // Child mode: peak memory of one IF and one TPP simulation at T = 64, nothing else before.
    const rssBefore = process.memoryUsage().rss;
    for (const neuron of ['if', 'tpp'] as const) {
      const sim = new SnnSimulator(withNeuron(base, neuron));
      await sim.runBatch(x, indices, { T: 64, checkpoints: [64], seed: 0 });
      sim.dispose();
    }
    console.log(JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024, rssBeforeMb: rssBefore / 2 ** 20, wasmHeapMb: wasmHeapMb() }));
    return;
  }
  const ifSim = new SnnSimulator(base);
  const tppSim = new SnnSimulator(withNeuron(base, 'tpp'));
  const rows: { T: number; annMs: number; ifMs: number; tppMs: number; ifRatio: number; tppRatio: number }[] = [];
  for (const T of TS) {
    const ifMs = await time(() => ifSim.runBatch(x, indices, { T, checkpoints: [T], seed: 0 }));
    const tppMs = await time(() => tppSim.runBatch(x, indices, { T, checkpoints: [T], seed: 0 }));
    rows.push({ T, annMs, ifMs, tppMs, ifRatio: ifMs / (T * annMs), tppRatio: tppMs / ifMs });
  }

  ifSim.dispose();
  tppSim.dispose();
  const peak = MEMORY_ONLY ? undefined : measurePeakInChild();

  const machine = `${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), Node ${process.version}`;
  if (JSON_OUT) {
    console.log(JSON.stringify({ machine, backend: backend.detail, batch: BATCH, reps: REPS, rows, peak }, null, 2));
    return;
  }
  console.log(`machine  ${machine}`);
  console.log(`backend  ${backend.detail}; batch ${BATCH} MNIST digits; medians of ${REPS} runs; demo CNN (3 spiking layers)`);
  console.log(`ANN forward ${annMs.toFixed(2)} ms per batch`);
  console.log('');
  console.log('   T   IF ms  TPP ms  IF/(T·ANN)  TPP/IF');
  for (const r of rows) {
    console.log(`${String(r.T).padStart(4)} ${r.ifMs.toFixed(1).padStart(7)} ${r.tppMs.toFixed(1).padStart(7)} ${r.ifRatio.toFixed(2).padStart(11)} ${r.tppRatio.toFixed(2).padStart(7)}`);
  }
  console.log('');
  console.log(`targets: IF/(T·ANN) ≤ 1.3, TPP/IF ≤ 1.5`);
  if (peak !== undefined) {
    console.log(`peak memory of a T = 64 simulation (fresh process, batch ${BATCH}): max RSS ${peak.maxRssMb.toFixed(0)} MB, ${peak.rssBeforeMb.toFixed(0)} MB before it started; wasm heap ${peak.wasmHeapMb?.toFixed(0) ?? 'n/a'} MB`);
  }
}

function measurePeakInChild(): { maxRssMb: number; rssBeforeMb: number; wasmHeapMb?: number } {
  const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--memory-only', '--batch', String(BATCH), '--backend', BACKEND], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`memory probe failed: ${child.stderr.trim()}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

function wasmHeapMb(): number | undefined {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  const heap = backend.wasm?.HEAPU8;
  return heap === undefined ? undefined : heap.byteLength / 2 ** 20;
}

main().catch((error: unknown) => {
  console.error(`bench:sim: ${(error as Error).message}`);
  process.exit(1);
});
