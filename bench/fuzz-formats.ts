/**
 * Fuzzing every event decoder (npm run bench:fuzz; not part of npm test): --cases (default 10,000)
 * seeded mutations (truncations, bit flips, splices: src-main/common/mutate.ts) of a seed file per
 * decoder — the real samples in ../shared/fixtures/real/events (their first 128 KB), the generated
 * peer files, and files written by the workbench's own writers for formats with no sample. Each
 * case is decoded in memory in 64 KB chunks. A case passes when it decodes or fails with one
 * WorkbenchError; any other exception is a crash; a case still running after --limit-ms (default
 * 2,000) is a hang: the worker thread running the cases is stopped and a new one carries on with
 * the next case. Printed per decoder: crashes, hangs, the slowest case and the worker's peak heap;
 * and the process's peak resident memory. All three must stay 0 / 0 / bounded.
 *
 *   npm run bench:fuzz [-- --cases 10000 --limit-ms 2000 --only evt3]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import { WorkbenchError } from '../src-main/common/errors';
import { mutate } from '../src-main/common/mutate';
import { makeRandom } from '../src-main/common/random';
import { encodeAedat31 } from '../src-main/formats/events/aedat3';
import { createDecoder } from '../src-main/formats/events/decoders';
import { encodeEvt21 } from '../src-main/formats/events/prophesee-evt21';
import type { EventFormat } from '../src-main/formats/events/types';
import { startWorker } from '../src-main/formats/node/start-worker';
import { benchOption } from './options';

const REAL = join(__dirname, '..', '..', 'shared', 'fixtures', 'real', 'events');
const PEERS = join(__dirname, '..', 'test', 'fixtures', 'generated', 'events', 'peers');
const SEED_BYTES = 128 * 1024;

function synthetic(n: number): { x: Uint16Array; y: Uint16Array; tUs: Float64Array; p: Uint8Array } {
  const e = { x: new Uint16Array(n), y: new Uint16Array(n), tUs: new Float64Array(n), p: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    e.x[i] = (i * 37) % 128;
    e.y[i] = (i * 11) % 128;
    e.p[i] = i & 1;
    e.tUs[i] = i * 3;
  }
  return e;
}

/** The seed file of each decoder (undefined when its file is absent). */
function seeds(): [string, EventFormat, Uint8Array | undefined][] {
  const file = (path: string): Uint8Array | undefined => (existsSync(path) ? new Uint8Array(readFileSync(path)).subarray(0, SEED_BYTES) : undefined);
  return [
    ['AEDAT 1.0 (generated)', 'aedat1', file(join(PEERS, 'dvs128.aedat1'))],
    ['AEDAT 2.0 (jAER)', 'aedat2', file(join(REAL, 'jaer_MovingDarkBox_aedat2.aedat'))],
    ['AEDAT 2.0 header (tonic)', 'aedat2', file(join(REAL, 'tonic_sample_aedat_header.aedat'))],
    ['AEDAT 3.1 (written here)', 'aedat3.1', encodeAedat31(synthetic(4000), { packetEvents: 500 })],
    ['AEDAT 4.0 (tonic)', 'aedat4', file(join(REAL, 'tonic_sample.aedat4'))],
    ['EVT 2.0 (expelliarmus)', 'evt2', file(join(REAL, 'expelliarmus_evt2_sample.raw'))],
    ['EVT 2.1 (written here)', 'evt2.1', encodeEvt21(synthetic(4000), { width: 128, height: 128 })],
    ['EVT 3.0 (expelliarmus)', 'evt3', file(join(REAL, 'expelliarmus_evt3_sample.raw'))],
    ['DAT (N-CARS)', 'dat', file(join(REAL, 'tonic_sample_ncars.dat'))],
    ['N-MNIST .bin (tonic)', 'nmnist-bin', file(join(REAL, 'tonic_sample_nmnist.bin'))],
    ['NumPy (expelliarmus)', 'npy', file(join(REAL, 'expelliarmus_evt3_sample.npy'))],
    ['Event Stream (faery)', 'es', file(join(PEERS, 'faery.es'))],
    ['CSV (faery)', 'csv', file(join(PEERS, 'faery.csv'))],
    ['TXT, no header', 'csv', file(join(PEERS, 'rpg_seconds.txt'))],
    ['MAT v5 (ASL-DVS, zlib)', 'mat', file(join(PEERS, 'asl_dvs_v5.mat'))],
    ['MAT v5 (ST-MNIST)', 'mat', file(join(PEERS, 'stmnist_v5.mat'))],
  ];
}

interface Job {
  readonly format: EventFormat;
  readonly seed: Uint8Array;
  readonly from: number;
  readonly cases: number;
  readonly seedNumber: number;
  /** [case being decoded, 1 while a case runs] */
  readonly progress: SharedArrayBuffer;
}

