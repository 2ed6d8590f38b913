import type * as tf from '@tensorflow/tfjs-core';
import type { NeuronKind } from '../../common/snn';
import type { PermuteMode } from '../../common/study';
import type { LayerTrace } from '../../common/units';
import type { IfLayer } from './layer';

/**
 * One spiking layer as the simulator hands it to a backend's neuron kernels: the input current
 * as a tfjs tensor ([B, …] static, or time-major [T·B, …]), the spikes coming back as a tensor on
 * the same backend. The host runner (wasm, cpu, tensorflow) reads the current into the kernel
 * arena; the GPU runner (webgpu) keeps everything on the device and reads back only the trace.
 */
export interface SpikingRequest {
  /** Shape, thresholds and options; `reset` applies to IF only. */
  readonly layer: IfLayer;
  readonly neuron: NeuronKind;
  readonly input: tf.Tensor;
  readonly temporal: boolean;
  /** The layer's per-sample output shape. */
  readonly shape: readonly number[];
  /** Window lengths to read out (IF without a probe; others read [T]). */
  readonly checkpoints: readonly number[];
  /** The Permute probe after an IF layer. */
  readonly permute?: PermuteMode;
  /** One random-stream key per sample (`sampleStreams(seed, layer index, sample indices)`). */
  readonly keys: Uint32Array;
  /** The ANN's activation at this node for the same samples (conversion error). */
  readonly ann?: Float32Array;
}

export interface SpikingResult {
  /** Spikes carrying their value (θ or 0), time-major [T·B, …shape]; the caller disposes it. */
  readonly spikes: tf.Tensor;
  /** Ready at once on the host; on a GPU once the layer's read-back arrives. */
  readonly trace: LayerTrace | Promise<LayerTrace>;
}

export interface NeuronRunner {
  run(request: SpikingRequest): SpikingResult;
}
