import type { Graph } from './ir/types';

/**
 * A converted spiking network is data: the (prepared) ANN graph plus, for every activation node,
 * how its spiking replacement behaves. See METHODS.md for the equations.
 */

/** `if`: integrate-and-fire. `tpp`: two-phase probabilistic, sequential rule. `tpp-iid`: same
 * probability p = clip(V/(Tθ), 0, 1) at every step of the firing phase. */
export const NEURON_KINDS = ['if', 'tpp', 'tpp-iid'] as const;
export type NeuronKind = (typeof NEURON_KINDS)[number];
/** The two TPP variants: `tpp` (sequential firing rule) and `tpp-iid`. */
export type TppNeuron = Extract<NeuronKind, 'tpp' | 'tpp-iid'>;

/** `subtract` ("soft"): v −= θ·s. `zero` ("hard"): v = 0 where s = 1. IF only. */
export const RESET_MODES = ['subtract', 'zero'] as const;
export type ResetMode = (typeof RESET_MODES)[number];

/** Initial membrane potential: 0 or θ/2. */
export const V0_MODES = ['zero', 'half'] as const;
export type V0Mode = (typeof V0_MODES)[number];

export type ThresholdMethod =
  | { readonly kind: 'max' }
  | { readonly kind: 'percentile'; readonly percentile: number }
  | { readonly kind: 'qcfs' }
  | { readonly kind: 'snnc' };

export interface SpikingLayer {
  /** The activation node of the graph this layer replaces. */
  readonly node: string;
  readonly neuron: NeuronKind;
  /** Weight holding θ: shape [1] (per layer) or [C] (per channel, last axis). */
  readonly threshold: string;
  readonly reset: ResetMode;
  readonly v0: V0Mode;
  /** Adds θ/(2T) to the input current at every step (RTS, SNNC). */
  readonly shift: boolean;
  /** SNNC light calibration: weight [C] added to the input current at every step, per channel
   * (the same as b −= the mean error in the bias of the op before; kept apart so the graph stays
   * the ANN that the conversion error is measured against). */
  readonly biasCorrection?: string;
  /** SNNC advanced calibration: weight [F] (one per neuron of a sample, NHWC order) added to the
   * initial potential v0. */
  readonly potentialCorrection?: string;
}

export interface SnnSpec {
  readonly layers: readonly SpikingLayer[];
  /** `direct`: the analog input is a constant current every step. `rate`: Bernoulli spikes, p = input. */
  readonly encoding: 'direct' | 'rate';
  /** The classifier output averaged over the steps simulated so far; prediction = argmax. */
  readonly readout: 'mean';
  /** Max-pool nodes that see spike trains and pool them by accumulated count: the output's spike
   * count up to every step is the largest count among the window's inputs (`--maxpool spiking`). */
  readonly spikingMaxPools?: readonly string[];
  readonly thresholds: {
    readonly method: ThresholdMethod;
    readonly perChannel: boolean;
    readonly calibrationSamples: number;
    /** Set when the thresholds were tuned for one window length (SNNC's MMSE search) or the
     * network was calibrated for one (`calibration`). */
    readonly timesteps?: number;
    /** Percentile thresholds: over the positive activations (the default) or all of them. */
    readonly percentileOf?: 'positive' | 'all';
    /** SNNC calibration applied after the thresholds, on `calibrationSamples` samples. */
    readonly calibration?: 'light' | 'advanced';
  };
}

export interface SnnModel {
  readonly graph: Graph;
  readonly snn: SnnSpec;
}

export function thresholdLabel(method: ThresholdMethod): string {
  switch (method.kind) {
    case 'max':
    case 'qcfs':
    case 'snnc':
      return method.kind;
    case 'percentile':
      return `p${method.percentile}`;
  }
}

/** Parses `max`, `qcfs`, `snnc` or `pXX.X` (a percentile in (0, 100]). */
export function parseThresholdMethod(text: string): ThresholdMethod | undefined {
  if (text === 'max' || text === 'qcfs' || text === 'snnc') return { kind: text };
  const m = /^p(\d+(?:\.\d+)?)$/.exec(text);
  if (m === null) return undefined;
  const percentile = Number(m[1]);
  return percentile > 0 && percentile <= 100 ? { kind: 'percentile', percentile } : undefined;
}
