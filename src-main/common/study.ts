import type { Method } from './methods';
import type { ResetMode, ThresholdMethod, V0Mode } from './snn';

/** The Permute probe: one permutation per neuron, or one per layer (and sample). */
export const PERMUTE_MODES = ['neuron', 'layer'] as const;
export type PermuteMode = (typeof PERMUTE_MODES)[number];

/** Max pooling is refused, or replaced by average pooling (with the ANN accuracy reported). */
export const MAXPOOL_POLICIES = ['refuse', 'avg'] as const;
export type MaxPoolPolicy = (typeof MAXPOOL_POLICIES)[number];

/**
 * What a conversion study runs: how the ANN becomes an SNN, and the grid of methods, window
 * lengths and seeds it is evaluated on. The CLI, the engine, the service and the GUI share it.
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

/** A study as asked for: v0 may be left to the threshold method's default (resolveV0). */
export type StudyChoice = Omit<StudySpec, 'v0'> & { readonly v0?: V0Mode | undefined };

/**
 * The initial potential a study uses: what was asked, else θ/2 for QCFS thresholds and 0 for the
 * others. QCFS trains the ANN to round z·L/λ to the nearest level (the + 1/2 inside its floor);
 * v0 = θ/2 is the same half-step on the SNN side (METHODS.md), so v0 = 0 shifts every QCFS layer
 * down by half a level. An explicit 0 is honoured, with a warning that says so.
 */
export function resolveV0(threshold: ThresholdMethod, asked: V0Mode | undefined): { readonly v0: V0Mode; readonly warning?: string } {
  if (asked !== undefined) {
    return asked === 'zero' && threshold.kind === 'qcfs'
      ? { v0: asked, warning: 'v0 = 0 with QCFS thresholds: QCFS is trained for v0 = θ/2 (its ANN rounds to the nearest level), so v0 = 0 biases every layer down by half a level' }
      : { v0: asked };
  }
  return { v0: threshold.kind === 'qcfs' ? 'half' : 'zero' };
}
