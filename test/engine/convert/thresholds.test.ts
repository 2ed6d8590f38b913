import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src-main/common/ir/graph';
import type { ActivationNode, IrNode } from '../../../src-main/common/ir/types';
import { Reservoir, percentile, type ActivationStats } from '../../../src-main/engine/calibrate/activation-stats';
import { chooseThreshold, snncSearch } from '../../../src-main/engine/convert/thresholds';

function stats(values: number[], channels = 1, perChannel = false): ActivationStats {
  const reservoirs = perChannel ? Array.from({ length: channels }, () => new Reservoir(1000, Math.random)) : [new Reservoir(1000, Math.random)];
  const channelMax = new Float32Array(channels);
  let max = 0;
  values.forEach((v, i) => {
    const c = i % channels;
    if (v > 0) {
      reservoirs[perChannel ? c : 0]!.add(v);
      channelMax[c] = Math.max(channelMax[c]!, v);
      max = Math.max(max, v);
    }
  });
  return { node: 'r', channels, count: values.length, max, channelMax, reservoirs, valuesKept: true, exact: true };
}

const relu: ActivationNode = { name: 'r', op: 'relu', inputs: ['x'] };
const graph = buildGraph({ name: 'g', input: { name: 'x', shape: [2] }, nodes: [relu as IrNode], output: 'r', weights: new Map() });

describe('thresholds', () => {
  it('percentile interpolates linearly between order statistics, like NumPy', () => {
    const v = Float32Array.from([5, 1, 4, 2, 3]);
    expect(percentile(v, 100)).toBe(5);
    expect(percentile(v, 50)).toBe(3);
    expect(percentile(v, 90)).toBeCloseTo(4.6, 6);
  });

  it('max and percentile use the positive activations only', () => {
    const s = stats([0, 0, 0, 0, 1, 2, 3, 4, 5, 0]);
    expect(chooseThreshold(graph, relu, s, { kind: 'max' }, false, undefined).theta).toEqual(Float32Array.of(5));
    expect(chooseThreshold(graph, relu, s, { kind: 'percentile', percentile: 50 }, false, undefined).theta).toEqual(Float32Array.of(3));
  });

  it('per channel: one threshold per channel of the last axis', () => {
    const s = stats([1, 10, 2, 20, 3, 30], 2, true);
    expect(Array.from(chooseThreshold(graph, relu, s, { kind: 'max' }, true, undefined).theta)).toEqual([3, 30]);
  });

  it('SNNC picks the candidate that minimises the quantisation error', () => {
    // Values on the grid of θ = 0.8 with T = 4 quantise exactly; θ = max = 1 does not.
    const values = Float32Array.from([0.2, 0.4, 0.6, 0.8, 0.8, 0.8, 0.4, 1.0]);
    const theta = snncSearch(values, 1, 4);
    expect(theta).toBeGreaterThan(0.05);
    expect(theta).toBeLessThanOrEqual(1);
    const err = (th: number): number => values.reduce((a, v) => a + (v - Math.floor(Math.min(4, (v / th) * 4)) * (th / 4)) ** 2, 0);
    for (let i = 0; i <= 94; i++) expect(err(theta)).toBeLessThanOrEqual(err(1 - 0.01 * i) + 1e-12);
  });

  it('QCFS thresholds are λ, and need QCFS nodes', () => {
    const q: ActivationNode = { name: 'q', op: 'qcfs', inputs: ['x'], lambda: 'lam', levels: 8 };
    const g = buildGraph({ name: 'g', input: { name: 'x', shape: [2] }, nodes: [q as IrNode], output: 'q', weights: new Map([['lam', { shape: [1], data: Float32Array.of(2.5) }]]) });
    expect(chooseThreshold(g, q, stats([1]), { kind: 'qcfs' }, false, undefined).theta).toEqual(Float32Array.of(2.5));
    expect(() => chooseThreshold(graph, relu, stats([1]), { kind: 'qcfs' }, false, undefined)).toThrow(/needs QCFS activations, but 'r' is relu/);
  });

  it('a layer that never fired gets θ = 1 and a warning', () => {
    const choice = chooseThreshold(graph, relu, stats([0, 0, -1]), { kind: 'max' }, false, undefined);
    expect(choice.theta).toEqual(Float32Array.of(1));
    expect(choice.warnings[0]).toMatch(/'r': never activated on the calibration data/);
  });

  it('the reservoir keeps everything below its cap and a uniform sample above it', () => {
    let s = 1;
    const random = (): number => ((s = (Math.imul(s, 48271) >>> 0) % 2147483647), s / 2147483647);
    const r = new Reservoir(1000, random);
    for (let i = 0; i < 100_000; i++) r.add(i);
    expect(r.size).toBe(1000);
    const mean = r.kept().reduce((a, b) => a + b, 0) / 1000;
    expect(Math.abs(mean - 50_000)).toBeLessThan(4000);
  });
});
