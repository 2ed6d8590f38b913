import { numel } from './graph';
import type { Graph, IrNode } from './types';

/**
 * Parameter and multiply-accumulate counts per node, per sample. MACs count only the weighted
 * sums (conv2d and dense), the figure METHODS.md's energy model multiplies by 4.6 pJ; pooling,
 * adds and activations are not MACs.
 */
export interface NodeCounts {
  readonly params: number;
  readonly macs: number;
}

export function nodeCounts(graph: Graph, node: IrNode): NodeCounts {
  const outShape = graph.shapes.get(node.name) ?? [];
  const weightSize = (name: string | undefined): number =>
    name === undefined ? 0 : (graph.weights.get(name)?.data.length ?? 0);
  switch (node.op) {
    case 'conv2d': {
      const kernel = graph.weights.get(node.kernel);
      const [kh = 0, kw = 0, kin = 0] = kernel?.shape ?? [];
      return { params: weightSize(node.kernel) + weightSize(node.bias), macs: numel(outShape) * kh * kw * kin };
    }
    case 'dense': {
      const kernel = graph.weights.get(node.kernel);
      const [fin = 0] = kernel?.shape ?? [];
      return { params: weightSize(node.kernel) + weightSize(node.bias), macs: numel(outShape) * fin };
    }
    case 'batchNorm':
      return { params: 4 * weightSize(node.gamma), macs: 0 };
    case 'qcfs':
      return { params: weightSize(node.lambda), macs: 0 };
    case 'relu':
    case 'clip':
    case 'avgPool':
    case 'maxPool':
    case 'globalAvgPool':
    case 'flatten':
    case 'add':
    case 'concat':
    case 'softmax':
    case 'leakyRelu':
    case 'pad':
      return { params: 0, macs: 0 };
    default: {
      const never: never = node;
      return never;
    }
  }
}

export function graphCounts(graph: Graph): NodeCounts {
  let params = 0;
  let macs = 0;
  for (const node of graph.nodes) {
    const c = nodeCounts(graph, node);
    params += c.params;
    macs += c.macs;
  }
  return { params, macs };
}
