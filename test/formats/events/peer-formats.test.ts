import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventColumns } from '../../../src-main/common/events';
import { inferColumnRoles, roleOfName } from '../../../src-main/formats/events/event-arrays';
import { readMat5 } from '../../../src-main/formats/arrays/mat5';
import { readHdf5Events } from '../../../src-main/formats/node/hdf5-events';
import { decodeFile } from '../../helpers/events';
import { HAVE_FIXTURES, REPO_ROOT, fixture } from '../../helpers/fixtures';
import { readNpy } from '../../helpers/models';

/**
 * The formats the peers read, on files the peers wrote (test/fixtures/generate/make_peer_event_files.py:
 * faery 0.7, scipy.io.savemat, h5py), against the events they were written from — which each
 * peer's own decode of its file reproduced before the file was kept.
 */
const DIR = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'events', 'peers');
const N = 2500;
const T0 = 913_000_000;
const ref = readNpy(join(DIR, 'reference.npy')).data;
const column = (row: number, n = N): number[] => Array.from(ref.subarray(row * N, row * N + n));

function expectReference(e: EventColumns, options: { tOffset?: number; n?: number; xMod?: number; yMod?: number } = {}): void {
  const n = options.n ?? N;
  expect(e.x.length).toBe(n);
  expect(Array.from(e.x)).toEqual(column(0, n).map((v) => v % (options.xMod ?? Infinity)));
  expect(Array.from(e.y)).toEqual(column(1, n).map((v) => v % (options.yMod ?? Infinity)));
  expect(Array.from(e.tUs)).toEqual(column(2, n).map((t) => t + T0 - (options.tOffset ?? 0)));
  expect(Array.from(e.p)).toEqual(column(3, n));
}

describe('files written by faery', () => {
  it.each([
    ['faery_evt2.raw', 'evt2'],
    ['faery_evt3.raw', 'evt3'],
    ['faery.dat', 'dat'],
  ])('%s (%s): the header t0 line puts the events back at 913 s, as faery reads them', (file, format) => {
    const { events, info } = decodeFile(join(DIR, file));
    expect(info.format).toBe(format);
    expect(info.sensor).toEqual({ width: 346, height: 260 });
    expect(events.tUs[0]).toBe(913_000_283);
    expectReference(events);
  });

  it('AEDAT 4.0 and CSV (t,x@346,y@260,on: the sensor from the header names)', () => {
    for (const file of ['faery.aedat4', 'faery.csv']) {
      const { events, info } = decodeFile(join(DIR, file));
      expect(info.sensor).toEqual({ width: 346, height: 260 });
      expectReference(events);
    }
  });

  it('Event Stream .es (DVS): the same events, timed from 0 as the format has no time origin', () => {
    const { events, info } = decodeFile(join(DIR, 'faery.es'));
    expect(info.format).toBe('es');
    expect(info.sensor).toEqual({ width: 346, height: 260 });
    expectReference(events, { tOffset: T0 + 283 });
    // time bytes and coordinates straddle chunk boundaries
    expect(Array.from(decodeFile(join(DIR, 'faery.es'), 17).events.tUs)).toEqual(Array.from(events.tUs));
  });
});

describe('CSV/TXT event lists', () => {
  it('without a header, in x y t p and t(s) x y p order, and with a header in any order (p;x;timestamp;y, p = ±1)', () => {
    for (const file of ['xytp_noheader.txt', 'rpg_seconds.txt', 'pxty_header.csv']) {
      const { events, info } = decodeFile(join(DIR, file), 4096);
      expect(info.format).toBe('csv');
      expectReference(events, { tOffset: T0 });
    }
    expect(decodeFile(join(DIR, 'rpg_seconds.txt')).info.warnings).toContain('timestamps have fractional parts and no unit in the header: they are read as seconds');
  });

  it('reads column names and units; infers unnamed roles', () => {
    expect(roleOfName('x@346')).toEqual({ role: 'x', size: 346 });
    expect(roleOfName('ts')).toEqual({ role: 't' });
    expect(roleOfName('"Timestamp [ms]"')).toEqual({ role: 't', unit: 'ms' });
    expect(roleOfName('t_s')).toEqual({ role: 't', unit: 's' });
    expect(inferColumnRoles([[3, 9, 4], [1, 1, 0], [10, 20, 30], [5, 2, 7]])).toEqual({ x: 0, y: 3, t: 2, p: 1 });
    expect(inferColumnRoles([[1, 2], [3, 4], [5, 6], [7, 8]])).toMatch(/no polarity column/);
  });
});

