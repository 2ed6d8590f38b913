import { numel } from '../../common/ir/graph';
import type { Graph } from '../../common/ir/types';

/**
 * Memory-bounded batching: a batch is as large as fits `budgetValues` float32 values in the
 * largest activation of the graph, times `rowsPerSample` (T during simulation), within [1, max].
 */
const DEFAULT_BUDGET_VALUES = 16 * 1024 * 1024;

function largestActivation(graph: Graph): number {
  let largest = 1;
  for (const shape of graph.shapes.values()) largest = Math.max(largest, numel(shape));
  return largest;
}

export function batchSizeFor(graph: Graph, rowsPerSample = 1, budgetValues = DEFAULT_BUDGET_VALUES, max = 256): number {
  const fit = Math.floor(budgetValues / (largestActivation(graph) * rowsPerSample));
  return Math.max(1, Math.min(max, fit));
}

/** [start, end) ranges that cover `count` items in batches of `size`. */
export function* batches(count: number, size: number): Generator<[number, number]> {
  for (let start = 0; start < count; start += size) yield [start, Math.min(count, start + size)];
}
