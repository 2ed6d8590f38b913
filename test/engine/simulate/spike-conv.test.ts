import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src-main/common/ir/graph';
import type { Conv2dNode, Pads, Pair } from '../../../src-main/common/ir/types';
import { applyNode } from '../../../src-main/engine/ann/apply-node';
import { GraphTensors } from '../../../src-main/engine/ann/graph-tensors';
import { spikeConv2d } from '../../../src-main/engine/simulate/spike-conv';
import { useBackend } from '../../helpers/backend';
import { randomWeight } from '../../helpers/graphs';

/**
 * The spike-driven convolution against tfjs's dense conv2d (XNNPACK on wasm): the same outputs
 * to float32 rounding (only the order of each sum differs), on sparse inputs of spike values,
 * over strides, paddings (asymmetric included), kernel sizes, channel counts that are and are
 * not multiples of 4, and an all-zero input.
 */
interface Case {
  name: string;
  hwc: [number, number, number];
  kernel: [number, number];
  cout: number;
  strides: Pair;
  pads: Pads;
  density: number;
}

const CASES: Case[] = [
  { name: '3x3 stride 1 pad 1, 16 → 16', hwc: [9, 7, 16], kernel: [3, 3], cout: 16, strides: [1, 1], pads: [1, 1, 1, 1], density: 0.05 },
  { name: '3x3 stride 2 pad 1, 5 → 7 (odd channels)', hwc: [8, 9, 5], kernel: [3, 3], cout: 7, strides: [2, 2], pads: [1, 1, 1, 1], density: 0.1 },
  { name: '1x1 stride 2 (a shortcut)', hwc: [10, 10, 8], kernel: [1, 1], cout: 12, strides: [2, 2], pads: [0, 0, 0, 0], density: 0.2 },
  { name: '5x3 strides 3x2, asymmetric pads', hwc: [11, 8, 4], kernel: [5, 3], cout: 6, strides: [3, 2], pads: [2, 0, 1, 2], density: 0.3 },
  { name: 'no padding, dense input', hwc: [6, 6, 3], kernel: [3, 3], cout: 4, strides: [1, 1], pads: [0, 0, 0, 0], density: 1 },
  { name: 'all zeros', hwc: [5, 5, 8], kernel: [3, 3], cout: 8, strides: [1, 1], pads: [1, 1, 1, 1], density: 0 },
];

describe('spike-driven convolution', () => {
  beforeAll(() => useBackend('wasm'));
  for (const c of CASES) {
    it(`equals the dense convolution: ${c.name}`, () => {
      const [h, w, cin] = c.hwc;
      const graph = buildGraph({
        name: 'one-conv',
        input: { name: 'x', shape: c.hwc },
        nodes: [{ name: 'c', op: 'conv2d', inputs: ['x'], kernel: 'k', bias: 'b', strides: c.strides, pads: c.pads, dilations: [1, 1], groups: 1 }],
        output: 'c',
        weights: new Map([
          ['k', randomWeight([...c.kernel, cin, c.cout], 3)],
          ['b', randomWeight([c.cout], 4, 0.1)],
        ]),
      });
      const rows = 6;
      let s = 12345;
      const x = Float32Array.from({ length: rows * h * w * cin }, (_, i) => {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        return s / 2 ** 32 < c.density ? [0.75, 1.5, 0.3][i % 3]! : 0; // spikes carry their θ
      });
      const weights = new GraphTensors(graph);
      const node = graph.nodes[0] as Conv2dNode;
      const input = tf.tensor4d(x, [rows, h, w, cin]);
      try {
        const dense = tf.tidy(() => applyNode(node, [input], weights));
        const sparse = spikeConv2d(graph, node, input);
        expect(sparse.shape).toEqual(dense.shape);
        const a = sparse.dataSync();
        const b = dense.dataSync();
        let worst = 0;
        for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
        expect(worst).toBeLessThan(1e-5);
        sparse.dispose();
        dense.dispose();
      } finally {
        input.dispose();
        weights.dispose();
      }
    });
  }
});
