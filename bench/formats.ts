/**
 * Event decoding speed and memory per format on one core (npm run bench:formats; not part of npm test).
 *
 * Each input is built from a real recording in ../shared/fixtures/real/events, its packets or
 * records repeated until the file reaches --mb (default 128 MB), with timestamps moved on at each
 * repetition so time keeps running forward (AEDAT 4.0's compressed packets are repeated as they
 * are, without the file data table). Each file is decoded by streamEventFile in 4 MiB chunks in a
 * fresh child process, so each peak resident memory is its own; events per second count decoded
 * events over the wall time, file reading included: the first pass (cold) and the best later pass.
 * `--keep DIR` leaves the files (and results.json) in DIR for bench/peers/run_peers.py, which runs
 * expelliarmus, aedat and faery on the same files and prints the ratios.
 *
 *   npm run bench:formats [-- --mb 128 --passes 3 --keep DIR --json]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamEventFile } from '../src-main/formats/node/read-events';

const args = process.argv.slice(2);
const value = (name: string, fallback: string | undefined): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const TARGET_BYTES = Number(value('mb', '128')) * 2 ** 20;
const PASSES = Number(value('passes', '3'));
const REAL = join(__dirname, '..', '..', 'shared', 'fixtures', 'real', 'events');

/** Offset of the first byte after a text header whose lines start with `marker`. */
function headerEnd(bytes: Uint8Array, marker: number): number {
  let p = 0;
  while (bytes[p] === marker) p = bytes.indexOf(0x0a, p) + 1;
  return p;
}

/** Writes header + body repeated (body rewritten per repetition by `shift`) up to the target size. */
function repeat(path: string, header: Uint8Array, body: Uint8Array, shift: (copy: Uint8Array, rep: number) => void): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header);
    const copy = new Uint8Array(body.length);
    for (let rep = 0, written = header.length; written < TARGET_BYTES; rep++, written += body.length) {
      copy.set(body);
      shift(copy, rep);
      writeSync(fd, copy);
    }
  } finally {
    closeSync(fd);
  }
}

const u32 = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

const INPUTS: Record<string, { file: string; build: (path: string) => void }> = {
  // EVT 2.0 (expelliarmus sample, 539,481 events): TIME_HIGH words advanced by the span per copy
  'EVT 2.0': {
    file: 'evt2.raw',
    build: (path) => {
      const bytes = new Uint8Array(readFileSync(join(REAL, 'expelliarmus_evt2_sample.raw')));
      const h = headerEnd(bytes, 0x25);
      const body = bytes.subarray(h, h + Math.floor((bytes.length - h) / 4) * 4);
      let first = -1;
      let last = 0;
      for (let i = 0; i < body.length; i += 4) {
        const w = u32(body).getUint32(i, true);
        if (w >>> 28 === 8) {
          if (first < 0) first = w & 0x0fffffff;
          last = w & 0x0fffffff;
        }
      }
      const span = last - first + 1;
      repeat(path, bytes.subarray(0, h), body, (copy, rep) => {
        const v = u32(copy);
        for (let i = 0; i < copy.length; i += 4) {
          const w = v.getUint32(i, true);
          if (w >>> 28 === 8) v.setUint32(i, ((8 << 28) | ((w + rep * span) & 0x0fffffff)) >>> 0, true);
        }
      });
    },
  },
  // EVT 3.0 (expelliarmus sample, 219,596 events, vectors as a camera writes them)
  'EVT 3.0': {
    file: 'evt3.raw',
    build: (path) => {
      const bytes = new Uint8Array(readFileSync(join(REAL, 'expelliarmus_evt3_sample.raw')));
      const h = headerEnd(bytes, 0x25);
      repeat(path, bytes.subarray(0, h), bytes.subarray(h, h + Math.floor((bytes.length - h) / 2) * 2), () => {});
    },
  },
  // Prophesee DAT (N-CARS sample, 2,009 events): timestamps advanced by 100 ms per copy
  DAT: {
    file: 'ncars.dat',
    build: (path) => {
      const bytes = new Uint8Array(readFileSync(join(REAL, 'tonic_sample_ncars.dat')));
      const h = headerEnd(bytes, 0x25) + 2;
      const body = bytes.subarray(h, h + Math.floor((bytes.length - h) / 8) * 8);
      repeat(path, bytes.subarray(0, h), body, (copy, rep) => {
        const v = u32(copy);
        for (let i = 0; i < copy.length; i += 8) v.setUint32(i, (v.getUint32(i, true) + rep * 100_000) >>> 0, true);
      });
    },
  },
  // AEDAT 2.0 (jAER MovingDarkBox, 489,834 DVS128 events): timestamps advanced by 40 s per copy
  'AEDAT 2.0': {
    file: 'dvs128.aedat',
    build: (path) => {
      const bytes = new Uint8Array(readFileSync(join(REAL, 'jaer_MovingDarkBox_aedat2.aedat')));
      const h = headerEnd(bytes, 0x23);
      const body = bytes.subarray(h, h + Math.floor((bytes.length - h) / 8) * 8);
      repeat(path, bytes.subarray(0, h), body, (copy, rep) => {
        const v = u32(copy);
        for (let i = 4; i < copy.length; i += 8) v.setInt32(i, (v.getInt32(i, false) + rep * 40_000_000) | 0, false);
      });
    },
  },
  // AEDAT 4.0 (tonic sample, LZ4 packets): the packets repeated, the data table left out
  'AEDAT 4.0 (LZ4)': {
    file: 'sample.aedat4',
    build: (path) => {
      const bytes = new Uint8Array(readFileSync(join(REAL, 'tonic_sample.aedat4')));
      const v = u32(bytes);
      const start = 18 + v.getUint32(14, true);
      // the IOHeader's dataTablePosition (int64, field 1) is set to −1: no table follows
      const header = bytes.slice(0, start);
      const table = findInt64(header.subarray(18), v.getUint32(14, true));
      new DataView(header.buffer).setBigInt64(18 + table.at, -1n, true);
      repeat(path, header, bytes.subarray(start, table.value), () => {});
    },
  },
};

