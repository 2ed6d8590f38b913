import { consumersOf, buildGraph } from '../../common/ir/graph';
import type { BatchNormNode, Graph, IrNode, WeightTensor } from '../../common/ir/types';

/**
 * Folds every batch norm that directly follows a conv2d or dense (and is that node's only
 * consumer) into its weights: W' = (γ/σ)·W, b' = (γ/σ)(b − μ) + β, σ = sqrt(var + ε), per
 * output channel. Batch norms elsewhere stay as per-channel affine nodes (linear, so they
 * still simulate exactly).
 */
export function foldBatchNorm(graph: Graph): Graph {
  const consumers = consumersOf(graph);
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  // producer (conv2d or dense) name → the batch norm folded into it
  const foldInto = new Map<string, BatchNormNode>();
  for (const node of graph.nodes) {
    if (node.op !== 'batchNorm') continue;
    const producer = byName.get(node.inputs[0]!);
    if (producer === undefined || (producer.op !== 'conv2d' && producer.op !== 'dense')) continue;
    if ((consumers.get(producer.name) ?? []).length !== 1 || producer.name === graph.output) continue;
    foldInto.set(producer.name, node);
  }
  if (foldInto.size === 0) return graph;

  const weights = new Map<string, WeightTensor>(graph.weights);
  const nodes: IrNode[] = [];
  const skip = new Set([...foldInto.values()].map((bn) => bn.name));
  for (const node of graph.nodes) {
    if (skip.has(node.name)) continue;
    const bn = foldInto.get(node.name);
    if (bn === undefined || (node.op !== 'conv2d' && node.op !== 'dense')) {
      nodes.push(node);
      continue;
    }
    const { kernel, bias } = foldedWeights(graph, node.kernel, node.bias, bn);
    const kernelName = `${bn.name}/kernel_folded`;
    const biasName = `${bn.name}/bias_folded`;
    weights.set(kernelName, kernel);
    weights.set(biasName, bias);
    // The folded node takes the batch norm's name, so every edge that read the BN still holds.
    nodes.push({ ...node, name: bn.name, kernel: kernelName, bias: biasName });
  }
  return pruneWeights(buildGraph({ ...graph, nodes, weights }));
}

function foldedWeights(graph: Graph, kernelName: string, biasName: string | undefined, bn: BatchNormNode): { kernel: WeightTensor; bias: WeightTensor } {
  const kernel = graph.weights.get(kernelName)!;
  const gamma = graph.weights.get(bn.gamma)!.data;
  const beta = graph.weights.get(bn.beta)!.data;
  const mean = graph.weights.get(bn.mean)!.data;
  const variance = graph.weights.get(bn.variance)!.data;
  const cout = kernel.shape[kernel.shape.length - 1]!;
  const scale = new Float64Array(cout);
  for (let c = 0; c < cout; c++) scale[c] = gamma[c]! / Math.sqrt(variance[c]! + bn.epsilon);
  const w = new Float32Array(kernel.data.length);
  for (let i = 0; i < w.length; i++) w[i] = kernel.data[i]! * scale[i % cout]!;
  const b = new Float32Array(cout);
  const oldBias = biasName === undefined ? undefined : graph.weights.get(biasName)!.data;
  for (let c = 0; c < cout; c++) b[c] = scale[c]! * ((oldBias?.[c] ?? 0) - mean[c]!) + beta[c]!;
  return { kernel: { shape: kernel.shape, data: w }, bias: { shape: [cout], data: b } };
}

/** Drops weights no node refers to any more. */
function pruneWeights(graph: Graph): Graph {
  const used = new Set<string>();
  for (const node of graph.nodes) {
    for (const [key, value] of Object.entries(node)) {
      if (key !== 'name' && key !== 'op' && typeof value === 'string' && graph.weights.has(value)) used.add(value);
    }
  }
  if (used.size === graph.weights.size) return graph;
  const weights = new Map([...graph.weights].filter(([name]) => used.has(name)));
  return { ...graph, weights };
}
