import type { Method } from './methods';
import type { ResetMode, ThresholdMethod, V0Mode } from './snn';

/** The Permute probe: one permutation per neuron, or one per layer (and sample). */
export const PERMUTE_MODES = ['neuron', 'layer'] as const;
export type PermuteMode = (typeof PERMUTE_MODES)[number];

/**
 * What happens to max pooling (README "How the engine computes"):
 * - `refuse`: an error naming the nodes.
 * - `avg`: replaced by average pooling (the ANN changes; its accuracy after the swap is reported).
 * - `exact`: kept exactly as the ANN computes it, which the SNN can do only where the pool sees a
 *   time-constant analog signal: before the first spiking layer with direct coding, or right after
 *   an activation whose input is that constant signal — then the pool moves before the activation
 *   (relu, clip and QCFS are non-decreasing, so act(maxpool(z)) = maxpool(act(z))). Any other max
 *   pool is an error naming it.
 * - `spiking`: `exact` where it applies; elsewhere an accumulated-count max pool over spike trains:
 *   the output's running sum is the max of the inputs' running sums, so its spike count over any
 *   window is the largest input count (the max of the rates), and its output stays binary.
 */
export const MAXPOOL_POLICIES = ['refuse', 'avg', 'exact', 'spiking'] as const;
export type MaxPoolPolicy = (typeof MAXPOOL_POLICIES)[number];

/**
 * Which activations a percentile threshold `pXX` is taken over: the positive ones (SNN Toolbox,
 * Rueckauer et al. 2017; the default) or all of them, zeros included (SpikingJelly's `99.9%`).
 * With mostly silent neurons the second gives a much lower θ.
 */
export const PERCENTILE_OF = ['positive', 'all'] as const;
export type PercentileOf = (typeof PERCENTILE_OF)[number];

/**
 * SNN calibration after the thresholds (SNNC, Li et al., ICML 2021; METHODS.md), layer by layer on
 * the calibration samples at each window length T: `light` corrects each channel's bias by the mean
 * error of the SNN's output rate against the ANN, `advanced` each neuron's initial potential.
 */
export const SNNC_MODES = ['none', 'light', 'advanced'] as const;
export type SnncMode = (typeof SNNC_MODES)[number];

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
  /** Default `positive`. */
  readonly percentileOf?: PercentileOf | undefined;
  /** Default `none`. */
  readonly snnc?: SnncMode | undefined;
  /**
   * Where accuracy goes, at this T (one of `timesteps`): for every method and l = 1…L − 1, the
   * accuracy when only the first l spiking layers spike and the rest run as the ANN on the rate
   * of what reaches them (l = 0 is the ANN, l = L the SNN); first seed only. Default: not run.
   */
  readonly attribution?: number | undefined;
}

/** The conversion settings the workbench uses unless told otherwise (the CLI's and the form's defaults). */
export const STUDY_DEFAULTS = {
  threshold: { kind: 'percentile', percentile: 99.9 },
  perChannel: false,
  reset: 'subtract',
  v0: 'zero',
  shift: false,
  encoding: 'direct',
  permute: 'neuron',
  maxPool: 'refuse',
} as const satisfies Omit<StudySpec, 'methods' | 'timesteps' | 'seeds'>;

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
