import * as tf from '@tensorflow/tfjs-core';
import { invalidData } from '../../common/errors';
import { numel } from '../../common/ir/graph';
import type { SnnModel, SpikingLayer } from '../../common/snn';
import { applyNode } from '../ann/apply-node';
import { GraphTensors } from '../ann/graph-tensors';
import { readTensorView, tensorFromView } from '../backend/host-io';
import { runIfLayer } from '../neurons/if-layer';
import type { Current, LayerRun } from '../neurons/layer';
import type { PermuteMode } from '../../common/study';
import { permuteSpikes } from '../neurons/permute';
import { WEYL, sampleStreams, uniformFrom } from '../../common/random';
import { runTppLayer } from '../neurons/tpp-layer';
import type { LayerTrace } from '../../common/units';
import { inputSpikeTrace, positionsOf } from '../neurons/trace';

/**
 * Multi-step, layer-by-layer simulation of a converted network (DESIGN.md): every linear op runs
 * once on a time-major [T·B, …] batch (or once on [B, …] while the signal is still constant in
 * time, as direct coding makes it before the first spiking layer), then each spiking layer scans
 * its neurons over T. Row t·B + b of a temporal tensor is sample b at step t + 1.
 */
export interface SimulationOptions {
  readonly T: number;
  /** Window lengths to read out (ascending, last = T). Only IF without a probe reads more than [T]. */
  readonly checkpoints: readonly number[];
  /** The Permute probe after every IF layer, or none. */
  readonly permute?: PermuteMode;
  readonly seed: number;
}

export interface BatchOutcome {
  /** Per checkpoint: Σ over steps ≤ t of the classifier output, [B, K] row-major. */
  readonly outputSums: readonly Float64Array[];
  /** Per spiking layer, by node name; and, when the input spikes (rate coding, per-step input),
   * the input's under the graph input's name (for the SOPs it triggers). */
  readonly traces: ReadonlyMap<string, LayerTrace>;
}

interface SimValue {
  readonly tensor: tf.Tensor;
  readonly temporal: boolean;
}

/** Random-stream id of the rate-coded input (spiking layers use their index). */
const INPUT_STREAM = 0xffff;

export class SnnSimulator {
  private readonly weights: GraphTensors;
  private readonly layers = new Map<string, { index: number; layer: SpikingLayer; theta: Float32Array }>();

  constructor(readonly model: SnnModel) {
    const { graph, snn } = model;
    this.weights = new GraphTensors(graph);
    for (const [index, layer] of snn.layers.entries()) {
      const theta = graph.weights.get(layer.threshold);
      if (theta === undefined) throw invalidData(`spiking layer '${layer.node}': threshold weight '${layer.threshold}' is missing`);
      this.layers.set(layer.node, { index, layer, theta: theta.data });
    }
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
  runBatch(x: Float32Array, sampleIndices: Int32Array, options: SimulationOptions, ann?: ReadonlyMap<string, Float32Array>, steps?: Float32Array): BatchOutcome {
    const { graph } = this.model;
    const { T, checkpoints } = options;
    const B = sampleIndices.length;
    const traces = new Map<string, LayerTrace>();
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
        const spiking = this.layers.get(node.name);
        let value: SimValue;
        if (spiking !== undefined) {
          const run = this.runSpikingLayer(spiking, inputs[0]!, B, options, sampleIndices, ann?.get(node.name));
          traces.set(node.name, run.trace);
          value = { tensor: tensorFromView(run.spikes, [T * B, ...graph.shapes.get(node.name)!]), temporal: true };
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
      return { outputSums: readout(out, T, B, checkpoints), traces };
    } finally {
      for (const v of values.values()) v.tensor.dispose();
    }
  }

  /** Direct coding: the constant input. Rate coding: its spikes, time-major [T·B, …]. */
  private encodeInput(x: Float32Array, B: number, options: SimulationOptions, sampleIndices: Int32Array): SimValue | Float32Array {
    const shape = this.model.graph.input.shape;
    if (this.model.snn.encoding === 'direct') return { tensor: tf.tensor(x, [B, ...shape]), temporal: false };
    // Rate coding: spike of value 1 with probability clip(x, 0, 1), independently per step.
    const { T } = options;
    const F = numel(shape);
    const streams = sampleStreams(options.seed, INPUT_STREAM, sampleIndices);
    const spikes = new Float32Array(T * B * F);
    const weyl = WEYL;
    const uniform = uniformFrom;
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        let state = streams[b]!;
        for (let f = 0; f < F; f++) {
          state = (state + weyl) | 0;
          if (uniform(state) < x[b * F + f]!) spikes[(t * B + b) * F + f] = 1;
        }
        streams[b] = state;
      }
    }
    return spikes;
  }

  private runSpikingLayer(
    spiking: { index: number; layer: SpikingLayer; theta: Float32Array },
    input: SimValue,
    B: number,
    options: SimulationOptions,
    sampleIndices: Int32Array,
    ann: Float32Array | undefined,
  ): LayerRun {
    const { layer, theta, index } = spiking;
    const { T } = options;
    const F = numel(input.tensor.shape.slice(1));
    const current: Current = { kind: input.temporal ? 'temporal' : 'static', data: readTensorView(input.tensor) };
    const shape = { T, B, F, theta, v0: layer.v0, shift: layer.shift, positions: positionsOf(this.model.graph.shapes.get(layer.node)!) };
    const streams = (): Uint32Array => sampleStreams(options.seed, index, sampleIndices);
    switch (layer.neuron) {
      case 'if': {
        if (options.permute === undefined) return runIfLayer({ ...shape, reset: layer.reset }, current, options.checkpoints, ann);
        const run = runIfLayer({ ...shape, reset: layer.reset }, current, [T], ann);
        const permuted = permuteSpikes(run.spikes, run.counts, shape, theta, options.permute, streams(), run.trace);
        return { spikes: permuted.spikes, counts: run.counts, trace: permuted.trace };
      }
      case 'tpp':
        return runTppLayer(shape, current, 'tpp', streams(), ann);
      case 'tpp-iid':
        return runTppLayer(shape, current, 'tpp-iid', streams(), ann);
      default: {
        const never: never = layer.neuron;
        return never;
      }
    }
  }
}

/** Cumulative sums of the classifier output over steps ≤ t, for each checkpoint t. */
function readout(out: SimValue, T: number, B: number, checkpoints: readonly number[]): Float64Array[] {
  const data = out.tensor.dataSync() as Float32Array;
  const K = out.temporal ? data.length / (T * B) : data.length / B;
  const sums = new Float64Array(B * K);
  const result: Float64Array[] = [];
  let next = 0;
  for (let t = 1; t <= T && next < checkpoints.length; t++) {
    const base = out.temporal ? (t - 1) * B * K : 0;
    for (let j = 0; j < B * K; j++) sums[j]! += data[base + j]!;
    while (next < checkpoints.length && checkpoints[next] === t) {
      result.push(Float64Array.from(sums));
      next++;
    }
  }
  return result;
}