describe('MATLAB and HDF5 event files', () => {
  it('MAT v5 (ASL-DVS layout, zlib-compressed variables): ts, x, y, pol', () => {
    const { events, info } = decodeFile(join(DIR, 'asl_dvs_v5.mat'));
    expect(info.format).toBe('mat');
    expectReference(events, { tOffset: T0, xMod: 240, yMod: 180 });
    expect(readMat5(new Uint8Array(readFileSync(join(DIR, 'asl_dvs_v5.mat'))), 'asl').map((v) => [v.name, v.dims])).toEqual([['ts', [N, 1]], ['x', [N, 1]], ['y', [N, 1]], ['pol', [N, 1]]]);
  });

  it('MAT v5 (ST-MNIST spiketrain, 101 × N): the events tonic\'s stmnist reader makes, on 10 × 10', () => {
    const { events, info } = decodeFile(join(DIR, 'stmnist_v5.mat'));
    const st = readNpy(join(DIR, 'stmnist_reference.npy'));
    const n = st.shape[1]!;
    expect(info.sensor).toEqual({ width: 10, height: 10 });
    expect(events.x.length).toBe(n);
    expect(Array.from(events.x)).toEqual(Array.from(st.data.subarray(0, n)));
    expect(Array.from(events.y)).toEqual(Array.from(st.data.subarray(n, 2 * n)));
    expect(Array.from(events.tUs)).toEqual(Array.from(st.data.subarray(2 * n, 3 * n)));
    expect(Array.from(events.p)).toEqual(Array.from(st.data.subarray(3 * n, 4 * n)));
  });

  it('MAT v7.3 (HDF5 behind MATLAB\'s user block), one N×4 HDF5 array, and Prophesee HDF5 /CD/events', async () => {
    const v73 = await readHdf5Events(join(DIR, 'asl_dvs_v73.mat'));
    expectReference(v73.events, { tOffset: T0, xMod: 240, yMod: 180 });
    const nx4 = await readHdf5Events(join(DIR, 'events_nx4.h5'));
    expectReference(nx4.events, { tOffset: T0 });
    expect(nx4.notes).toEqual(["columns of 'events' read as x = column 1, y = column 2, t = column 0, p = column 3"]);
    const cd = await readHdf5Events(join(DIR, 'prophesee_plain.hdf5'));
    expect(cd.sensor).toEqual({ width: 346, height: 260 });
    expectReference(cd.events, { tOffset: T0 });
  }, 30_000);

  it('Prophesee HDF5 compressed with ECF: a message naming the missing codec, not an HDF5 error stack', async () => {
    const error = await readHdf5Events(join(DIR, 'prophesee_ecf.hdf5')).catch((e: Error) => e);
    expect(String(error)).toMatch(/\/CD\/events is compressed with Prophesee's ECF codec \(HDF5 filter 36559\), which this build cannot decode/);
    expect(String(error)).not.toMatch(/H5D|#00/);
  }, 30_000);
});

describe('AEDAT 1.0 and AEDAT 2.0 without a chip class', () => {
  it('AEDAT 1.0: 6-byte records, DVS128 addresses', () => {
    const { events, info } = decodeFile(join(DIR, 'dvs128.aedat1'));
    expect(info.format).toBe('aedat1');
    expectReference(events, { n: 1000, tOffset: T0, xMod: 128, yMod: 128 });
  });

  it('a silicon-cochlea recording with no AEChip line: the layout is said to be assumed, and the misfit is warned', () => {
    const { info, summary } = decodeFile(join(DIR, 'cochlea_no_chip.aedat'));
    expect(summary.events).toBe(2000);
    expect(info.warnings[0]).toMatch(/no chip class .*DVS128 address layout is assumed/);
    expect(info.warnings[1]).toMatch(/do not fit the assumed DVS128 layout \(all 2000 events have polarity OFF and the addresses fill only 64 column\(s\) × 4 row\(s\)/);
  });

  it.skipIf(!HAVE_FIXTURES)('a real DVS128 recording with no AEChip line (jAER MovingDarkBox): the assumption is said, no misfit', () => {
    expect(decodeFile(fixture('events/jaer_MovingDarkBox_aedat2.aedat')).info.warnings).toEqual(['the header names no chip class (no "# AEChip:" line): the DVS128 address layout is assumed']);
  });
});
