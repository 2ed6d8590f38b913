import type { OnnxOpContext, OnnxOpTable } from './handler';
import { channelsOf, like, type ConstValue, type DataValue } from './values';

/**
 * Add, Sum, Sub, Mul, Div. Between constants they fold (shape arithmetic); Add and Sum of data
 * tensors of one shape is an IR add; data with a scalar or per-channel constant becomes an
 * affine batch-norm node.
 */
function arithmetic(op: OnnxOpContext): void {
  const { node } = op;
  const operands = node.inputs.map((_, i) => op.get(i));
  const dataOperands = operands.filter((o) => o.kind !== 'const') as DataValue[];
  if (dataOperands.length === 0) {
    op.set(foldConst(op, operands as ConstValue[]));
    return;
  }
  if ((node.opType === 'Add' || node.opType === 'Sum') && dataOperands.length === operands.length) {
    const first = dataOperands[0]!;
    for (const o of dataOperands) {
      const same = o.kind === 'flat' ? first.kind === 'flat' && o.f === first.f && !o.chw === !first.chw : first.kind === o.kind && o.c === first.c && o.h === first.h && o.w === first.w;
      if (!same) throw op.unsupported('operands of different shapes');
    }
    const name = op.b.unique(node.name);
    op.b.add({ name, op: 'add', inputs: dataOperands.map((o) => o.ir) });
    op.set(like(first, name));
    return;
  }
  if (operands.length !== 2 || dataOperands.length !== 1) throw op.unsupported(`${node.opType} of two data tensors`);
  const x = dataOperands[0]!;
  const constFirst = operands[0]!.kind === 'const';
  const k = perChannel(op, x, (constFirst ? operands[0] : operands[1]) as ConstValue);
  const zeros = k.map(() => 0);
  const ones = k.map(() => 1);
  switch (node.opType) {
    case 'Mul':
      return affine(op, x, k, zeros);
    case 'Div':
      if (constFirst) throw op.unsupported('dividing a constant by data');
      return affine(op, x, k.map((v) => 1 / v), zeros);
    case 'Sub':
      return constFirst ? affine(op, x, k.map(() => -1), k) : affine(op, x, ones, k.map((v) => -v));
    default:
      return affine(op, x, ones, k);
  }
}

function foldConst(op: OnnxOpContext, operands: ConstValue[]): ConstValue {
  const [x, y] = operands as [ConstValue, ConstValue];
  const n = Math.max(x.values.length, y.values.length);
  if (operands.length !== 2 || (x.values.length !== n && x.values.length !== 1) || (y.values.length !== n && y.values.length !== 1)) {
    throw op.unsupported('constant arithmetic needs same-size or scalar operands');
  }
  const f = { Add: (a: number, c: number) => a + c, Sum: (a: number, c: number) => a + c, Sub: (a: number, c: number) => a - c, Mul: (a: number, c: number) => a * c, Div: (a: number, c: number) => a / c }[op.node.opType as 'Add']!;
  const values = Float64Array.from({ length: n }, (_, i) => f(x.values[x.values.length === 1 ? 0 : i]!, y.values[y.values.length === 1 ? 0 : i]!));
  return { kind: 'const', dims: x.values.length >= y.values.length ? x.dims : y.dims, values };
}

/** A constant operand as one value per channel, if it broadcasts that way against `v`. */
function perChannel(op: OnnxOpContext, v: DataValue, k: ConstValue): number[] {
  const channels = channelsOf(v);
  if (k.values.length === 1) return new Array<number>(channels).fill(k.values[0]!);
  const significant = k.dims.filter((d) => d !== 1);
  const okMap = v.kind === 'map' && k.values.length === channels && (k.dims.length === 3 || k.dims.length === 4) && k.dims[k.dims.length - 3] === channels;
  // NHWC: a per-channel constant broadcasts along the last axis ([C], [1, 1, C], [1, 1, 1, C]).
  const okNhwc = v.kind === 'nhwc' && k.values.length === channels && k.dims[k.dims.length - 1] === channels;
  const okFlat = v.kind === 'flat' && k.values.length === channels && significant.length === 1;
  if (!okMap && !okNhwc && !okFlat) throw op.unsupported(`constant of shape [${k.dims.join(', ')}] is not a scalar or per-channel value for this input`);
  return Array.from(k.values);
}

/** y = s·x + t per channel (see IrBuilder.affine). */
function affine(op: OnnxOpContext, v: DataValue, s: number[], t: number[]): void {
  const name = op.b.unique(op.node.name);
  op.b.affine(name, v.ir, s, t);
  op.set(like(v, name));
}

export const ELEMENTWISE_OPS = { Add: arithmetic, Sum: arithmetic, Sub: arithmetic, Mul: arithmetic, Div: arithmetic } satisfies OnnxOpTable;
