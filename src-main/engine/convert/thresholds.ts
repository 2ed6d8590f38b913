import { invalidArgument, WorkbenchError } from '../../common/errors';
import type { ActivationNode, Graph } from '../../common/ir/types';
import type { ThresholdMethod } from '../../common/snn';
import type { PercentileOf } from '../../common/study';
import { percentileWithZeros, zerosBeside, type ActivationStats, type Reservoir } from '../calibrate/activation-stats';

/**
 * Threshold θ_l for one spiking layer, per layer (one value) or per channel (METHODS.md):
 * - max: the largest activation seen (Diehl et al. 2015)
 * - percentile p: the p-th percentile of the positive activations (Rueckauer et al. 2017), or of
 *   all activations, zeros included (`percentileOf: 'all'`, SpikingJelly's `99.9%`)
 * - qcfs: the trained λ of the QCFS node (Bu et al. 2022)
 * - snnc: the candidate θ = max·(1 − 0.01·i), i = 0..94, minimising
 *   mean (a − floor(clamp(a/θ·T, 0, T))·θ/T)² over the positive activations (Li et al. 2021);
 *   zero activations quantise to zero under every candidate, so they do not change the choice.
 * A layer that never activated on the calibration data gets θ = 1 and a warning.
 */
export interface ThresholdChoice {
  readonly theta: Float32Array;
  readonly warnings: readonly string[];
}

export function chooseThreshold(
  graph: Graph,
  node: ActivationNode,
  stats: ActivationStats | undefined,
  method: ThresholdMethod,
  perChannel: boolean,
  T: number | undefined,
  percentileOf: PercentileOf = 'positive',
): ThresholdChoice {
  const warnings: string[] = [];
  const channels = stats?.channels ?? 1;
  const statistics = (): ActivationStats => {
    if (stats === undefined) throw invalidArgument(`no calibration statistics for '${node.name}'`);
    return stats;
  };
  const pick = (fromValues: (values: Float32Array, max: number, zeros: number) => number): Float32Array => {
    const stats = statistics();
    if (!stats.valuesKept) throw new WorkbenchError('internal', `'${node.name}': the ${method.kind} threshold needs the calibration values, which were not kept`);
    // Zero activations beside a reservoir's positives: it saw all values of its layer, or 1/C of
    // them for one channel.
    const zeros = (r: Reservoir, share: number): number => zerosBeside(r, stats.count / share);
    if (!perChannel) return Float32Array.of(fromValues(stats.reservoirs[0]!.kept(), stats.max, zeros(stats.reservoirs[0]!, 1)));
    if (stats.reservoirs.length !== channels) throw invalidArgument(`'${node.name}': per-channel thresholds need per-channel calibration`);
    return Float32Array.from(stats.reservoirs, (r, c) => fromValues(r.kept(), stats.channelMax[c]!, zeros(r, channels)));
  };
  let theta: Float32Array;
  switch (method.kind) {
    case 'max':
      theta = perChannel ? Float32Array.from(statistics().channelMax) : Float32Array.of(statistics().max);
      break;
    case 'percentile':
      theta = pick((values, _, zeros) => percentileWithZeros(values, percentileOf === 'all' ? zeros : 0, method.percentile));
      break;
    case 'snnc': {
      if (T === undefined) throw invalidArgument('the snnc threshold search needs the window length T');
      theta = pick((values, max) => snncSearch(values, max, T));
      break;
    }
    case 'qcfs': {
      if (node.op !== 'qcfs') {
        throw invalidArgument(`threshold 'qcfs' needs QCFS activations, but '${node.name}' is ${node.op}; use max, pXX.X or snnc`);
      }
      const lambda = graph.weights.get(node.lambda)!.data;
      theta = perChannel && lambda.length === 1 && channels > 1 ? new Float32Array(channels).fill(lambda[0]!) : Float32Array.from(lambda);
      if (!perChannel && lambda.length > 1) {
        throw invalidArgument(`'${node.name}' has a per-channel λ (${lambda.length} values); pass --per-channel`);
      }
      break;
    }
    default: {
      const never: never = method;
      return never;
    }
  }
  let dead = 0;
  for (let c = 0; c < theta.length; c++) {
    if (!(theta[c]! > 0)) {
      theta[c] = 1;
      dead++;
    }
  }
  if (dead > 0) {
    warnings.push(
      `'${node.name}': ${dead === theta.length ? 'never activated' : `${dead} of ${theta.length} channels never activated`} on the calibration data${method.kind === 'percentile' && percentileOf === 'all' ? ' (or the percentile over all activations fell on a zero)' : ''}; θ set to 1 there`,
    );
  }
  return { theta, warnings };
}

export function snncSearch(values: Float32Array, max: number, T: number): number {
  if (!(max > 0) || values.length === 0) return 0;
  let best = max;
  let bestError = Infinity;
  for (let i = 0; i <= 94; i++) {
    const theta = max * (1 - 0.01 * i);
    const step = theta / T;
    let error = 0;
    for (let j = 0; j < values.length; j++) {
      const a = values[j]!;
      const q = Math.floor(Math.min(T, (a / theta) * T)) * step;
      error += (a - q) * (a - q);
    }
    if (error < bestError) {
      bestError = error;
      best = theta;
    }
  }
  return best;
}
