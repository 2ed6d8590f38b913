import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventColumns } from '../../src-main/common/events';
import { indexEventDataset } from '../../src-main/datasets/event-layouts';
import { measureEventDataset } from '../../src-main/datasets/measure';
import { encodeAedat2Dvs128 } from '../../src-main/formats/events/aedat2';
import { encodeNmnistBin } from '../../src-main/formats/events/nmnist-bin';
import { tempDir } from '../helpers/temp';

/** Datasets that do not abort: links followed, bad samples skipped on request, odd content warned about. */
function events(n: number, backwards = false): EventColumns {
  const e = { x: new Uint16Array(n), y: new Uint16Array(n), tUs: new Float64Array(n), p: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    e.x[i] = (i * 7) % 34;
    e.y[i] = (i * 3) % 34;
    e.p[i] = i % 2;
    // time running backwards at three events in four
    e.tUs[i] = backwards ? (i % 4 === 0 ? 50_000 + i : 100_000 - i * 10) : i * 10;
  }
  return e;
}

function classFolders(root: string): void {
  for (const c of ['a', 'b']) {
    mkdirSync(join(root, c), { recursive: true });
    for (let k = 0; k < 2; k++) writeFileSync(join(root, c, `${k}.bin`), encodeNmnistBin(events(200 + k)));
  }
}

describe('event dataset indexing that does not abort', () => {
  it('follows symbolic links to class folders and to sample files', () => {
    const store = tempDir('tppw-links-store-');
    classFolders(store);
    const root = tempDir('tppw-links-');
    symlinkSync(join(store, 'a'), join(root, 'a'));
    mkdirSync(join(root, 'b'));
    symlinkSync(join(store, 'b', '0.bin'), join(root, 'b', '0.bin'));
    symlinkSync(join(store, 'missing.bin'), join(root, 'b', 'dangling.bin'));
    const index = indexEventDataset(root);
    expect(index.classes).toEqual(['a', 'b']);
    expect(index.samples.map((s) => s.file)).toEqual([join('a', '0.bin'), join('a', '1.bin'), join('b', '0.bin')]);
    expect(measureEventDataset(index).samples.map((s) => s.events)).toEqual([200, 201, 200]);
  });

  it('a corrupt sample fails the index naming the file and --skip-bad; with skipBad it is left out and listed', () => {
    const root = tempDir('tppw-bad-');
    classFolders(root);
    writeFileSync(join(root, 'b', 'broken.aedat'), new TextEncoder().encode('#!AER-DAT2.0\r\n#End Of ASCII Header\r\n123'));
    const index = indexEventDataset(root);
    expect(() => measureEventDataset(index)).toThrow(/broken\.aedat: byte \d+: the file ends in the middle of a record .*pass --skip-bad/);
    const measured = measureEventDataset(index, undefined, { skipBad: true });
    expect(measured.samples).toHaveLength(4);
    expect(measured.skipped).toEqual([{ file: join('b', 'broken.aedat'), reason: expect.stringMatching(/ends in the middle of a record/) }]);
  });

  it('warns when a folder mixes formats', () => {
    const root = tempDir('tppw-mixed-');
    classFolders(root);
    const dvs = events(300);
    writeFileSync(join(root, 'a', 'extra.aedat'), encodeAedat2Dvs128(dvs));
    expect(indexEventDataset(root).warnings).toEqual(['the samples mix file formats (4 .bin, 1 .aedat): check that they belong to one dataset']);
  });

  it('an N-MNIST .bin whose time runs backwards most of the time is warned about; its duration is the span, never negative', () => {
    const root = tempDir('tppw-backwards-');
    classFolders(root);
    writeFileSync(join(root, 'a', 'odd.bin'), encodeNmnistBin(events(400, true)));
    const measured = measureEventDataset(indexEventDataset(root));
    const odd = measured.samples.find((s) => s.file.endsWith('odd.bin'))!;
    expect(odd.durationUs).toBe(99_990 - 50_000);
    expect(measured.warnings).toEqual([`${join('a', 'odd.bin')}: time steps back at 299 of 400 events (75%): this is probably not an N-MNIST .bin file (40-bit events)`]);
  });

  it('a folder of event files without class folders says so', () => {
    const root = tempDir('tppw-flat-');
    writeFileSync(join(root, 'x.bin'), encodeNmnistBin(events(10)));
    expect(() => indexEventDataset(root)).toThrow(/event files but no class folders/);
  });
});
