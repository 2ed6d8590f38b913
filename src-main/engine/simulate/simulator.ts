import * as tf from '@tensorflow/tfjs-core';
import { invalidData } from '../../common/errors';
import { numel } from '../../common/ir/graph';
import type { SnnModel, SpikingLayer } from '../../common/snn';
import type { PoolNode } from '../../common/ir/types';
import { applyNode } from '../ann/apply-node';
import { GraphTensors } from '../ann/graph-tensors';
import type { NeuronLayer } from '../neurons/layer';
import type { PermuteMode } from '../../common/study';
import { drawBits, neuronKey, openUniform, sampleStreams } from '../../common/random';
import type { LayerTrace } from '../../common/units';
import { hostRunner } from '../neurons/host-runner';
import { GpuRunner } from '../neurons/gpu/gpu-runner';
import type { NeuronRunner, SpikingResult } from '../neurons/runner';
import { inputSpikeTrace, positionsOf } from '../neurons/trace';
import { argmaxRows } from '../metrics/accuracy';
import { accumulatedMaxPool } from './accumulated-max-pool';
import { SPIKE_CONV_MAX_DENSITY, spikeConv2d, spikeConvApplies } from './spike-conv';

/**
 * Multi-step, layer-by-layer simulation of a converted network (DESIGN.md): every linear op runs
 * once on a time-major [T·B, …] batch (or once on [B, …] while the signal is still constant in
 * time, as direct coding makes it before the first spiking layer), then each spiking layer scans
 * its neurons over T. Row t·B + b of a temporal tensor is sample b at step t + 1.
 *
 * The neuron kernels are the backend's (neurons/runner.ts): the host's on wasm and cpu, the
 * WGSL kernels on webgpu, where spikes stay on the GPU and the traces arrive asynchronously.
 */
export interface SimulationOptions {
  readonly T: number;
  /** Window lengths to read out (ascending, last = T). Only IF without a probe reads more than [T]. */
  readonly checkpoints: readonly number[];
  /** The Permute probe after every IF layer, or none. */
  readonly permute?: PermuteMode;
  readonly seed: number;
  /** Only the first n spiking layers spike; later ones apply the ANN's activation to the rate
   * (mean over the T steps) of their input, and what follows runs on those static values. */
  readonly spikingLayers?: number;
}

export interface BatchOutcome {
  /** Per checkpoint: Σ over steps ≤ t of the classifier output, [B, K] row-major. */
  readonly outputSums: readonly Float64Array[];
  /** At each step t = 1…T, each sample's class from the output summed over steps ≤ t ([T][B]). */
  readonly stepPredictions: readonly Int32Array[];
  /** Per spiking layer, by node name; and, when the input spikes (rate coding, per-step input),
   * the input's under the graph input's name (for the SOPs it triggers). */
  readonly traces: ReadonlyMap<string, LayerTrace>;
}

interface SimValue {
  readonly tensor: tf.Tensor;
  readonly temporal: boolean;
  /** For spike trains whose trace is at hand (host kernels): the fraction of nonzero values. */
  readonly density?: number;
}

/** A calibrated layer's SNNC corrections (NeuronLayer `bias`, `v0Offset`). */
type Corrections = Pick<NeuronLayer, 'bias' | 'v0Offset'>;

/** Random-stream id of the rate-coded input (spiking layers use their index). */
const INPUT_STREAM = 0xffff;

export class SnnSimulator {
  private readonly weights: GraphTensors;
  private readonly layers = new Map<string, { index: number; layer: SpikingLayer; theta: Float32Array; corrections: Corrections }>();
  private readonly spikingMaxPools: ReadonlySet<string>;
  private readonly runner: NeuronRunner;

  /** `runner` defaults to the active tfjs backend's neuron kernels. */
  constructor(readonly model: SnnModel, runner?: NeuronRunner) {
    this.runner = runner ?? (tf.getBackend() === 'webgpu' ? new GpuRunner() : hostRunner);
    const { graph, snn } = model;
    this.weights = new GraphTensors(graph);
    const weight = (layer: SpikingLayer, name: string): Float32Array => {
      const w = graph.weights.get(name);
      if (w === undefined) throw invalidData(`spiking layer '${layer.node}': weight '${name}' is missing`);
      return w.data;
    };
    for (const [index, layer] of snn.layers.entries()) {
      const theta = weight(layer, layer.threshold);
      const corrections: Corrections = {
        ...(layer.biasCorrection !== undefined ? { bias: weight(layer, layer.biasCorrection) } : {}),
        ...(layer.potentialCorrection !== undefined ? { v0Offset: weight(layer, layer.potentialCorrection) } : {}),
      };
      this.layers.set(layer.node, { index, layer, theta, corrections });
    }
    this.spikingMaxPools = new Set(snn.spikingMaxPools ?? []);
  }

