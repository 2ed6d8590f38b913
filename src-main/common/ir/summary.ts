import { nodeCounts } from './counts';
import { consumersOf } from './graph';
import { isActivation, type Graph } from './types';
import { thresholdLabel, type SnnSpec } from '../snn';

/** What `tppw model summary` shows: per node op, shapes, parameters, MACs, and conversion warnings. */
export interface NodeSummary {
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly string[];
  readonly inputShapes: readonly (readonly number[])[];
  readonly outputShape: readonly number[];
  readonly params: number;
  readonly macs: number;
  readonly warnings: readonly string[];
}

export interface ModelSummary {
  readonly name: string;
  readonly input: { readonly name: string; readonly shape: readonly number[] };
  readonly output: { readonly name: string; readonly shape: readonly number[] };
  readonly preprocessing: { readonly scale: number; readonly offset: number } | null;
  readonly nodes: readonly NodeSummary[];
  readonly totals: { readonly nodes: number; readonly params: number; readonly macs: number; readonly spikingLayers: number };
  readonly warnings: readonly string[];
  /** Present for converted networks. */
  readonly snn?: SnnSummary;
}

export interface SnnSummary {
  readonly encoding: string;
  readonly thresholds: { readonly method: string; readonly perChannel: boolean; readonly calibrationSamples: number; readonly timesteps?: number };
  readonly layers: readonly {
    readonly node: string;
    readonly neuron: string;
    readonly reset: string;
    readonly v0: string;
    readonly shift: boolean;
    readonly threshold: { readonly mean: number; readonly min: number; readonly max: number; readonly channels: number };
  }[];
}

function summarizeSnn(graph: Graph, snn: SnnSpec): SnnSummary {
  return {
    encoding: snn.encoding,
    thresholds: { ...snn.thresholds, method: thresholdLabel(snn.thresholds.method) },
    layers: snn.layers.map((l) => {
      const theta = graph.weights.get(l.threshold)?.data ?? new Float32Array();
      const sum = theta.reduce((a, b) => a + b, 0);
      return {
        node: l.node,
        neuron: l.neuron,
        reset: l.reset,
        v0: l.v0,
        shift: l.shift,
        threshold: { mean: sum / Math.max(1, theta.length), min: Math.min(...theta), max: Math.max(...theta), channels: theta.length },
      };
    }),
  };
}

export function summarizeModel(graph: Graph, snn?: SnnSpec): ModelSummary {
  const consumers = consumersOf(graph);
  const warnings: string[] = [];
  let params = 0;
  let macs = 0;
  const nodes = graph.nodes.map((node): NodeSummary => {
    const counts = nodeCounts(graph, node);
    params += counts.params;
    macs += counts.macs;
    const notes: string[] = [];
    switch (node.op) {
      case 'maxPool':
        notes.push('max pooling is not spike-compatible as it stands: conversion refuses it unless --maxpool exact (where it sees a constant analog input), spiking (exact there, max over spike counts elsewhere) or avg (swapped for average pooling)');
        break;
      case 'batchNorm':
        notes.push('folded into the preceding conv/dense at conversion (kept as a per-channel affine layer if it cannot be)');
        break;
      case 'softmax':
        notes.push(node.name === graph.output ? 'output softmax: dropped at conversion (the readout averages logits)' : 'softmax inside the network cannot be converted');
        break;
      case 'clip':
        if (node.min !== 0) notes.push(`clip with min ${node.min}: spiking neurons need min 0`);
        else notes.push(`capped ReLU: thresholds are capped at ${node.max}`);
        break;
      case 'qcfs':
        notes.push(`QCFS with ${node.levels} levels: --threshold qcfs uses its λ`);
        break;
      case 'leakyRelu':
        notes.push(`leaky ReLU (α = ${node.alpha}) cannot be converted: negative outputs cannot be carried by spikes`);
        break;
      default:
        break;
    }
    if (isActivation(node) && (consumers.get(node.name) ?? []).length === 0 && node.name !== graph.output) {
      notes.push('output is never used');
    }
    for (const n of notes) if (!/^(capped|QCFS|folded|output softmax)/.test(n)) warnings.push(`${node.name}: ${n}`);
    return {
      name: node.name,
      op: node.op,
      inputs: node.inputs,
      inputShapes: node.inputs.map((i) => graph.shapes.get(i)!),
      outputShape: graph.shapes.get(node.name)!,
      params: counts.params,
      macs: counts.macs,
      warnings: notes,
    };
  });
  if (graph.preprocessing === undefined) warnings.push('the model does not record its input preprocessing: pass --scale/--offset when converting');
  return {
    name: graph.name,
    input: graph.input,
    output: { name: graph.output, shape: graph.shapes.get(graph.output)! },
    preprocessing: graph.preprocessing ?? null,
    nodes,
    totals: { nodes: nodes.length, params, macs, spikingLayers: graph.nodes.filter(isActivation).length },
    warnings,
    ...(snn !== undefined ? { snn: summarizeSnn(graph, snn) } : {}),
  };
}
