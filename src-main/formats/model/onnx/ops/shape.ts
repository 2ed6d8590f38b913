import type { OnnxOpContext, OnnxOpTable } from './handler';
import type { DataValue } from './values';

/**
 * Ops that change a tensor's shape but not its elements: Flatten, Reshape (of data: a flatten,
 * or tf2onnx's layout change of a one-channel map; of a constant: folded), Squeeze, Unsqueeze
 * and Transpose.
 */
function flatten(op: OnnxOpContext, x: DataValue): void {
  if (x.kind === 'flat') {
    op.set(x);
    return;
  }
  const name = op.b.unique(op.node.name);
  op.b.add({ name, op: 'flatten', inputs: [x.ir] });
  const f = x.c * x.h * x.w;
  // An NHWC tensor flattens in H·W·C order, the IR's own: the dense rows stay as they are.
  op.set(x.kind === 'map' && x.c > 1 && x.h * x.w > 1 ? { kind: 'flat', ir: name, f, chw: { c: x.c, h: x.h, w: x.w } } : { kind: 'flat', ir: name, f });
}

function flattenOp(op: OnnxOpContext): void {
  if (op.int('axis', 1) !== 1) throw op.unsupported(`axis ${op.int('axis', 1)}; only axis 1 is supported`);
  flatten(op, op.data());
}

function reshape(op: OnnxOpContext): void {
  const v = op.get(0);
  const target = Array.from(op.constInput(1).values);
  if (v.kind === 'const') {
    // 0 copies the input's dimension, −1 takes what is left
    const explicit = target.map((d, i) => (d === 0 ? v.dims[i]! : d));
    const known = explicit.filter((d) => d !== -1).reduce((a, d) => a * d, 1);
    op.set({ kind: 'const', dims: explicit.map((d) => (d === -1 ? v.values.length / known : d)), values: v.values });
    return;
  }
  if (v.kind !== 'flat' && v.c === 1 && target.length === 4) {
    // With one channel, [N, H, W, 1] and [N, 1, H, W] hold the same elements in the same
    // order: tf2onnx writes this Reshape in place of its NHWC → NCHW Transpose.
    const [n, d1, d2, d3] = target;
    const batch = n === -1 || n === 0 || n === 1;
    if (batch && d1 === 1 && d2 === v.h && d3 === v.w) {
      op.set({ kind: 'map', ir: v.ir, c: 1, h: v.h, w: v.w });
      return;
    }
    if (batch && d1 === v.h && d2 === v.w && d3 === 1) {
      op.set({ kind: 'nhwc', ir: v.ir, c: 1, h: v.h, w: v.w });
      return;
    }
  }
  const size = v.kind === 'flat' ? v.f : v.c * v.h * v.w;
  const isFlatten = target.length === 2 && (target[1] === size || target[1] === -1 || (target[0] === -1 && target[1] === size)) && (target[0] === 1 || target[0] === -1 || target[0] === 0);
  if (!isFlatten) throw op.unsupported(`reshape to [${target.join(', ')}]; only flattening to [N, ${size}] is supported`);
  flatten(op, v);
}

function squeeze(op: OnnxOpContext): void {
  const v = op.get(0);
  const { opType } = op.node;
  if (v.kind === 'const') {
    op.set({ kind: 'const', dims: v.values.length === 1 && opType === 'Unsqueeze' ? [1] : [v.values.length], values: v.values });
    return;
  }
  if (opType === 'Squeeze' && v.kind === 'map' && v.h === 1 && v.w === 1) {
    flatten(op, v);
    return;
  }
  if (v.kind === 'flat' && opType === 'Squeeze') {
    op.set(v);
    return;
  }
  throw op.unsupported('only squeezing the 1×1 spatial axes of a feature map is supported');
}

/**
 * tf2onnx converts a Keras model's NHWC input with its own Transpose (perm [0, 3, 1, 2]) and
 * transposes back to NHWC (perm [0, 2, 3, 1]) before a Keras Flatten. Both are layout changes
 * only: the IR holds the same [H, W, C] data either way. Pairs that cancel are removed before
 * this pass (see layout.ts).
 */
function transpose(op: OnnxOpContext): void {
  const v = op.get(0);
  const rank = v.kind === 'const' ? v.dims.length : v.kind === 'flat' ? 2 : 4;
  const perm = op.ints('perm', Array.from({ length: rank }, (_, i) => rank - 1 - i));
  const is = (p: readonly number[]) => perm.length === p.length && perm.every((d, i) => d === p[i]);
  if (v.kind !== 'const' && perm.every((d, i) => d === i)) {
    op.set(v);
    return;
  }
  if (v.kind === 'nhwc' && is([0, 3, 1, 2])) {
    op.set({ kind: 'map', ir: v.ir, c: v.c, h: v.h, w: v.w });
    return;
  }
  if (v.kind === 'map' && is([0, 2, 3, 1])) {
    op.set({ kind: 'nhwc', ir: v.ir, c: v.c, h: v.h, w: v.w });
    return;
  }
  const what = v.kind === 'map' ? `[N, C, H, W] = [N, ${v.c}, ${v.h}, ${v.w}]` : v.kind === 'nhwc' ? `[N, H, W, C] = [N, ${v.h}, ${v.w}, ${v.c}]` : v.kind === 'flat' ? `[N, ${v.f}]` : `constant [${v.dims.join(', ')}]`;
  throw op.unsupported(`perm [${perm.join(', ')}] of ${what}; only NHWC ↔ NCHW (perm [0, 3, 1, 2] and [0, 2, 3, 1]) and pairs of transposes that cancel are supported`);
}

export const SHAPE_OPS = { Flatten: flattenOp, Reshape: reshape, Squeeze: squeeze, Unsqueeze: squeeze, Transpose: transpose } satisfies OnnxOpTable;