  dispose(): void {
    this.weights.dispose();
  }

  /**
   * Simulates B samples (`x` holds them NHWC). `sampleIndices` are their indices in the dataset,
   * which seed the per-sample random streams. `ann` optionally holds the ANN's activation at each
   * spiking node for the same samples (for the conversion error). `steps`, when given, is the
   * input at every step (time-major [T·B, …], e.g. event frames) and replaces the encoding of x.
   */
  async runBatch(x: Float32Array, sampleIndices: Int32Array, options: SimulationOptions, ann?: ReadonlyMap<string, Float32Array>, steps?: Float32Array): Promise<BatchOutcome> {
    const { graph } = this.model;
    const { T, checkpoints } = options;
    const B = sampleIndices.length;
    const traces = new Map<string, LayerTrace | Promise<LayerTrace>>();
    const remaining = new Map<string, number>();
    for (const node of graph.nodes) for (const input of node.inputs) remaining.set(input, (remaining.get(input) ?? 0) + 1);
    const values = new Map<string, SimValue>();
    const input = steps ?? this.encodeInput(x, B, options, sampleIndices);
    if (input instanceof Float32Array) {
      traces.set(graph.input.name, inputSpikeTrace(input, graph.input.shape, T, B, checkpoints));
      values.set(graph.input.name, { tensor: tf.tensor(input, [T * B, ...graph.input.shape]), temporal: true });
    } else {
      values.set(graph.input.name, input);
    }

    try {
      for (const node of graph.nodes) {
        const inputs = node.inputs.map((name) => values.get(name)!);
        const layer = this.layers.get(node.name);
        const spiking = layer !== undefined && (options.spikingLayers === undefined || layer.index < options.spikingLayers) ? layer : undefined;
        let value: SimValue;
        if (layer !== undefined && spiking === undefined) {
          // past the attribution cut: the ANN's activation on the input's rate
          value = { tensor: tf.tidy(() => applyNode(node, [rateOf(inputs[0]!, T)], this.weights)), temporal: false };
        } else if (spiking !== undefined) {
          const run = this.runSpikingLayer(spiking, inputs[0]!, B, options, sampleIndices, ann?.get(node.name));
          traces.set(node.name, run.trace);
          value = { tensor: run.spikes, temporal: true, ...(run.trace instanceof Promise ? {} : { density: spikeDensity(run.trace, T) }) };
        } else if (node.op === 'conv2d' && inputs[0]!.density !== undefined && inputs[0]!.density < SPIKE_CONV_MAX_DENSITY && spikeConvApplies(node)) {
          value = { tensor: spikeConv2d(graph, node, inputs[0]!.tensor), temporal: true };
        } else if (node.op === 'maxPool' && inputs[0]!.temporal) {
          value = { tensor: this.spikingMaxPool(node, inputs[0]!.tensor, T), temporal: true };
        } else {
          const temporal = inputs.some((v) => v.temporal);
          const tensors = inputs.map((v) => (temporal && !v.temporal ? tf.tile(v.tensor, [T, ...v.tensor.shape.slice(1).map(() => 1)]) : v.tensor));
          value = { tensor: tf.tidy(() => applyNode(node, tensors, this.weights)), temporal };
          tensors.forEach((t, i) => t !== inputs[i]!.tensor && t.dispose());
        }
        values.set(node.name, value);
        for (const name of node.inputs) {
          const left = remaining.get(name)! - 1;
          remaining.set(name, left);
          if (left === 0 && name !== graph.output) {
            values.get(name)!.tensor.dispose();
            values.delete(name);
          }
        }
      }
      const out = values.get(graph.output)!;
      const { outputSums, stepPredictions } = await readout(out, T, B, checkpoints);
      const ready = new Map<string, LayerTrace>();
      for (const [name, trace] of traces) ready.set(name, await trace);
      return { outputSums, stepPredictions, traces: ready };
    } finally {
      for (const v of values.values()) v.tensor.dispose();
      // A failed batch must not leave read-backs rejecting unobserved.
      for (const trace of traces.values()) if (trace instanceof Promise) trace.catch(() => undefined);
    }
  }

