import { buildGraph, numel } from '../../common/ir/graph';
import type { Graph, WeightTensor } from '../../common/ir/types';
import type { SnnModel, SpikingLayer } from '../../common/snn';
import type { SampleSet } from '../../datasets/sample-set';
import { batches, batchSizeFor } from '../ann/batching';
import { forEachCapturedBatch } from './captured-activations';
import { SnnSimulator } from '../simulate/simulator';

/**
 * SNN calibration (SNNC, Li et al., ICML 2021; METHODS.md "Calibration (SNNC)"), after any
 * threshold method, at one window length T, layer by layer on the calibration samples: for
 * spiking layer l, with layers before it already calibrated, the network up to l runs as the SNN
 * and its output rate SNN_out/T (spike counts × θ / T) is compared with the ANN's activation there,
 * clipped to [0, θ] (the SNN cannot exceed θ per step, so the clipped activation is what it
 * approximates; the same target as the conversion error):
 *
 *   light (bias correction):         b_c −= mean_{samples, positions}(SNN_out/T − ANN_out), per channel c
 *   advanced (potential correction): v0_i += T·mean_{samples}(ANN_out − SNN_out/T), per neuron i
 *
 * The correction is kept on the spiking layer (`biasCorrection`, added to the input current every
 * step, which is what lowering the bias of the op before it does; `potentialCorrection`, added to
 * the layer's v0), so the graph stays the ANN. The neurons simulated are the model's own (IF, or
 * TPP with the calibration seed), so each neuron kind is calibrated for itself.
 */
export interface SnncOptions {
  readonly mode: 'light' | 'advanced';
  readonly T: number;
  /** Random streams for the stochastic neurons while calibrating (default 0). */
  readonly seed?: number;
  /** Per-step input of the calibration samples (event frames), as the evaluation uses. */
  readonly stepInput?: boolean;
  /** Called after each layer with the layers done. */
  readonly onLayer?: (done: number, total: number) => void;
}

export async function calibrateSnn(model: SnnModel, set: SampleSet, indices: Int32Array, options: SnncOptions): Promise<SnnModel> {
  const { T, mode } = options;
  const targets = await annTargets(model, set, indices);
  const weights = new Map<string, WeightTensor>(model.graph.weights);
  let layers = [...model.snn.layers];
  for (const [l, layer] of model.snn.layers.entries()) {
    const current: SnnModel = { graph: { ...model.graph, weights }, snn: { ...model.snn, layers } };
    const snnMean = await snnOutputMeans(current, layer.node, set, indices, options);
    const annMean = targets.get(layer.node)!;
    const shape = model.graph.shapes.get(layer.node)!;
    let corrected: SpikingLayer;
    if (mode === 'light') {
      const C = shape[shape.length - 1]!;
      const bias = new Float32Array(C);
      const perChannel = new Float64Array(C);
      for (let f = 0, c = 0; f < snnMean.length; f++) {
        perChannel[c]! += snnMean[f]! - annMean[f]!;
        if (++c === C) c = 0;
      }
      const positions = snnMean.length / C;
      for (let c = 0; c < C; c++) bias[c] = -perChannel[c]! / positions;
      const name = `${layer.node}/snnc-bias`;
      weights.set(name, { shape: [C], data: bias });
      corrected = { ...layer, biasCorrection: name };
    } else {
      const offset = Float32Array.from(snnMean, (s, f) => T * (annMean[f]! - s));
      const name = `${layer.node}/snnc-v0`;
      weights.set(name, { shape: [offset.length], data: offset });
      corrected = { ...layer, potentialCorrection: name };
    }
    layers = layers.map((x, i) => (i === l ? corrected : x));
    options.onLayer?.(l + 1, model.snn.layers.length);
  }
  return {
    graph: { ...model.graph, weights },
    snn: { ...model.snn, layers, thresholds: { ...model.snn.thresholds, timesteps: T, calibration: mode } },
  };
}

/** Per neuron of a sample, the mean over the samples of the ANN activation clipped to [0, θ]. */
async function annTargets(model: SnnModel, set: SampleSet, indices: Int32Array): Promise<Map<string, Float64Array>> {
  const { graph } = model;
  const capture = new Set(model.snn.layers.map((l) => l.node));
  const sums = new Map(model.snn.layers.map((l) => [l.node, new Float64Array(numel(graph.shapes.get(l.node)!))]));
  const thetas = new Map(model.snn.layers.map((l) => [l.node, graph.weights.get(l.threshold)!.data]));
  await forEachCapturedBatch(graph, set, indices, capture, (node, values) => {
    const sum = sums.get(node)!;
    const theta = thetas.get(node)!;
    const F = sum.length;
    const C = theta.length;
    for (let i = 0, f = 0, c = 0; i < values.length; i++) {
      sum[f]! += Math.min(Math.max(values[i]!, 0), theta[c]!);
      if (++f === F) f = 0;
      if (++c === C) c = 0;
    }
  });
  for (const sum of sums.values()) for (let f = 0; f < sum.length; f++) sum[f]! /= indices.length;
  return sums;
}

/** Per neuron of a sample, the mean over the samples of SNN_out/T at `node`: the network up to it
 * simulated for T steps, its spike values summed over the window and divided by T. */
async function snnOutputMeans(model: SnnModel, node: string, set: SampleSet, indices: Int32Array, options: SnncOptions): Promise<Float64Array> {
  const { T } = options;
  const truncated = upTo(model, node);
  const F = numel(truncated.graph.shapes.get(node)!);
  const means = new Float64Array(F);
  const simulator = new SnnSimulator(truncated);
  try {
    for (const [start, end] of batches(indices.length, batchSizeFor(truncated.graph, T))) {
      const batch = indices.subarray(start, end);
      const steps = options.stepInput ? set.readSteps!(batch, T) : undefined;
      const outcome = await simulator.runBatch(set.read(batch), batch, { T, checkpoints: [T], seed: options.seed ?? 0 }, undefined, steps);
      const sums = outcome.outputSums[0]!;
      for (let i = 0, f = 0; i < sums.length; i++) {
        means[f]! += sums[i]!;
        if (++f === F) f = 0;
      }
    }
  } finally {
    simulator.dispose();
  }
  for (let f = 0; f < F; f++) means[f]! /= T * indices.length;
  return means;
}

/** The network from the input to `node` (its ancestors only), with `node` as the output. */
function upTo(model: SnnModel, node: string): SnnModel {
  const { graph } = model;
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const needed = new Set<string>();
  const visit = (name: string): void => {
    if (needed.has(name) || !byName.has(name)) return;
    needed.add(name);
    for (const input of byName.get(name)!.inputs) visit(input);
  };
  visit(node);
  const sub: Graph = buildGraph({ ...graph, nodes: graph.nodes.filter((n) => needed.has(n.name)), output: node });
  const pools = model.snn.spikingMaxPools?.filter((p) => needed.has(p));
  return {
    graph: sub,
    snn: { ...model.snn, layers: model.snn.layers.filter((l) => needed.has(l.node)), ...(pools !== undefined ? { spikingMaxPools: pools } : {}) },
  };
}
