import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Real third-party sample files live outside the repository, in ../shared/fixtures/real (see its
 * MANIFEST.md); TPPW_FIXTURES overrides the location. Tests that need them skip, saying why,
 * when the folder is absent.
 */
export const REPO_ROOT = resolve(__dirname, '..', '..');
export const FIXTURES = process.env['TPPW_FIXTURES'] ?? resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'real');
export const HAVE_FIXTURES = existsSync(FIXTURES);

export function fixture(relative: string): string {
  return join(FIXTURES, relative);
}

export const MNIST_TEST_IMAGES = fixture('images/mnist_t10k-images-idx3-ubyte.gz');
export const MNIST_TEST_LABELS = fixture('images/mnist_t10k-labels-idx1-ubyte.gz');

if (!HAVE_FIXTURES) {
  console.warn(`real fixtures not found at ${FIXTURES}: tests that read them are skipped`);
}
