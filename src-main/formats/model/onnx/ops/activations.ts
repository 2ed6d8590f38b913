import type { IrNode } from '../../../../common/ir/types';
import type { OnnxOpContext, OnnxOpTable } from './handler';
import { like, type DataValue } from './values';

/** Adds the IR node `make(name)` for the node's data input; the output keeps the input's shape. */
function unary(op: OnnxOpContext, make: (name: string, x: DataValue) => IrNode, x: DataValue = op.data()): void {
  const name = op.b.unique(op.node.name);
  op.b.add(make(name, x));
  op.set(like(x, name));
}

function clip(op: OnnxOpContext): void {
  const x = op.data();
  // opset < 11: min/max attributes; from 11 on: optional constant inputs
  const lo = op.attribute('min')?.f ?? op.optionalConst(1)?.[0] ?? -Infinity;
  const hi = op.attribute('max')?.f ?? op.optionalConst(2)?.[0] ?? Infinity;
  unary(op, (name) => (lo === 0 && hi === Infinity ? { name, op: 'relu', inputs: [x.ir] } : { name, op: 'clip', inputs: [x.ir], min: lo, max: hi }), x);
}

function softmax(op: OnnxOpContext): void {
  const x = op.data();
  if (x.kind !== 'flat') throw op.unsupported('softmax over a feature map');
  unary(op, (name) => ({ name, op: 'softmax', inputs: [x.ir] }), x);
}

export const ACTIVATION_OPS = {
  Relu: (op) => unary(op, (name, x) => ({ name, op: 'relu', inputs: [x.ir] })),
  LeakyRelu: (op) => unary(op, (name, x) => ({ name, op: 'leakyRelu', inputs: [x.ir], alpha: op.float('alpha', 0.01) })),
  Clip: clip,
  Softmax: softmax,
} satisfies OnnxOpTable;
