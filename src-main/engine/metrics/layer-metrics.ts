import type { LayerResult } from '../../common/results';
import type { LayerTrace } from '../../common/units';

/**
 * Per-layer metrics of METHODS.md from a layer's summed trace, for the window of length
 * t = trace.checkpoints[k]:
 *   firing rate  r = spikes / (neurons · samples · t)
 *   onset        mean first-spike step (1-based) of neurons that fired within t
 *   late mass    spikes at steps > ⌊3t/4⌋ over all spikes up to t
 *   residual     mean positive potential max(v, 0)/θ left at t
 *   conv. error  ‖θ·n/t − clip(a, 0, θ)‖₁ / ‖clip(a, 0, θ)‖₁
 */
export function layerMetrics(node: string, trace: LayerTrace, k: number): Omit<LayerResult, 'threshold'> & { spikes: number } {
  const t = trace.checkpoints[k]!;
  let spikes = 0;
  let firstWeighted = 0;
  let firstCount = 0;
  let late = 0;
  const lateFrom = Math.floor((3 * t) / 4);
  const spikesPerStep: number[] = [];
  for (let s = 0; s < t; s++) {
    const n = trace.spikesPerStep[s]!;
    spikes += n;
    if (s + 1 > lateFrom) late += n;
    firstWeighted += (s + 1) * trace.firstSpikesPerStep[s]!;
    firstCount += trace.firstSpikesPerStep[s]!;
    spikesPerStep.push(n / trace.samples);
  }
  const neuronSteps = trace.neurons * trace.samples * t;
  const den = trace.convErrorDen[k]!;
  return {
    node,
    firingRate: neuronSteps > 0 ? spikes / neuronSteps : 0,
    convError: den > 0 ? trace.convErrorNum[k]! / den : 0,
    residual: trace.samples > 0 ? trace.residualSum[k]! / (trace.neurons * trace.samples) : 0,
    onset: firstCount > 0 ? firstWeighted / firstCount : null,
    lateMass: spikes > 0 ? late / spikes : null,
    spikesPerStep,
    spikes: trace.samples > 0 ? spikes / trace.samples : 0,
  };
}
