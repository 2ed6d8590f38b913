import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src-main/common/results';
import { accuracyByMethod, accuracySeries, asRunResult, energySeries, layerRows, spikeHeatMap } from '../../src-renderer/results/series';

const layer = (node: string, spikesPerStep: number[]) => ({ node, firingRate: 0, convError: 0, residual: 0, onset: null, lateMass: null, spikesPerStep });
const row = (method: 'if' | 'tpp', T: number, mean: number, std: number, perLayer = [layer('r1', Array(T).fill(0))]) => ({
  method, T, accuracy: { mean, std }, seeds: 2, perSeed: [mean, mean], firingRate: 0, sops: 0, energyPj: 0, latencySteps: T, perLayer,
});
const result = {
  model: 'm', dataset: 'd', backend: 'wasm', samples: 10,
  config: { timesteps: [1, 2] }, ann: { accuracy: 0.9, macs: 1, energyPj: 1 },
  layers: [{ node: 'r1', op: 'relu', shape: [4], neurons: 4, threshold: { mean: 1, min: 1, max: 1, channels: 1 }, fanout: 1 }],
  results: [row('tpp', 2, 0.5, 0.01), row('if', 1, 0.1, 0), row('tpp', 1, 0.4, 0.02, [layer('r1', [2])]), row('if', 2, 0.2, 0, [layer('r1', [1, 3])])],
} as unknown as RunResult;

describe('results series', () => {
  it('groups accuracy by method in %, sorted by T, with std as the error', () => {
    const series = accuracyByMethod(result);
    expect([...series.keys()]).toEqual(['tpp', 'if']);
    expect(series.get('tpp')).toEqual([{ T: 1, accuracy: 40, error: 2 }, { T: 2, accuracy: 50, error: 1 }]);
  });

  it('normalises the heat map to spikes per neuron', () => {
    expect(spikeHeatMap(result, 'if', 2)).toEqual({ layers: ['r1'], rows: [[0.25, 0.75]], rowMax: [0.75] });
    expect(spikeHeatMap(result, 'if', 64)).toBeUndefined();
  });

  it('says what is missing from a file that is not a run result', () => {
    expect(() => asRunResult({ model: 'x' })).toThrow(/has no 'dataset'/);
    expect(() => asRunResult(null)).toThrow(/not a JSON object/);
    expect(asRunResult(result)).toBe(result);
  });
});

describe('comparing runs', () => {
  it('labels series by run when there are several, by method alone otherwise', () => {
    expect(accuracySeries([{ id: 1, result }]).map((s) => s.key)).toEqual(['tpp', 'if']);
    expect(accuracySeries([{ id: 1, result }, { id: 2, result }]).map((s) => s.key)).toEqual(['#1 tpp', '#1 if', '#2 tpp', '#2 if']);
  });

  it('puts accuracy against energy in µJ, sorted by T, and lists layer metrics of one (method, T)', () => {
    const [tpp] = energySeries([{ id: 1, result }]);
    expect(tpp!.points.map((p) => p.T)).toEqual([1, 2]);
    expect(layerRows(result, 'if', 2)).toEqual([{ layer: 'r1', firingRate: 0, convError: 0, residual: 0 }]);
    expect(layerRows(result, 'if', 64)).toBeUndefined();
  });
});
