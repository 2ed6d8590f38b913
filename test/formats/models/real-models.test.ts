import { beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../../src-main/common/ir/types';
import { loadImageArrays } from '../../../src-main/datasets/array-files';
import { firstIndices } from '../../../src-main/datasets/sample-set';
import { evaluateAnn } from '../../../src-main/engine/ann/evaluate';
import { runExperiment } from '../../../src-main/engine/experiment/run-experiment';
import { loadModelFile } from '../../../src-main/formats/node/load-model';
import { useBackend } from '../../helpers/backend';
import { HAVE_FIXTURES, MNIST_TEST_IMAGES, MNIST_TEST_LABELS, fixture } from '../../helpers/fixtures';

/**
 * The real third-party models in ../shared/fixtures/real/models on the real MNIST test set:
 * ANN accuracy against the published figure, then an SNN conversion across T whose accuracies
 * are printed for the record (max pooling swapped for average pooling; 500 digits, 1 seed).
 */
const mnist = (scale: number) => loadImageArrays({ images: MNIST_TEST_IMAGES, labels: MNIST_TEST_LABELS, transform: { scale, offset: 0 } });

async function snnReport(name: string, graph: Graph, scale: number): Promise<void> {
  const data = mnist(scale);
  const result = await runExperiment({
    graph, data, indices: firstIndices(data, 500),
    calibration: { set: data, indices: Int32Array.from({ length: 256 }, (_, i) => 9744 + i), source: 'MNIST t10k, last 256' },
    methods: ['if', 'tpp'], timesteps: [1, 2, 4, 8, 16, 32], seeds: [0],
    threshold: { kind: 'percentile', percentile: 99.9 }, perChannel: false, reset: 'subtract', v0: 'zero', shift: false,
    encoding: 'direct', permute: 'neuron', maxPool: 'avg', backend: 'wasm',
  });
  const row = (m: string) => result.results.filter((r) => r.method === m).map((r) => `T=${r.T} ${(100 * r.accuracy.mean).toFixed(1)}`).join('  ');
  console.log(`${name}: ANN ${(100 * result.ann.accuracy).toFixed(2)}% on 500 digits after the max→avg pool swap (${(100 * result.ann.accuracyBeforeSwap!).toFixed(2)}% before)\n  IF  ${row('if')}\n  TPP ${row('tpp')}`);
  expect(result.results).toHaveLength(12);
}

describe.skipIf(!HAVE_FIXTURES)('real models on the real MNIST test set', () => {
  beforeAll(() => useBackend('wasm'));
  const all = Int32Array.from({ length: 10000 }, (_, i) => i);

  it('ONNX mnist-8 (CNTK export) scores about 99% with inputs scaled to [0, 1]', async () => {
    const { graph } = await loadModelFile(fixture('models/wonnx_opt-mnist.onnx'));
    const accuracy = (await evaluateAnn(graph, mnist(1 / 255), all)).accuracy;
    // Measured 98.90% (98.91% with raw 0–255 inputs: the network is nearly scale-invariant).
    expect(accuracy).toBeCloseTo(0.989, 3);
    await snnReport('ONNX mnist-8', graph, 1 / 255);
  });

  it('Keras 2.0 LeNet-5 (Theano, channels_first) scores the 98.96% in its file name', async () => {
    const { graph } = await loadModelFile(fixture('models/snntoolbox_lenet5_keras_98.96.h5'));
    const accuracy = (await evaluateAnn(graph, mnist(1 / 255), all)).accuracy;
    expect(Math.abs(100 * accuracy - 98.96)).toBeLessThanOrEqual(0.1);
    await snnReport('Keras LeNet-5', graph, 1 / 255);
  });

  it('TF.js LeNet imports, runs and converts; its weights are untrained, so it scores chance', async () => {
    const { graph } = await loadModelFile(fixture('models/tfjs_lenet_mnist/mnist.json'));
    // Every bias is exactly zero: the file holds initial weights (TensorSpace's demo model).
    for (const [name, w] of graph.weights) if (name.endsWith('/bias')) expect(w.data.every((v) => v === 0)).toBe(true);
    const accuracy = (await evaluateAnn(graph, mnist(1 / 255), all)).accuracy;
    console.log(`TF.js LeNet: ANN ${(100 * accuracy).toFixed(2)}% on 10,000 digits`);
    expect(accuracy).toBeLessThan(0.2);
    await snnReport('TF.js LeNet', graph, 1 / 255);
  });
});
