import { describe, expect, it } from 'vitest';
import { graphCounts, nodeCounts } from '../../src-main/common/ir/counts';
import { buildGraph } from '../../src-main/common/ir/graph';
import { summarizeModel } from '../../src-main/common/ir/summary';
import type { IrNode, WeightTensor } from '../../src-main/common/ir/types';
import { smallCnn } from '../helpers/graphs';

const w = (shape: number[]): WeightTensor => ({ shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });

describe('graph IR', () => {
  it('infers shapes through conv, pooling, flatten and dense', () => {
    const g = smallCnn();
    expect(g.shapes.get('c1')).toEqual([8, 8, 4]);
    expect(g.shapes.get('p1')).toEqual([4, 4, 4]);
    expect(g.shapes.get('f')).toEqual([96]);
    expect(g.shapes.get('sm')).toEqual([5]);
  });

  it('counts parameters and MACs per node', () => {
    const g = smallCnn();
    const byName = new Map(g.nodes.map((n) => [n.name, n]));
    expect(nodeCounts(g, byName.get('c1')!)).toEqual({ params: 3 * 3 * 2 * 4 + 4, macs: 8 * 8 * 4 * 3 * 3 * 2 });
    expect(nodeCounts(g, byName.get('d')!)).toEqual({ params: 96 * 5 + 5, macs: 96 * 5 });
    expect(graphCounts(g).macs).toBe(4608 + 4 * 4 * 6 * 36 + 480);
  });

  it('computes strided, dilated, padded windows', () => {
    const nodes: IrNode[] = [
      { name: 'c', op: 'conv2d', inputs: ['x'], kernel: 'k', strides: [2, 2], pads: [1, 0, 1, 0], dilations: [1, 1], groups: 1 },
      { name: 'd', op: 'conv2d', inputs: ['c'], kernel: 'k2', strides: [1, 1], pads: [0, 0, 0, 0], dilations: [2, 2], groups: 3 },
      { name: 'p', op: 'maxPool', inputs: ['d'], size: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: false },
      { name: 'g', op: 'globalAvgPool', inputs: ['p'] },
    ];
    const g = buildGraph({ name: 't', input: { name: 'x', shape: [11, 11, 3] }, nodes, output: 'g', weights: new Map([['k', w([3, 3, 3, 6])], ['k2', w([3, 3, 2, 6])]]) });
    expect(g.shapes.get('c')).toEqual([5, 5, 6]); // floor((11 + 1 − 3)/2) + 1
    expect(g.shapes.get('d')).toEqual([1, 1, 6]); // 5 − 2·2
    expect(g.shapes.get('p')).toEqual([1, 1, 6]);
    expect(g.shapes.get('g')).toEqual([6]);
  });

  it('names the node and the numbers when shapes disagree', () => {
    const base = { name: 't', input: { name: 'x', shape: [4, 4, 3] }, output: 'c' };
    const conv = (kernel: string): IrNode => ({ name: 'c', op: 'conv2d', inputs: ['x'], kernel, strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1 });
    expect(() => buildGraph({ ...base, nodes: [conv('k')], weights: new Map([['k', w([3, 3, 2, 6])]]) })).toThrow(
      /node 'c' \(conv2d\): kernel weight 'k' has shape \[3, 3, 2, 6\] .* expected \[3, 3, 3, 6\]/,
    );
    expect(() => buildGraph({ ...base, nodes: [conv('k')], weights: new Map() })).toThrow(/kernel weight 'k' is missing/);
    expect(() => buildGraph({ ...base, nodes: [conv('k')], weights: new Map([['k', w([5, 5, 3, 6])]]) })).toThrow(/does not fit the 4x4 input/);
    expect(() => buildGraph({ ...base, output: 'r', nodes: [{ name: 'r', op: 'relu', inputs: ['nope'] }], weights: new Map() })).toThrow(
      /node 'r' \(relu\): input 'nope' is not the graph input or an earlier node/,
    );
    expect(() => buildGraph({ ...base, output: 'd', nodes: [{ name: 'd', op: 'dense', inputs: ['x'], kernel: 'k' }], weights: new Map([['k', w([48, 2])]]) })).toThrow(
      /needs a flat \[F\] input, got \[4, 4, 3\]/,
    );
    expect(() => buildGraph({ ...base, output: 'x2', nodes: [], weights: new Map() })).toThrow(/graph output 'x2' is not a node/);
  });

  it('summarises nodes, totals and conversion warnings', () => {
    const s = summarizeModel(smallCnn());
    expect(s.totals.spikingLayers).toBe(2);
    expect(s.nodes.map((n) => n.op)).toEqual(['conv2d', 'batchNorm', 'relu', 'avgPool', 'conv2d', 'relu', 'flatten', 'dense', 'softmax']);
    expect(s.warnings.join('\n')).toMatch(/does not record its input preprocessing/);
  });
});
