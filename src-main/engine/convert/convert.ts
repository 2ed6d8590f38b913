import { invalidArgument } from '../../common/errors';
import { isActivation, type ActivationNode, type Graph, type WeightTensor } from '../../common/ir/types';
import type { NeuronKind, ResetMode, SnnModel, SnnSpec, SpikingLayer, ThresholdMethod, V0Mode } from '../../common/snn';
import type { PercentileOf } from '../../common/study';
import type { ActivationStats } from '../calibrate/activation-stats';
import { chooseThreshold } from './thresholds';

/**
 * ANN → SNN: every activation node of a prepared graph (see prepare.ts) becomes a spiking layer
 * with its threshold stored as a weight (`<node>/threshold`), so the result is plain data.
 */
export interface ConversionOptions {
  readonly method: ThresholdMethod;
  readonly perChannel: boolean;
  readonly neuron: NeuronKind;
  readonly reset: ResetMode;
  readonly v0: V0Mode;
  readonly shift: boolean;
  readonly encoding: 'direct' | 'rate';
  readonly calibrationSamples: number;
  /** Window length the thresholds are tuned for (required by snnc). */
  readonly timesteps?: number;
  /** Percentile thresholds over the positive activations (default) or all of them. */
  readonly percentileOf?: PercentileOf;
  /** Max pools over spike trains (prepare.ts), pooled by accumulated count. */
  readonly spikingMaxPools?: readonly string[];
}

export interface Conversion {
  readonly model: SnnModel;
  readonly warnings: readonly string[];
}

export function convertToSnn(graph: Graph, stats: ReadonlyMap<string, ActivationStats>, options: ConversionOptions): Conversion {
  const activations = graph.nodes.filter(isActivation) as ActivationNode[];
  if (activations.length === 0) {
    throw invalidArgument(`model '${graph.name}' has no activation (relu, clip, qcfs) nodes to turn into spiking neurons`);
  }
  const weights = new Map<string, WeightTensor>(graph.weights);
  const layers: SpikingLayer[] = [];
  const warnings: string[] = [];
  for (const node of activations) {
    const choice = chooseThreshold(graph, node, stats.get(node.name), options.method, options.perChannel, options.timesteps, options.percentileOf);
    warnings.push(...choice.warnings);
    const threshold = `${node.name}/threshold`;
    let theta = choice.theta;
    if (node.op === 'clip') theta = theta.map((v) => Math.min(v, node.max));
    weights.set(threshold, { shape: [theta.length], data: theta });
    layers.push({ node: node.name, neuron: options.neuron, threshold, reset: options.reset, v0: options.v0, shift: options.shift });
  }
  const snn: SnnSpec = {
    layers,
    encoding: options.encoding,
    readout: 'mean',
    ...(options.spikingMaxPools !== undefined && options.spikingMaxPools.length > 0 ? { spikingMaxPools: [...options.spikingMaxPools] } : {}),
    thresholds: {
      method: options.method,
      perChannel: options.perChannel,
      calibrationSamples: options.calibrationSamples,
      ...(options.method.kind === 'snnc' && options.timesteps !== undefined ? { timesteps: options.timesteps } : {}),
      ...(options.method.kind === 'percentile' ? { percentileOf: options.percentileOf ?? 'positive' } : {}),
    },
  };
  return { model: { graph: { ...graph, weights }, snn }, warnings };
}

/** The same converted network with another neuron kind in every layer. */
export function withNeuron(model: SnnModel, neuron: NeuronKind): SnnModel {
  return { ...model, snn: { ...model.snn, layers: model.snn.layers.map((l) => ({ ...l, neuron })) } };
}
