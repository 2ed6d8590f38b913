import { buildGraph } from '../../src-main/common/ir/graph';
import type { Graph, IrNode, WeightTensor } from '../../src-main/common/ir/types';
import { makeRandom } from '../../src-main/common/random';

/** Small seeded graphs for tests. */
export function randomWeight(shape: number[], seed: number, scale = 0.5): WeightTensor {
  const random = makeRandom(seed, 7);
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: size }, () => (random() * 2 - 1) * scale) };
}

export function positiveWeight(shape: number[], seed: number, low: number, high: number): WeightTensor {
  const random = makeRandom(seed, 9);
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: size }, () => low + random() * (high - low)) };
}

/** conv(3x3, 4) → BN → ReLU → avgpool 2 → conv(3x3, 6) → ReLU → flatten → dense 5 → softmax, on 8x8x2. */
export function smallCnn(seed = 1, withBatchNorm = true): Graph {
  const weights = new Map<string, WeightTensor>([
    ['c1/k', randomWeight([3, 3, 2, 4], seed)],
    ['c1/b', randomWeight([4], seed + 1, 0.1)],
    ['bn/g', positiveWeight([4], seed + 2, 0.5, 1.5)],
    ['bn/b', randomWeight([4], seed + 3, 0.2)],
    ['bn/m', randomWeight([4], seed + 4, 0.2)],
    ['bn/v', positiveWeight([4], seed + 5, 0.5, 2)],
    ['c2/k', randomWeight([3, 3, 4, 6], seed + 6)],
    ['c2/b', randomWeight([6], seed + 7, 0.1)],
    ['d/k', randomWeight([4 * 4 * 6, 5], seed + 8, 0.3)],
    ['d/b', randomWeight([5], seed + 9, 0.1)],
  ]);
  const nodes: IrNode[] = [
    { name: 'c1', op: 'conv2d', inputs: ['x'], kernel: 'c1/k', bias: 'c1/b', strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], groups: 1 },
    ...(withBatchNorm ? [{ name: 'bn', op: 'batchNorm', inputs: ['c1'], gamma: 'bn/g', beta: 'bn/b', mean: 'bn/m', variance: 'bn/v', epsilon: 1e-3 } as IrNode] : []),
    { name: 'r1', op: 'relu', inputs: [withBatchNorm ? 'bn' : 'c1'] },
    { name: 'p1', op: 'avgPool', inputs: ['r1'], size: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], countIncludePad: true },
    { name: 'c2', op: 'conv2d', inputs: ['p1'], kernel: 'c2/k', bias: 'c2/b', strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], groups: 1 },
    { name: 'r2', op: 'relu', inputs: ['c2'] },
    { name: 'f', op: 'flatten', inputs: ['r2'] },
    { name: 'd', op: 'dense', inputs: ['f'], kernel: 'd/k', bias: 'd/b' },
    { name: 'sm', op: 'softmax', inputs: ['d'] },
  ];
  return buildGraph({ name: 'small-cnn', input: { name: 'x', shape: [8, 8, 2] }, nodes, output: 'sm', weights });
}
