import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../src-main/common/errors';
import { makeRandom } from '../../../src-main/common/random';
import { mutate } from '../../helpers/mutate';
import { loadModelFile } from '../../../src-main/formats/node/load-model';
import { HAVE_FIXTURES, REPO_ROOT, fixture } from '../../helpers/fixtures';
import { tempDir } from '../../helpers/temp';

/**
 * Mutated model files (truncations, bit flips, splices; a fixed number per file, seeded) must
 * either import or fail with a WorkbenchError naming the file — never crash, hang or throw
 * anything else.
 */
const CASES_PER_FILE = 40;
const generated = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const files = [
  ...['cnn_gemm', 'branches', 'qcfs', 'legacy'].map((n) => join(generated, 'onnx', `${n}.onnx`)),
  ...['sequential.keras', 'functional.keras', 'sequential.h5', 'functional.h5'].map((n) => join(generated, 'keras', n)),
  join(REPO_ROOT, 'assets', 'demo', 'mnist-cnn.tppw'),
  ...(HAVE_FIXTURES
    ? [fixture('models/wonnx_opt-mnist.onnx'), fixture('models/snntoolbox_lenet5_keras_98.96.h5'), fixture('models/tfjs_lenet_mnist/mnist.json')]
    : []),
];


// A corrupt HDF5 file can make HDF5 spin; the reader stops it after this long (the product
// default is 15 s plus 1 s per 20 MB).
process.env['TPPW_HDF5_TIME_LIMIT_MS'] = '3000';

describe('fuzzed model files', () => {
  for (const file of files) {
    it(`${basename(file)}: ${CASES_PER_FILE} mutations import or fail cleanly`, async () => {
      const dir = tempDir('tppw-fuzz-');
      const original = new Uint8Array(readFileSync(file));
      const random = makeRandom(17, original.length);
      const target = join(dir, basename(file));
      if (file.endsWith('mnist.json')) copyFileSync(file.replace('mnist.json', 'mnist.weights.bin'), join(dir, 'mnist.weights.bin'));
      let failed = 0;
      for (let k = 0; k < CASES_PER_FILE; k++) {
        writeFileSync(target, mutate(original, random));
        try {
          await loadModelFile(target);
        } catch (error) {
          if (!(error instanceof WorkbenchError)) throw new Error(`case ${k}: ${String(error)}`);
          expect(error.message).toContain(target);
          expect(error.message).not.toContain('\n');
          failed++;
        }
      }
      expect(failed).toBeGreaterThan(0);
    }, 120_000);
  }
});
