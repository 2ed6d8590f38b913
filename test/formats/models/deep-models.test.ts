import * as tf from '@tensorflow/tfjs-core';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadImageArrays } from '../../../src-main/datasets/array-files';
import { firstIndices } from '../../../src-main/datasets/sample-set';
import { evaluateAnn } from '../../../src-main/engine/ann/evaluate';
import { GraphTensors } from '../../../src-main/engine/ann/graph-tensors';
import { runGraph } from '../../../src-main/engine/ann/run-graph';
import { loadModelFile } from '../../../src-main/formats/node/load-model';
import { useBackend } from '../../helpers/backend';
import { REPO_ROOT } from '../../helpers/fixtures';

/**
 * The project's own deep models (assets/models, trained by scripts/deep-models/train.py on
 * Fashion-MNIST): the workbench imports the ONNX export and its ANN gives PyTorch's logits on the
 * first 32 test images and PyTorch's accuracy on the first 1,000. Fashion-MNIST comes from Debian's
 * dataset-fashion-mnist package; without it the test skips, saying so.
 */
const FASHION = process.env['TPPW_FASHION_MNIST'] ?? '/usr/share/datasets/fashion-mnist';
const HAVE_FASHION = existsSync(join(FASHION, 't10k-images-idx3-ubyte.gz'));
if (!HAVE_FASHION) console.warn(`Fashion-MNIST not found at ${FASHION} (apt-get install dataset-fashion-mnist): the deep-model tests are skipped`);

interface TrainingRecord {
  readonly file: string;
  readonly params: number;
  readonly first1000Accuracy: number;
  readonly referenceLogits: readonly (readonly number[])[];
  readonly qcfsLambda: readonly number[];
}

describe.skipIf(!HAVE_FASHION)('the deep models of assets/models', () => {
  beforeAll(() => useBackend('wasm'));
  const data = HAVE_FASHION
    ? loadImageArrays({ images: join(FASHION, 't10k-images-idx3-ubyte.gz'), labels: join(FASHION, 't10k-labels-idx1-ubyte.gz'), transform: { scale: 1 / 255, offset: 0 } })
    : undefined;

  for (const [name, spiking, qcfs] of [['vgg', 8, false], ['resnet', 7, false], ['vgg-qcfs', 8, true], ['resnet-qcfs', 7, true]] as const) {
    it(`${name}: imports with ${spiking} activations and matches PyTorch's logits and accuracy`, async () => {
      const record = JSON.parse(readFileSync(join(REPO_ROOT, 'assets', 'models', `${name}.json`), 'utf8')) as TrainingRecord;
      const { graph } = await loadModelFile(join(REPO_ROOT, 'assets', 'models', record.file));
      const activations = graph.nodes.filter((n) => n.op === 'relu' || n.op === 'qcfs');
      expect(activations).toHaveLength(spiking);
      expect(activations.every((n) => n.op === (qcfs ? 'qcfs' : 'relu'))).toBe(true);
      if (qcfs) {
        const lambdas = activations.map((n) => (n.op === 'qcfs' ? graph.weights.get(n.lambda)!.data[0]! : 0));
        lambdas.forEach((l, i) => expect(l).toBeCloseTo(record.qcfsLambda[i]!, 5));
      }
      const weights = new GraphTensors(graph);
      const x = tf.tensor(data!.read(firstIndices(data!, 32)), [32, 28, 28, 1]);
      const { output } = runGraph(graph, weights, x);
      const logits = (await output.data()) as Float32Array;
      [x, output].forEach((t) => t.dispose());
      weights.dispose();
      let worst = 0;
      record.referenceLogits.forEach((row, b) => row.forEach((v, k) => (worst = Math.max(worst, Math.abs(logits[b * 10 + k]! - v)))));
      expect(worst).toBeLessThan(2e-3);
      const accuracy = (await evaluateAnn(graph, data!, firstIndices(data!, 1000))).accuracy;
      // A logit difference of float32 rounding may flip one sample on a tie-close call.
      expect(Math.abs(accuracy - record.first1000Accuracy)).toBeLessThanOrEqual(0.001);
    }, 120_000);
  }
});