  /** A max pool over spike trains: by accumulated count, where the conversion asked for it. */
  private spikingMaxPool(node: PoolNode, spikes: tf.Tensor, T: number): tf.Tensor {
    const source = this.layers.get(node.inputs[0]!);
    if (!this.spikingMaxPools.has(node.name) || source === undefined) {
      throw invalidData(`max pool '${node.name}' receives spike trains, which a per-step max does not pool correctly: convert with --maxpool spiking`);
    }
    return accumulatedMaxPool(node, spikes, T, source.theta, this.weights);
  }

  /** Direct coding: the constant input. Rate coding: its spikes, time-major [T·B, …]. */
  private encodeInput(x: Float32Array, B: number, options: SimulationOptions, sampleIndices: Int32Array): SimValue | Float32Array {
    const shape = this.model.graph.input.shape;
    if (this.model.snn.encoding === 'direct') return { tensor: tf.tensor(x, [B, ...shape]), temporal: false };
    // Rate coding: spike of value 1 with probability clip(x, 0, 1), independently per step: input
    // element f of a sample fires at step t when draw t of its counter-based stream is below x.
    const { T } = options;
    const F = numel(shape);
    const keys = sampleStreams(options.seed, INPUT_STREAM, sampleIndices);
    const spikes = new Float32Array(T * B * F);
    const bits = drawBits;
    const uniform = openUniform;
    for (let b = 0; b < B; b++) {
      for (let f = 0; f < F; f++) {
        const p = x[b * F + f]!;
        if (!(p > 0)) continue;
        const key = neuronKey(keys[b]!, f);
        for (let t = 0; t < T; t++) if (uniform(bits(key, t)) < p) spikes[(t * B + b) * F + f] = 1;
      }
    }
    return spikes;
  }

  private runSpikingLayer(
    spiking: { index: number; layer: SpikingLayer; theta: Float32Array; corrections: Corrections },
    input: SimValue,
    B: number,
    options: SimulationOptions,
    sampleIndices: Int32Array,
    ann: Float32Array | undefined,
  ): SpikingResult {
    const { layer, theta, index, corrections } = spiking;
    const { T } = options;
    const F = numel(input.tensor.shape.slice(1));
    const shape = this.model.graph.shapes.get(layer.node)!;
    return this.runner.run({
      layer: { T, B, F, theta, v0: layer.v0, shift: layer.shift, positions: positionsOf(shape), reset: layer.reset, ...corrections },
      neuron: layer.neuron,
      input: input.tensor,
      temporal: input.temporal,
      shape,
      checkpoints: options.checkpoints,
      ...(layer.neuron === 'if' && options.permute !== undefined ? { permute: options.permute } : {}),
      keys: sampleStreams(options.seed, index, sampleIndices),
      ...(ann !== undefined ? { ann } : {}),
    });
  }
}

/** Spikes over neuron·steps of a layer's trace (its spike trains' share of nonzero values). */
function spikeDensity(trace: LayerTrace, T: number): number {
  let spikes = 0;
  for (const n of trace.spikesPerStep) spikes += n;
  return spikes / (T * trace.samples * trace.neurons);
}

/** The mean over the T steps of a temporal value (a static one as it is), inside tf.tidy. */
function rateOf(value: SimValue, T: number): tf.Tensor {
  if (!value.temporal) return value.tensor;
  const [rows, ...rest] = value.tensor.shape;
  return tf.mean(tf.reshape(value.tensor, [T, rows! / T, ...rest]), 0);
}

/** Cumulative sums of the classifier output over steps ≤ t, for each checkpoint t, and the class
 * they give at every step. */
async function readout(out: SimValue, T: number, B: number, checkpoints: readonly number[]): Promise<{ outputSums: Float64Array[]; stepPredictions: Int32Array[] }> {
  const data = (await out.tensor.data()) as Float32Array;
  const K = out.temporal ? data.length / (T * B) : data.length / B;
  const sums = new Float64Array(B * K);
  const result: Float64Array[] = [];
  const stepPredictions: Int32Array[] = [];
  let next = 0;
  for (let t = 1; t <= T; t++) {
    const base = out.temporal ? (t - 1) * B * K : 0;
    for (let j = 0; j < B * K; j++) sums[j]! += data[base + j]!;
    stepPredictions.push(argmaxRows(sums, K));
    while (next < checkpoints.length && checkpoints[next] === t) {
      result.push(Float64Array.from(sums));
      next++;
    }
  }
  return { outputSums: result, stepPredictions };
}
