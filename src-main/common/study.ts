import type { Method } from './results';
import type { ResetMode, ThresholdMethod, V0Mode } from './snn';

/** The Permute probe: one permutation per neuron, or one per layer (and sample). */
export const PERMUTE_MODES = ['neuron', 'layer'] as const;
export type PermuteMode = (typeof PERMUTE_MODES)[number];

/** Max pooling is refused, or replaced by average pooling (with the ANN accuracy reported). */
export const MAXPOOL_POLICIES = ['refuse', 'avg'] as const;
export type MaxPoolPolicy = (typeof MAXPOOL_POLICIES)[number];

/**
 * What a conversion study runs: how the ANN becomes an SNN, and the grid of methods, window
 * lengths and seeds it is evaluated on. The CLI, the engine and (later) the service share it.
 */
export interface StudySpec {
  readonly methods: readonly Method[];
  readonly timesteps: readonly number[];
  readonly seeds: readonly number[];
  readonly threshold: ThresholdMethod;
  readonly perChannel: boolean;
  readonly reset: ResetMode;
  readonly v0: V0Mode;
  readonly shift: boolean;
  readonly encoding: 'direct' | 'rate';
  readonly permute: PermuteMode;
  readonly maxPool: MaxPoolPolicy;
}
