import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../src-main/common/errors';
import { makeRandom } from '../../../src-main/common/random';
import { mutate } from '../../helpers/mutate';
import { streamEventFile } from '../../../src-main/formats/node/read-events';
import { HAVE_FIXTURES, fixture } from '../../helpers/fixtures';
import { tempDir } from '../../helpers/temp';

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


describe.skipIf(!HAVE_FIXTURES)('fuzzed event files', () => {
  for (const name of FILES) {
    it(`${name}: ${CASES_PER_FILE} mutations decode or fail cleanly`, () => {
      const original = new Uint8Array(readFileSync(fixture(`events/${name}`)));
      const dir = tempDir('tppw-fuzz-events-');
      const target = join(dir, basename(name));
      const random = makeRandom(23, original.length);
      for (let k = 0; k < CASES_PER_FILE; k++) {
        writeFileSync(target, mutate(original, random, { maxFlips: 16, flipWithin: 4096, maxSplice: 256 }));
        try {
          let n = 0;
          streamEventFile(target, (e) => {
            n += e.x.length;
          }, { chunkBytes: 64 * 1024 });
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
