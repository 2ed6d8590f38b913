import { beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../../src-main/common/ir/types';
import type { MaxPoolPolicy } from '../../../src-main/common/study';
import { loadImageArrays } from '../../../src-main/datasets/array-files';
import { firstIndices } from '../../../src-main/datasets/sample-set';
import { runExperiment } from '../../../src-main/engine/experiment/run-experiment';
import { loadModelFile } from '../../../src-main/formats/node/load-model';
import { useBackend } from '../../helpers/backend';
import { HAVE_FIXTURES, MNIST_TEST_IMAGES, MNIST_TEST_LABELS, fixture } from '../../helpers/fixtures';
import { study } from '../../helpers/study';

/**
 * The two real models with max pooling (conv → ReLU → maxpool, twice) under each max-pool policy,
 * on the first 500 real MNIST test digits (p99.9 thresholds from the last 256 test digits, v0 = 0,
 * one seed): the accuracies are printed for README's table. `exact` must refuse the second pool by
 * name (it sees spikes); `spiking` keeps the ANN as it is.
 */
const data = loadImageArrays({ images: MNIST_TEST_IMAGES, labels: MNIST_TEST_LABELS, transform: { scale: 1 / 255, offset: 0 } });
const TIMESTEPS = [1, 2, 4, 8, 16, 32];

async function measure(name: string, graph: Graph, maxPool: MaxPoolPolicy) {
  const result = await runExperiment({
    graph, data, indices: firstIndices(data, 500),
    calibration: { set: data, indices: Int32Array.from({ length: 256 }, (_, i) => 9744 + i), source: 'MNIST t10k, last 256' },
    ...study({ methods: ['if', 'tpp'], timesteps: TIMESTEPS, seeds: [0], maxPool }),
    backend: 'wasm',
  });
  const row = (m: string) => result.results.filter((r) => r.method === m).map((r) => (100 * r.accuracy.mean).toFixed(1)).join(' | ');
  console.log(`| ${name} | ${maxPool} | ${(100 * result.ann.accuracy).toFixed(1)} | IF | ${row('if')} |\n| | | | TPP | ${row('tpp')} |`);
  return result;
}

describe.skipIf(!HAVE_FIXTURES)('max pooling in the real models, per policy', () => {
  beforeAll(() => useBackend('wasm'));

  for (const [name, file, second] of [
    ['mnist-8', 'models/wonnx_opt-mnist.onnx', /max pool '.*Pooling160.*' cannot be exact/],
    ['Keras LeNet-5', 'models/snntoolbox_lenet5_keras_98.96.h5', /max pool 'max_pooling2d_2' cannot be exact/],
  ] as const) {
    it(`${name}: avg changes the ANN, exact refuses the pool that sees spikes, spiking keeps the ANN`, async () => {
      const { graph } = await loadModelFile(fixture(file));
      const avg = await measure(name, graph, 'avg');
      await expect(measure(name, graph, 'exact')).rejects.toThrow(second);
      const spiking = await measure(name, graph, 'spiking');
      expect(spiking.ann.accuracy).toBe(avg.ann.accuracyBeforeSwap);
      expect(spiking.notes.join(' ')).toMatch(/moved before the activation/);
      // Near the ANN by T = 32.
      const at32 = spiking.results.find((r) => r.method === 'if' && r.T === 32)!.accuracy.mean;
      expect(at32).toBeGreaterThan(spiking.ann.accuracy - 0.03);
    }, 600_000);
  }
});
