import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src-main/common/ir/graph';
import type { WeightTensor } from '../../../src-main/common/ir/types';
import { analogMacs, fanoutMaps, meanFanout, synapticOps } from '../../../src-main/engine/metrics/energy';
import { spikingDepth } from '../../../src-main/engine/metrics/latency';
import { layerMetrics } from '../../../src-main/engine/metrics/layer-metrics';
import { emptyTrace } from '../../../src-main/engine/neurons/trace';
import { prepareForConversion } from '../../../src-main/engine/prepare/prepare';
import { bruteFanout } from '../../helpers/fanout';
import { branchedCnn, randomWeight, smallCnn, stridedCnn } from '../../helpers/graphs';

/** The implementation's per-position map spread over every neuron (its channels). */
function perNeuron(map: Float64Array, neurons: number): number[] {
  const channels = neurons / map.length;
  return Array.from({ length: neurons }, (_, i) => map[Math.floor(i / channels)]!);
}

const relus = (n: { op: string }): boolean => n.op === 'relu';

describe('fan-out: the synapses a spike really drives', () => {
  it('a padded 3x3 conv over a 4x4 map: 2, 3, 3, 2 taps per row and column, not 9 at every position', () => {
    const weights = new Map<string, WeightTensor>([['c/k', randomWeight([3, 3, 1, 2], 1)]]);
    const graph = buildGraph({
      name: 'one-conv',
      input: { name: 'x', shape: [4, 4, 1] },
      nodes: [
        { name: 'r0', op: 'relu', inputs: ['x'] },
        { name: 'c', op: 'conv2d', inputs: ['r0'], kernel: 'c/k', strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], groups: 1 },
      ],
      output: 'c',
      weights,
    });
    const map = fanoutMaps(graph, ['r0'], relus).get('r0')!;
    const taps = [2, 3, 3, 2];
    expect(Array.from(map)).toEqual(taps.flatMap((r) => taps.map((c) => 2 * r * c)));
    // (2 + 3 + 3 + 2)² / 16 = 6.25 taps per position against MACs / inputs = 9: 44% too many
    expect(meanFanout(map)).toBe(2 * 6.25);
  });

  it.each([
    ['strided', stridedCnn(1), ['x', 'r1', 'r2']],
    ['branched', branchedCnn(1), ['x', 'r1', 'ra1', 'ra2', 'rb', 'r3']],
    ['small', prepareForConversion(smallCnn(1), 'refuse').graph, ['x', 'r1', 'r2']],
  ] as const)('matches an enumeration of every weight tap (%s network)', (_, graph, names) => {
    const maps = fanoutMaps(graph, names, relus);
    for (const name of names) {
      const brute = bruteFanout(graph, name, relus);
      expect(perNeuron(maps.get(name)!, brute.length), name).toEqual(Array.from(brute));
    }
  });

  it('covers stride 2, padding, a padded pool between two spiking layers and a dense after flatten', () => {
    const graph = stridedCnn(1);
    const maps = fanoutMaps(graph, ['r1', 'r2'], relus);
    // r2 → flatten → dense 5: five synapses per neuron, wherever it sits
    expect(Array.from(maps.get('r2')!)).toEqual(new Array(12).fill(5));
    // r1 reaches c2 through the pool: positions differ
    expect(new Set(maps.get('r1')!).size).toBeGreaterThan(1);
  });

  it('SOPs weigh each position’s spikes by its own fan-out', () => {
    expect(synapticOps([1, 0, 2], Float64Array.of(4, 6, 9))).toBe(22);
    // a trace stored with one position (before per-position counts) meets the mean fan-out
    expect(synapticOps([3], Float64Array.of(4, 6, 8))).toBe(18);
  });

  it('the analog input drives only the first conv', () => {
    const graph = prepareForConversion(smallCnn(1), 'refuse').graph;
    expect(analogMacs(graph, relus)).toBe(8 * 8 * 4 * 18);
  });
});

describe('latency', () => {
  it('counts the spiking layers on the longest path: parallel branches count once', () => {
    expect(spikingDepth(branchedCnn(1), relus)).toBe(4); // r1, ra1, ra2, r3; rb runs beside ra1, ra2
    expect(branchedCnn(1).nodes.filter(relus)).toHaveLength(5);
    expect(spikingDepth(stridedCnn(1), relus)).toBe(2);
  });
});

describe('layer metrics', () => {
  it('derives rate, onset, late mass and residual from a trace', () => {
    const trace = emptyTrace(10, 4, [4]);
    trace.samples = 2;
    trace.spikesPerStep.set([2, 0, 4, 2]);
    trace.firstSpikesPerStep.set([2, 0, 2, 0]);
    trace.residualSum[0] = 5;
    trace.convErrorNum[0] = 1;
    trace.convErrorDen[0] = 4;
    const m = layerMetrics('r', trace, 0);
    expect(m.firingRate).toBe(8 / (10 * 2 * 4));
    expect(m.onset).toBe(2); // (1·2 + 3·2) / 4
    expect(m.lateMass).toBe(2 / 8); // steps > ⌊3·4/4⌋ = 3
    expect(m.residual).toBe(5 / 20);
    expect(m.convError).toBe(0.25);
    expect(m.spikesPerStep).toEqual([1, 0, 2, 1]);
  });
});
