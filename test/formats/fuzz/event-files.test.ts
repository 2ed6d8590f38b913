import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../src-main/common/errors';
import { makeRandom } from '../../../src-main/common/random';
import { streamEventFile } from '../../../src-main/formats/node/read-events';
import { HAVE_FIXTURES, fixture } from '../../helpers/fixtures';

/**
 * Mutated real event files (truncations, bit flips, splices; a fixed number per file, seeded)
 * must decode or fail with one WorkbenchError naming the file — never crash, hang or throw
 * anything else. Chunks are small so records straddle chunk boundaries.
 */
const CASES_PER_FILE = 30;
const FILES = [
  'tonic_sample.aedat4', 'jaer_MovingDarkBox_aedat2.aedat', 'tonic_sample_aedat_header.aedat', 'tonic_sample_ncars.dat',
  'tonic_sample_nmnist.bin', 'expelliarmus_evt2_sample.raw', 'expelliarmus_evt3_sample.raw', 'expelliarmus_evt3_sample.npy',
];

function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const pick = (n: number): number => Math.floor(random() * n);
  const out = Uint8Array.from(bytes);
  switch (pick(3)) {
    case 0:
      return out.subarray(0, pick(bytes.length));
    case 1:
      for (let k = 1 + pick(16); k > 0; k--) out[pick(Math.min(out.length, 4096 + pick(out.length)))]! ^= 1 << pick(8);
      return out;
    default: {
      const len = 1 + pick(Math.min(256, bytes.length));
      const from = pick(bytes.length - len);
      out.set(bytes.subarray(from, from + len), pick(bytes.length - len));
      return out;
    }
  }
}

describe.skipIf(!HAVE_FIXTURES)('fuzzed event files', () => {
  for (const name of FILES) {
    it(`${name}: ${CASES_PER_FILE} mutations decode or fail cleanly`, () => {
      const original = new Uint8Array(readFileSync(fixture(`events/${name}`)));
      const dir = mkdtempSync(join(tmpdir(), 'tppw-fuzz-events-'));
      const target = join(dir, basename(name));
      const random = makeRandom(23, original.length);
      for (let k = 0; k < CASES_PER_FILE; k++) {
        writeFileSync(target, mutate(original, random));
        try {
          let n = 0;
          streamEventFile(target, (e) => (n += e.x.length), { chunkBytes: 64 * 1024 });
          expect(n).toBeGreaterThanOrEqual(0);
        } catch (error) {
          if (!(error instanceof WorkbenchError)) throw new Error(`case ${k}: ${String(error)}`);
          expect(error.message).toContain(target);
          expect(error.message).not.toContain('\n');
        }
      }
    }, 60_000);
  }
});
