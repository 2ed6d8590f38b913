import type { OnnxGraph, OnnxNode } from './onnx-proto';

/**
 * Layout analysis before the main pass, for tf2onnx exports of Keras models: whether the graph
 * input is NHWC, and which transposes undo each other.
 */

/** Ops that act on every element alike, so the layout of their data input does not matter. */
const ELEMENTWISE = new Set(['Relu', 'Clip', 'LeakyRelu', 'Identity', 'Dropout', 'Cast']);
const SCALAR_ARITHMETIC = new Set(['Mul', 'Add', 'Sub', 'Div']);

/**
 * Whether a 4-D graph input is NHWC: every path from it, through elementwise ops (a Keras
 * Rescaling's Mul and Add come before tf2onnx's transpose), ends in a conversion to NCHW —
 * Transpose(perm [0, 3, 1, 2]), or with C = 1 a Reshape to [N, 1, H, W].
 */
export function readAsNhwc(nodes: readonly OnnxNode[], input: string, [, h, w, c]: readonly number[], constOf: (name: string) => readonly number[] | undefined): boolean {
  let converted = false;
  const pending = [input];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const node of nodes) {
      if (!node.inputs.includes(name)) continue;
      const perm = node.attributes.get('perm')?.ints;
      const target = node.opType === 'Reshape' ? constOf(node.inputs[1] ?? '') : undefined;
      if (node.opType === 'Transpose' && perm?.length === 4 && [0, 3, 1, 2].every((d, i) => perm[i] === d)) {
        converted = true;
      } else if (c === 1 && target?.length === 4 && [-1, 0, 1].includes(target[0]!) && target[1] === 1 && target[2] === h && target[3] === w) {
        converted = true;
      } else if (ELEMENTWISE.has(node.opType) ? node.inputs[0] === name : SCALAR_ARITHMETIC.has(node.opType) && node.inputs.length === 2 && constOf(node.inputs.find((i) => i !== name) ?? name)?.length === 1) {
        pending.push(node.outputs[0]!);
      } else {
        return false;
      }
    }
  }
  return converted;
}

/**
 * Transposes that undo the one before them: y = transpose(x, p), z = transpose(y, q) gives
 * z = x when p[q[i]] = i for every axis (onnx.ai/onnx/operators/onnx__Transpose.html). `aliases`
 * maps the second node to the name of x; the first is `unused` when nothing else reads y.
 */
export function cancellingTransposes(graph: OnnxGraph): { aliases: Map<number, string>; unused: number[] } {
  const producer = new Map<string, number>();
  graph.nodes.forEach((n, i) => n.outputs.forEach((o) => producer.set(o, i)));
  const aliases = new Map<number, string>();
  graph.nodes.forEach((second, j) => {
    if (second.opType !== 'Transpose') return;
    const i = producer.get(second.inputs[0] ?? '');
    const first = i === undefined ? undefined : graph.nodes[i];
    if (first?.opType !== 'Transpose' || aliases.has(i!)) return;
    const p = first.attributes.get('perm')?.ints;
    const q = second.attributes.get('perm')?.ints;
    if (p === undefined || q === undefined || p.length !== q.length || !q.every((axis, k) => p[axis] === k)) return;
    aliases.set(j, first.inputs[0]!);
  });
  const unused: number[] = [];
  const outputs = new Set(graph.outputs.map((o) => o.name));
  graph.nodes.forEach((first, i) => {
    const y = first.outputs[0]!;
    if (first.opType !== 'Transpose' || outputs.has(y)) return;
    const readers = graph.nodes.map((n, j) => (n.inputs.includes(y) ? j : -1)).filter((j) => j >= 0);
    if (readers.length > 0 && readers.every((j) => aliases.has(j))) unused.push(i);
  });
  return { aliases, unused };
}
