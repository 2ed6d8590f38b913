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

const conv = (name: string, input: string, kernel: string, strides: [number, number], pads: [number, number, number, number], dilations: [number, number] = [1, 1], groups = 1): IrNode => ({
  name, op: 'conv2d', inputs: [input], kernel, bias: `${kernel.split('/')[0]}/b`, strides, pads, dilations, groups,
});

/** Windows where position matters, on 7x5x2: conv 3x3 stride 2 pad 1 (→ 4x3x4) → ReLU →
 * avgpool 2x2 stride 1 padded bottom/right (→ 4x3x4) → conv 3x3 dilation 2 pad 2, 2 groups
 * (→ 4x3x6) → ReLU → flatten → dense 5. */
export function stridedCnn(seed = 1): Graph {
  const weights = new Map<string, WeightTensor>([
    ['c1/k', randomWeight([3, 3, 2, 4], seed)],
    ['c1/b', positiveWeight([4], seed + 1, 0.05, 0.2)],
    ['c2/k', randomWeight([3, 3, 2, 6], seed + 2)],
    ['c2/b', positiveWeight([6], seed + 3, 0.05, 0.2)],
    ['d/k', randomWeight([72, 5], seed + 4, 0.3)],
    ['d/b', randomWeight([5], seed + 5, 0.1)],
  ]);
  const nodes: IrNode[] = [
    conv('c1', 'x', 'c1/k', [2, 2], [1, 1, 1, 1]),
    { name: 'r1', op: 'relu', inputs: ['c1'] },
    { name: 'p1', op: 'avgPool', inputs: ['r1'], size: [2, 2], strides: [1, 1], pads: [0, 1, 0, 1], countIncludePad: false },
    conv('c2', 'p1', 'c2/k', [1, 1], [2, 2, 2, 2], [2, 2], 2),
    { name: 'r2', op: 'relu', inputs: ['c2'] },
    { name: 'f', op: 'flatten', inputs: ['r2'] },
    { name: 'd', op: 'dense', inputs: ['f'], kernel: 'd/k', bias: 'd/b' },
  ];
  return buildGraph({ name: 'strided-cnn', input: { name: 'x', shape: [7, 5, 2] }, nodes, output: 'd', weights });
}

/** Parallel spiking branches on 4x4x2: conv 3x3 pad 1 → r1 [4,4,3], then
 *   branch a: explicit pad (1, 0, 0, 1) → conv 2x2 stride 2 → ra1 [2,2,4] → conv 1x1 → ra2 [2,2,3]
 *   branch b: avgpool 2 → conv 1x1 → rb [2,2,2]
 * → concat [2,2,5] → conv 3x3 pad 1 → r3 [2,2,5] → global average pool → dense 3.
 * Five spiking layers, four on the longest path (r1, ra1, ra2, r3). */
export function branchedCnn(seed = 1): Graph {
  const weights = new Map<string, WeightTensor>([
    ['c1/k', randomWeight([3, 3, 2, 3], seed)],
    ['c1/b', positiveWeight([3], seed + 1, 0.05, 0.2)],
    ['ca1/k', randomWeight([2, 2, 3, 4], seed + 2)],
    ['ca1/b', positiveWeight([4], seed + 3, 0.05, 0.2)],
    ['ca2/k', randomWeight([1, 1, 4, 3], seed + 4)],
    ['ca2/b', positiveWeight([3], seed + 5, 0.05, 0.2)],
    ['cb/k', randomWeight([1, 1, 3, 2], seed + 6)],
    ['cb/b', positiveWeight([2], seed + 7, 0.05, 0.2)],
    ['c3/k', randomWeight([3, 3, 5, 5], seed + 8)],
    ['c3/b', positiveWeight([5], seed + 9, 0.05, 0.2)],
    ['d/k', randomWeight([5, 3], seed + 10)],
    ['d/b', randomWeight([3], seed + 11, 0.1)],
  ]);
  const nodes: IrNode[] = [
    conv('c1', 'x', 'c1/k', [1, 1], [1, 1, 1, 1]),
    { name: 'r1', op: 'relu', inputs: ['c1'] },
    { name: 'pa', op: 'pad', inputs: ['r1'], pads: [1, 0, 0, 1] },
    conv('ca1', 'pa', 'ca1/k', [2, 2], [0, 0, 0, 0]),
    { name: 'ra1', op: 'relu', inputs: ['ca1'] },
    conv('ca2', 'ra1', 'ca2/k', [1, 1], [0, 0, 0, 0]),
    { name: 'ra2', op: 'relu', inputs: ['ca2'] },
    { name: 'pb', op: 'avgPool', inputs: ['r1'], size: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], countIncludePad: true },
    conv('cb', 'pb', 'cb/k', [1, 1], [0, 0, 0, 0]),
    { name: 'rb', op: 'relu', inputs: ['cb'] },
    { name: 'cat', op: 'concat', inputs: ['ra2', 'rb'] },
    conv('c3', 'cat', 'c3/k', [1, 1], [1, 1, 1, 1]),
    { name: 'r3', op: 'relu', inputs: ['c3'] },
    { name: 'gap', op: 'globalAvgPool', inputs: ['r3'] },
    { name: 'd', op: 'dense', inputs: ['gap'], kernel: 'd/k', bias: 'd/b' },
  ];
  return buildGraph({ name: 'branched-cnn', input: { name: 'x', shape: [4, 4, 2] }, nodes, output: 'd', weights });
}