/** The IOHeader flatbuffer's field 1 (dataTablePosition): its offset in the buffer and value. */
function findInt64(fb: Uint8Array, length: number): { at: number; value: number } {
  const v = u32(fb.subarray(0, length));
  const root = v.getUint32(0, true);
  const vt = root - v.getInt32(root, true);
  const off = v.getUint16(vt + 6, true);
  return { at: root + off, value: Number(v.getBigInt64(root + off, true)) };
}

interface Result {
  events: number;
  ms: number;
  coldMs: number;
  bytes: number;
  maxRssMb: number;
}

/** Child: decodes the file `passes` times; reports the first pass and the best later pass. */
function child(path: string, passes: number): void {
  const times: number[] = [];
  let n = 0;
  let bytes = 0;
  for (let pass = 0; pass < passes; pass++) {
    const t0 = performance.now();
    n = 0;
    bytes = streamEventFile(path, (e) => {
      n += e.x.length;
    }, { transient: true }).bytes;
    times.push(performance.now() - t0);
  }
  const warm = times.length > 1 ? Math.min(...times.slice(1)) : times[0]!;
  console.log(JSON.stringify({ events: n, ms: warm, coldMs: times[0]!, bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 } satisfies Result));
}

function run(path: string): Result {
  const out = spawnSync(process.execPath, [...process.execArgv, __filename, '--decode', path, String(PASSES)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as Result;
}

function main(): void {
  if (args[0] === '--decode') return child(args[1]!, Number(args[2] ?? 3));
  const keep = value('keep', undefined);
  if (keep !== undefined) mkdirSync(keep, { recursive: true });
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'tppw-bench-formats-'));
  const rows: (Result & { format: string; file: string; mEventsPerS: number; coldMEventsPerS: number })[] = [];
  try {
    for (const [format, input] of Object.entries(INPUTS)) {
      const path = join(dir, input.file);
      input.build(path);
      const r = run(path);
      rows.push({ format, file: input.file, ...r, mEventsPerS: r.events / r.ms / 1000, coldMEventsPerS: r.events / r.coldMs / 1000 });
      if (keep === undefined) rmSync(path);
      else if (statSync(path).size < TARGET_BYTES) throw new Error(`${path} is smaller than the target`);
    }
  } finally {
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), Node ${process.version}`;
  if (keep !== undefined) writeFileSync(join(keep, 'results.json'), JSON.stringify({ machine, rows }, null, 2));
  if (args.includes('--json')) {
    console.log(JSON.stringify({ machine, rows }, null, 2));
    return;
  }
  console.log(`machine ${machine}; one decoding thread, 4 MiB chunks, fresh process per format`);
  console.log('format              events        MB   M events/s warm   cold   peak RSS MB');
  for (const r of rows) {
    console.log(`${r.format.padEnd(18)} ${String(r.events).padStart(10)} ${(r.bytes / 2 ** 20).toFixed(0).padStart(7)} ${r.mEventsPerS.toFixed(1).padStart(17)} ${r.coldMEventsPerS.toFixed(1).padStart(6)} ${r.maxRssMb.toFixed(0).padStart(13)}`);
  }
}

main();
