/**
 * Event decoding speed per format on one core (npm run bench:formats; not part of npm test).
 *
 * For each format a synthetic recording of N events is written to a temporary file with the
 * workbench's own writers (the compressed AEDAT 4.0 case repeats the real tonic sample), then
 * decoded by streamEventFile in 4 MiB chunks, in a fresh child process per format so each
 * process's peak resident memory is its own. Events per second count decoded events over the
 * wall time of a decode, file reading included: the best pass after the first (warm JIT, file in
 * the page cache) and the first pass (cold) are both printed. The real AEDAT 4.0 and EVT 3.0
 * samples are small, so they are decoded 30 times. Targets: ≥ 50 M events/s for EVT 2.0, EVT 3.0,
 * AEDAT 2.0 and N-MNIST; ≥ 20 M events/s for compressed AEDAT 4.0.
 *
 *   npm run bench:formats [-- --events 20000000 --json]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeAedat2Dvs128 } from '../src-main/formats/events/aedat2';
import { encodeNmnistBin } from '../src-main/formats/events/nmnist-bin';
import { encodeEvt2 } from '../src-main/formats/events/prophesee-evt2';
import { encodeEvt3 } from '../src-main/formats/events/prophesee-evt3';
import type { EventColumns } from '../src-main/common/events';
import { streamEventFile } from '../src-main/formats/node/read-events';

const args = process.argv.slice(2);
const value = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const EVENTS = Number(value('events', '20000000'));
const BLOCK = 1_000_000;

/** A block of events on a sensor, continuing the clock from `t0` (µs), ~2 events per µs. */
function block(n: number, width: number, height: number, t0: number, seed: number): EventColumns {
  let s = seed;
  const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) | 0) >>> 0) / 4294967296;
  const e = { x: new Uint16Array(n), y: new Uint16Array(n), tUs: new Float64Array(n), p: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    e.x[i] = Math.floor(rand() * width);
    e.y[i] = Math.floor(rand() * height);
    e.p[i] = rand() < 0.5 ? 1 : 0;
    e.tUs[i] = t0 + Math.floor(i / 2);
  }
  return e;
}

/** Writes a format's file block by block (headers only in the first block). */
function writeFile(path: string, encode: (e: EventColumns, first: boolean) => Uint8Array, width: number, height: number, events: number): void {
  const fd = openSync(path, 'w');
  try {
    for (let done = 0, b = 0; done < events; done += BLOCK, b++) {
      const n = Math.min(BLOCK, events - done);
      writeSync(fd, encode(block(n, width, height, done / 2, b + 1), b === 0));
    }
  } finally {
    closeSync(fd);
  }
}

function stripTextHeader(bytes: Uint8Array, marker: number): Uint8Array {
  let p = 0;
  while (bytes[p] === marker) p = bytes.indexOf(0x0a, p) + 1;
  return bytes.subarray(p);
}

const FORMATS: Record<string, { file: string; write: (path: string) => void }> = {
  'EVT 2.0': { file: 'evt2.raw', write: (p) => writeFile(p, (e, first) => (first ? encodeEvt2(e, { width: 1280, height: 720 }) : stripTextHeader(encodeEvt2(e, { width: 1280, height: 720 }), 0x25)), 1280, 720, EVENTS) },
  'EVT 3.0': { file: 'evt3.raw', write: (p) => writeFile(p, (e, first) => (first ? encodeEvt3(e, { width: 1280, height: 720 }) : stripTextHeader(encodeEvt3(e, { width: 1280, height: 720 }), 0x25)), 1280, 720, EVENTS) },
  'AEDAT 2.0': { file: 'dvs.aedat', write: (p) => writeFile(p, (e, first) => (first ? encodeAedat2Dvs128(e) : stripTextHeader(encodeAedat2Dvs128(e), 0x23)), 128, 128, EVENTS) },
  'N-MNIST .bin': { file: 'nmnist.bin', write: (p) => writeFile(p, (e) => encodeNmnistBin({ ...e, tUs: e.tUs.map((t) => t % 2 ** 23) }), 34, 34, EVENTS) },
};

/** Decodes the file `passes` times; reports the first pass (cold JIT) and the best later pass. */
function child(path: string, passes: number): void {
  const times: number[] = [];
  let n = 0;
  let bytes = 0;
  for (let pass = 0; pass < passes; pass++) {
    const t0 = performance.now();
    n = 0;
    bytes = streamEventFile(path, (e) => {
      n += e.x.length;
    }).bytes;
    times.push(performance.now() - t0);
  }
  const warm = times.length > 1 ? Math.min(...times.slice(1)) : times[0]!;
  console.log(JSON.stringify({ events: n, ms: warm, coldMs: times[0], bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

function run(path: string, passes = 3): { events: number; ms: number; coldMs: number; bytes: number; maxRssMb: number } {
  const out = spawnSync(process.execPath, [...process.execArgv, __filename, '--decode', path, String(passes)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout.trim().split('\n').pop()!);
}

function main(): void {
  if (args[0] === '--decode') return child(args[1]!, Number(args[2] ?? 3));
  const dir = mkdtempSync(join(tmpdir(), 'tppw-bench-formats-'));
  const rows: { format: string; events: number; mb: number; ms: number; mEventsPerS: number; coldMEventsPerS: number; maxRssMb: number }[] = [];
  try {
    for (const [format, spec] of Object.entries(FORMATS)) {
      const path = join(dir, spec.file);
      spec.write(path);
      const r = run(path);
      rows.push({ format, events: r.events, mb: statSync(path).size / 2 ** 20, ms: r.ms, mEventsPerS: r.events / r.ms / 1000, coldMEventsPerS: r.events / r.coldMs / 1000, maxRssMb: r.maxRssMb });
      rmSync(path);
    }
    // Real recordings, decoded 30 times in one process (they are small): compressed AEDAT 4.0
    // (LZ4) and EVT 3.0 as a Prophesee camera writes it (vectors, few time words).
    const real = join(__dirname, '..', '..', 'shared', 'fixtures', 'real', 'events');
    for (const [format, file] of [['AEDAT 4.0 (LZ4, real sample)', 'tonic_sample.aedat4'], ['EVT 3.0 (real sample)', 'expelliarmus_evt3_sample.raw']] as const) {
      const r = run(join(real, file), 30);
      rows.push({ format, events: r.events, mb: r.bytes / 2 ** 20, ms: r.ms, mEventsPerS: r.events / r.ms / 1000, coldMEventsPerS: r.events / r.coldMs / 1000, maxRssMb: r.maxRssMb });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), Node ${process.version}`;
  if (args.includes('--json')) {
    console.log(JSON.stringify({ machine, rows }, null, 2));
    return;
  }
  console.log(`machine ${machine}; one decoding thread, 4 MiB chunks, fresh process per format;`);
  console.log('warm = best of the passes after the first (file in the page cache), cold = the first pass');
  console.log('format                           events     MB      ms  M events/s warm  cold  peak RSS MB');
  for (const r of rows) {
    console.log(`${r.format.padEnd(30)} ${String(r.events).padStart(9)} ${r.mb.toFixed(1).padStart(6)} ${r.ms.toFixed(1).padStart(7)} ${r.mEventsPerS.toFixed(1).padStart(16)} ${r.coldMEventsPerS.toFixed(1).padStart(5)} ${r.maxRssMb.toFixed(0).padStart(12)}`);
  }
  console.log('targets: ≥ 50 M events/s (EVT 2.0, EVT 3.0, AEDAT 2.0, N-MNIST), ≥ 20 M events/s (compressed AEDAT 4.0)');
}

main();