interface Report {
  readonly crashes: string[];
  readonly slowestMs: number;
  readonly heapMb: number;
}

/** Worker side: decodes cases from `from` on, publishing the current case before each. */
function runCases(job: Job): Report {
  const progress = new Int32Array(job.progress);
  const random = makeRandom(job.seedNumber, job.seed.length);
  const crashes: string[] = [];
  let slowestMs = 0;
  let heap = 0;
  for (let k = 0; k < job.cases; k++) {
    const bytes = mutate(job.seed, random, { maxFlips: 16, flipWithin: 4096, maxSplice: 256 });
    if (k < job.from) continue; // the random stream is replayed up to where a stopped worker left off
    Atomics.store(progress, 0, k);
    Atomics.store(progress, 1, 1);
    const t0 = performance.now();
    try {
      const decoder = createDecoder(job.format, 'fuzz');
      for (let at = 0; at < bytes.length; at += 65536) decoder.push(bytes.subarray(at, at + 65536));
      decoder.end();
    } catch (error) {
      if (!(error instanceof WorkbenchError)) crashes.push(`case ${k}: ${String(error).split('\n')[0]}`);
    }
    slowestMs = Math.max(slowestMs, performance.now() - t0);
    Atomics.store(progress, 1, 0);
    if (k % 256 === 0) heap = Math.max(heap, process.memoryUsage().heapUsed);
  }
  return { crashes, slowestMs, heapMb: heap / 2 ** 20 };
}

async function fuzz(format: EventFormat, seed: Uint8Array, cases: number, limitMs: number, seedNumber: number): Promise<Report & { hangs: number[] }> {
  const crashes: string[] = [];
  const hangs: number[] = [];
  let slowestMs = 0;
  let heapMb = 0;
  let from = 0;
  while (from < cases) {
    const progress = new SharedArrayBuffer(8);
    const state = new Int32Array(progress);
    const job: Job = { format, seed, from, cases, seedNumber, progress };
    const worker: Worker = startWorker(join(__dirname, 'fuzz-formats'), __filename, job);
    const outcome = await new Promise<{ report?: Report; hang?: number }>((resolve, reject) => {
      let seen = -1;
      let since = performance.now();
      const timer = setInterval(() => {
        const k = Atomics.load(state, 0);
        const running = Atomics.load(state, 1) === 1;
        if (k !== seen || !running) {
          seen = k;
          since = performance.now();
        } else if (performance.now() - since > limitMs) {
          clearInterval(timer);
          void worker.terminate().then(() => resolve({ hang: k }));
        }
      }, 50);
      worker.on('message', (report: Report) => {
        clearInterval(timer);
        resolve({ report });
      });
      worker.on('error', (error) => {
        clearInterval(timer);
        reject(error);
      });
    });
    if (outcome.report) {
      crashes.push(...outcome.report.crashes);
      slowestMs = Math.max(slowestMs, outcome.report.slowestMs);
      heapMb = Math.max(heapMb, outcome.report.heapMb);
      await worker.terminate();
      break;
    }
    hangs.push(outcome.hang!);
    from = outcome.hang! + 1;
  }
  return { crashes, hangs, slowestMs, heapMb };
}

async function main(): Promise<void> {
  if (!isMainThread) {
    parentPort!.postMessage(runCases(workerData as Job));
    return;
  }
  const cases = Number(benchOption('cases', '10000'));
  const limitMs = Number(benchOption('limit-ms', '2000'));
  const only = benchOption('only', '');
  console.log(`${cases} mutations per decoder, ${limitMs} ms per case at most, 64 KB chunks`);
  console.log('decoder                       crashes  hangs  slowest ms  worker heap MB');
  let bad = 0;
  let n = 0;
  for (const [name, format, seed] of seeds()) {
    n++;
    if (only !== '' && format !== only) continue;
    if (seed === undefined) {
      console.log(`${name.padEnd(28)}  (seed file missing: skipped)`);
      continue;
    }
    const r = await fuzz(format, seed, cases, limitMs, 1000 + n);
    bad += r.crashes.length + r.hangs.length;
    console.log(`${name.padEnd(28)} ${String(r.crashes.length).padStart(8)} ${String(r.hangs.length).padStart(6)} ${r.slowestMs.toFixed(1).padStart(11)} ${r.heapMb.toFixed(0).padStart(15)}`);
    for (const c of r.crashes.slice(0, 5)) console.log(`  crash ${c}`);
    for (const h of r.hangs.slice(0, 5)) console.log(`  hang  case ${h}`);
  }
  console.log(`peak resident memory of the process (workers included): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  process.exitCode = bad > 0 ? 1 : 0;
}

void main();
