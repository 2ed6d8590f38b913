import { describe, expect, it } from 'vitest';
import { analogMacs, fanout } from '../../../src-main/engine/metrics/energy';
import { layerMetrics } from '../../../src-main/engine/metrics/layer-metrics';
import { emptyTrace } from '../../../src-main/engine/neurons/trace';
import { prepareForConversion } from '../../../src-main/engine/prepare/prepare';
import { smallCnn } from '../../helpers/graphs';

describe('energy and layer metrics', () => {
  const graph = prepareForConversion(smallCnn(1), 'refuse').graph; // bn folded, softmax dropped
  const spiking = (n: { op: string }): boolean => n.op === 'relu';

  it('fan-out follows pooling into the next conv, and the classifier after the last layer', () => {
    // r1 [8,8,4] → avgpool 2 (each input in one window) → c2: 4·4·6·36 MACs over 64 inputs
    expect(fanout(graph, 'r1', spiking)).toBeCloseTo((4 * 4 * 6 * 36) / 64, 10);
    // r2 [4,4,6] → flatten → dense 96×5: 5 per input
    expect(fanout(graph, 'r2', spiking)).toBe(5);
  });

  it('the analog input drives only the first conv', () => {
    expect(analogMacs(graph, spiking)).toBe(8 * 8 * 4 * 18);
  });

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
