import { consumersOf, numel } from '../../common/ir/graph';
import { nodeCounts } from '../../common/ir/counts';
import type { Graph, IrNode } from '../../common/ir/types';

/**
 * Energy model of METHODS.md (Horowitz, ISSCC 2014, 45 nm): a multiply-accumulate costs 4.6 pJ,
 * an accumulate (one synaptic operation, SOP) 0.9 pJ.
 *   E_ANN = 4.6 pJ · MACs
 *   E_SNN = 0.9 pJ · SOPs + 4.6 pJ · (MACs on the analog input) · T
 */
export const ENERGY_MODEL = { macPj: 4.6, sopPj: 0.9 } as const;

/**
 * Synaptic operations triggered by one spike of `name`'s output, averaged over its neurons.
 * A weighted op (conv2d, dense) costs MACs / (its input size) per input value; pooling passes a
 * spike on to the windows that contain it; reshapes, adds, concats and affine batch norms pass it
 * through. Counting stops at the next spiking (activation) node, whose own spikes count there.
 */
export function fanout(graph: Graph, name: string, isSpiking: (node: IrNode) => boolean): number {
  const consumers = consumersOf(graph);
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const memo = new Map<string, number>();
  const onwards = (from: string): number => {
    const cached = memo.get(from);
    if (cached !== undefined) return cached;
    let total = 0;
    for (const consumerName of consumers.get(from) ?? []) {
      const consumer = byName.get(consumerName)!;
      total += perInput(consumer, from);
    }
    memo.set(from, total);
    return total;
  };
  const perInput = (node: IrNode, from: string): number => {
    const inNumel = numel(graph.shapes.get(from)!);
    const outNumel = numel(graph.shapes.get(node.name)!);
    switch (node.op) {
      case 'conv2d':
      case 'dense':
        return nodeCounts(graph, node).macs / inNumel;
      case 'avgPool':
      case 'maxPool':
        return ((outNumel * node.size[0] * node.size[1]) / inNumel) * onwards(node.name);
      case 'globalAvgPool':
        return onwards(node.name);
      case 'relu':
      case 'clip':
      case 'qcfs':
        return isSpiking(node) ? 1 : onwards(node.name);
      case 'batchNorm':
      case 'flatten':
      case 'add':
      case 'concat':
      case 'softmax':
      case 'pad':
      case 'leakyRelu':
        return onwards(node.name);
      default: {
        const never: never = node;
        return never;
      }
    }
  };
  return onwards(name);
}

/** MACs of the weighted ops that see the analog input (no spiking node upstream). */
export function analogMacs(graph: Graph, isSpiking: (node: IrNode) => boolean): number {
  const downstreamOfSpikes = new Set<string>();
  let macs = 0;
  for (const node of graph.nodes) {
    const fed = node.inputs.some((i) => downstreamOfSpikes.has(i));
    if (fed || isSpiking(node)) {
      downstreamOfSpikes.add(node.name);
      continue;
    }
    macs += nodeCounts(graph, node).macs;
  }
  return macs;
}
