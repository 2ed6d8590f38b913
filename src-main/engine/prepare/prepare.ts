import { unsupported } from '../../common/errors';
import type { MaxPoolPolicy } from '../../common/study';
import { buildGraph } from '../../common/ir/graph';
import type { Graph, IrNode } from '../../common/ir/types';
import { foldBatchNorm } from './fold-batch-norm';
import { planMaxPools } from './max-pooling';

/**
 * Turns an imported ANN into the form conversion reads: batch norms folded, the output softmax
 * dropped (the readout averages the classifier's logits; argmax is unchanged), and max pooling
 * refused, replaced by average pooling, or kept exact / pooled by spike count (max-pooling.ts).
 */
export interface PreparedGraph {
  readonly graph: Graph;
  /** Human-readable notes on what changed, in the order applied. */
  readonly notes: readonly string[];
  /** Max-pool nodes swapped for average pooling (the ANN's accuracy changes; report it). */
  readonly swappedMaxPools: readonly string[];
  /** Max-pool nodes that see spike trains and pool them by accumulated count (`spiking`). */
  readonly spikingMaxPools: readonly string[];
}

/** `staticInput`: direct coding of a static sample, so the signal is constant in time until the
 * first spiking layer (what makes a max pool there exact). */
export function prepareForConversion(source: Graph, maxPool: MaxPoolPolicy, staticInput = true): PreparedGraph {
  const notes: string[] = [];
  let graph = source;

  const bnCount = graph.nodes.filter((n) => n.op === 'batchNorm').length;
  if (bnCount > 0) {
    graph = foldBatchNorm(graph);
    const left = graph.nodes.filter((n) => n.op === 'batchNorm').length;
    notes.push(`folded ${bnCount - left} batch norm(s) into the preceding conv/dense${left ? `; ${left} stay as per-channel affine layers` : ''}`);
  }

  const out = graph.nodes.find((n) => n.name === graph.output);
  if (out?.op === 'softmax') {
    graph = buildGraph({ ...graph, nodes: graph.nodes.filter((n) => n !== out), output: out.inputs[0]! });
    notes.push(`dropped the output softmax '${out.name}': the SNN readout averages the logits`);
  }

  const maxPools = graph.nodes.filter((n) => n.op === 'maxPool').map((n) => n.name);
  if (maxPools.length > 0 && maxPool === 'refuse') {
    throw unsupported(
      `max pooling is not spike-compatible as it stands (nodes: ${maxPools.join(', ')}); pass --maxpool exact (where the pool sees a constant analog input), spiking (exact there, max over spike counts elsewhere) or avg (replaced by average pooling; the ANN accuracy after the swap is reported)`,
    );
  }
  let spikingMaxPools: readonly string[] = [];
  if (maxPools.length > 0 && (maxPool === 'exact' || maxPool === 'spiking')) {
    const plan = planMaxPools(graph, maxPool, staticInput);
    graph = plan.graph;
    notes.push(...plan.notes);
    spikingMaxPools = plan.spiking;
  } else if (maxPools.length > 0) {
    graph = buildGraph({ ...graph, nodes: graph.nodes.map((n): IrNode => (n.op === 'maxPool' ? { ...n, op: 'avgPool' } : n)) });
    notes.push(`replaced max pooling with average pooling in ${maxPools.join(', ')}`);
  }

  const problems: string[] = [];
  for (const node of graph.nodes) {
    if (node.op === 'softmax') problems.push(`'${node.name}' (softmax inside the network)`);
    if (node.op === 'leakyRelu') problems.push(`'${node.name}' (leaky ReLU, α = ${node.alpha}: its negative outputs cannot be carried by spikes)`);
    if (node.op === 'clip' && node.min !== 0) problems.push(`'${node.name}' (clip with min ${node.min}; spiking neurons need min 0)`);
  }
  if (problems.length > 0) throw unsupported(`these nodes cannot be converted to spiking neurons: ${problems.join(', ')}`);
  return { graph, notes, swappedMaxPools: maxPool === 'avg' ? maxPools : [], spikingMaxPools };
}
