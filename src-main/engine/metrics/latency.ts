import type { Graph, IrNode } from '../../common/ir/types';

/**
 * Spiking layers on the longest input→output path of the graph (its critical path). A TPP layer
 * needs its whole length-T input before it fires, so an unpipelined deployment takes T × this
 * many steps (METHODS.md latency); parallel branches run side by side and count once, so this is
 * not the number of all spiking layers.
 */
export function spikingDepth(graph: Graph, isSpiking: (node: IrNode) => boolean): number {
  const depth = new Map<string, number>([[graph.input.name, 0]]);
  for (const node of graph.nodes) {
    const before = Math.max(0, ...node.inputs.map((i) => depth.get(i) ?? 0));
    depth.set(node.name, before + (isSpiking(node) ? 1 : 0));
  }
  return depth.get(graph.output) ?? 0;
}
