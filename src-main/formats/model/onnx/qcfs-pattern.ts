import type { OnnxGraph, OnnxNode } from './onnx-proto';

/**
 * Finds the QCFS activation (Bu et al., ICLR 2022) as a PyTorch export spells it, around a Floor:
 *
 *   x → [Div λ | Mul L/λ | Mul L …] → Add 0.5 → Floor → [Div L | Mul 1/L] → Clip(0, 1) → Mul λ
 *
 * that is λ·clip(floor(x·L/λ + 1/2)/L, 0, 1). The chain before Floor is composed into one
 * per-channel affine map a·x + b, the chain after it into a scale c before the clip and e after;
 * the match requires b = 1/2, a clip to [0, 1], L = 1/c an integer and a = L/λ with λ = e.
 */
export interface QcfsMatch {
  /** The tensor the activation reads. */
  readonly source: string;
  /** The tensor it produces (the output of the final Mul). */
  readonly output: string;
  /** Every node of the pattern, by index in the graph. */
  readonly nodes: ReadonlySet<number>;
  /** Index of the first node of the pattern (where the fused node is emitted). */
  readonly first: number;
  readonly lambda: readonly number[];
  readonly levels: number;
}

/** A constant operand as a flat list of values (one value, or one per channel). */
export type ConstLookup = (name: string) => readonly number[] | undefined;

const AFFINE_OPS = new Set(['Mul', 'Div', 'Add', 'Sub']);

export function findQcfs(graph: OnnxGraph, constOf: ConstLookup): QcfsMatch[] {
  const producer = new Map<string, number>();
  const consumers = new Map<string, number[]>();
  graph.nodes.forEach((node, i) => {
    for (const out of node.outputs) producer.set(out, i);
    for (const input of node.inputs) consumers.set(input, [...(consumers.get(input) ?? []), i]);
  });
  const onlyConsumer = (tensor: string): number | undefined => {
    const list = consumers.get(tensor) ?? [];
    return list.length === 1 ? list[0] : undefined;
  };
  /** For an elementwise node with one constant operand: [data input, constant values]. */
  const split = (node: OnnxNode): [string, readonly number[], boolean] | undefined => {
    if (!AFFINE_OPS.has(node.opType) || node.inputs.length !== 2) return undefined;
    const [x, y] = node.inputs as [string, string];
    const cy = constOf(y);
    if (cy !== undefined && constOf(x) === undefined) return [x, cy, false];
    const cx = constOf(x);
    if (cx !== undefined && constOf(y) === undefined) return [y, cx, true];
    return undefined;
  };

  const matches: QcfsMatch[] = [];
  graph.nodes.forEach((floor, floorIndex) => {
    if (floor.opType !== 'Floor') return;
    const nodes = new Set<number>([floorIndex]);
    // Backwards: compose the affine chain feeding Floor into a·x + b.
    let a: number[] = [1];
    let b: number[] = [0];
    let tensor = floor.inputs[0]!;
    let first = floorIndex;
    for (;;) {
      const p = producer.get(tensor);
      if (p === undefined || onlyConsumer(tensor) === undefined) break;
      const node = graph.nodes[p]!;
      const parts = split(node);
      if (parts === undefined) break;
      const [input, k, constFirst] = parts;
      // The chain so far maps v to a·v + b; this node makes v = s·u + t, so the chain from u is
      // (a·s)·u + (a·t + b).
      const step = affineStep(node.opType, k, constFirst);
      if (step === undefined) break;
      const mul = (x: number, y: number): number => x * y;
      const nextB = broadcast(broadcast(a, step.b, mul), b, (x, y) => x + y);
      a = broadcast(a, step.a, mul);
      b = nextB;
      nodes.add(p);
      first = p;
      tensor = input;
    }
    if (nodes.size === 1) return;
    // Forwards: scales before and after Clip(0, 1).
    let c: number[] = [1];
    let e: number[] = [1];
    let clipped = false;
    let out = floor.outputs[0]!;
    for (;;) {
      const n = onlyConsumer(out);
      if (n === undefined) break;
      const node = graph.nodes[n]!;
      if (node.opType === 'Clip') {
        const lo = node.attributes.get('min')?.f ?? (node.inputs[1] ? constOf(node.inputs[1])?.[0] : undefined);
        const hi = node.attributes.get('max')?.f ?? (node.inputs[2] ? constOf(node.inputs[2])?.[0] : undefined);
        if (clipped || lo !== 0 || hi !== 1) break;
        clipped = true;
      } else {
        const parts = split(node);
        if (parts === undefined || parts[2] || (node.opType !== 'Mul' && node.opType !== 'Div')) break;
        const k = node.opType === 'Div' ? parts[1].map((v) => 1 / v) : parts[1];
        if (clipped) e = broadcast(e, k, (x, y) => x * y);
        else c = broadcast(c, k, (x, y) => x * y);
      }
      nodes.add(n);
      out = node.outputs[0]!;
      if (clipped && node.opType !== 'Clip') break;
    }
    if (!clipped || !b.every((v) => Math.abs(v - 0.5) < 1e-6) || c.length !== 1 || !(c[0]! > 0)) return;
    const levels = Math.round(1 / c[0]!);
    if (levels < 1 || Math.abs(1 / c[0]! - levels) > 1e-3 * levels) return;
    const lambda = e;
    const consistent = broadcast(a, lambda, (x, l) => x * l).every((v) => Math.abs(v - levels) < 1e-4 * levels);
    if (!consistent || lambda.some((l) => !(l > 0))) return;
    matches.push({ source: tensor, output: out, nodes, first, lambda, levels });
  });
  return matches;
}

/** u ↦ s·u + t for one elementwise node with a constant operand k. */
function affineStep(op: string, k: readonly number[], constFirst: boolean): { a: number[]; b: number[] } | undefined {
  switch (op) {
    case 'Mul':
      return { a: [...k], b: [0] };
    case 'Div':
      return constFirst ? undefined : { a: k.map((v) => 1 / v), b: [0] };
    case 'Add':
      return { a: [1], b: [...k] };
    case 'Sub':
      return constFirst ? { a: [-1], b: [...k] } : { a: [1], b: k.map((v) => -v) };
    default:
      return undefined;
  }
}

/** Elementwise op on a scalar-or-per-channel pair of vectors. */
function broadcast(x: readonly number[], y: readonly number[], f: (a: number, b: number) => number): number[] {
  if (x.length === 1) return y.map((v) => f(x[0]!, v));
  if (y.length === 1) return x.map((v) => f(v, y[0]!));
  if (x.length !== y.length) return [NaN];
  return x.map((v, i) => f(v, y[i]!));
}
