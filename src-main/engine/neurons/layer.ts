import type { ResetMode, V0Mode } from '../../common/snn';
import type { LayerTrace } from '../../common/units';

/**
 * A spiking layer as the neuron kernels see it: N = B·F neurons (B samples of F neurons, NHWC
 * order), thresholds per layer (C = 1) or per channel (C = last axis, neuron i uses θ[i mod C]).
 * Arrays are time-major: value (t, i) sits at t·N + i.
 */
export interface NeuronLayer {
  readonly T: number;
  readonly B: number;
  readonly F: number;
  readonly theta: Float32Array;
  readonly v0: V0Mode;
  /** Adds θ/(2T) to the input current at every step. */
  readonly shift: boolean;
  /** SNNC bias correction: added to the input current at every step; neuron i uses bias[i mod
   * bias.length] (one value per channel). */
  readonly bias?: Float32Array;
  /** SNNC potential correction: added to v0; neuron i of sample b uses v0Offset[i − b·F] (F values). */
  readonly v0Offset?: Float32Array;
  /** Spatial positions per sample (H·W, or 1 for a flat layer; F is a multiple), by which the
   * trace sums spikes (LayerTrace.spikesPerPosition). Default 1. */
  readonly positions?: number;
}

export interface IfLayer extends NeuronLayer {
  readonly reset: ResetMode;
}

/** Input current: the same every step (direct coding into the first layer) or one per step. */
export type Current =
  | { readonly kind: 'static'; readonly data: Float32Array }
  | { readonly kind: 'temporal'; readonly data: Float32Array };

export interface LayerRun {
  /** Output spikes carrying their value: θ where a neuron fired, 0 elsewhere; T·N values.
   * May be a view of the kernel arena, valid until the next neuron kernel runs on this thread. */
  readonly spikes: Float32Array;
  /** Spikes per neuron over the whole window. */
  readonly counts: Uint16Array;
  readonly trace: LayerTrace;
}

export function checkCurrent(layer: NeuronLayer, current: Current): void {
  const N = layer.B * layer.F;
  const want = current.kind === 'static' ? N : layer.T * N;
  if (current.data.length !== want) {
    throw new Error(`neuron layer: ${current.kind} current has ${current.data.length} values, expected ${want}`);
  }
  if (layer.T > 65535) throw new Error(`neuron layer: T = ${layer.T} exceeds 65535 steps`);
  if (layer.F % layer.theta.length !== 0) {
    throw new Error(`neuron layer: ${layer.theta.length} threshold channels do not divide ${layer.F} neurons`);
  }
  if (layer.bias !== undefined && layer.F % layer.bias.length !== 0) {
    throw new Error(`neuron layer: ${layer.bias.length} bias channels do not divide ${layer.F} neurons`);
  }
  if (layer.v0Offset !== undefined && layer.v0Offset.length !== layer.F) {
    throw new Error(`neuron layer: ${layer.v0Offset.length} initial-potential offsets for ${layer.F} neurons`);
  }
}
