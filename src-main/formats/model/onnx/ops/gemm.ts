import { chwRowsToHwc } from '../../common/ir-builder';
import type { OnnxOpContext, OnnxOpTable } from './handler';
import type { Value } from './values';

/** A dense layer on a flat input; rows after a flatten of a C×H×W map are reordered to H·W·C. */
function dense(op: OnnxOpContext, x: Value, kernel: Float64Array, inF: number, outF: number, bias: number[] | undefined): void {
  if (x.kind !== 'flat') throw op.unsupported('needs a flat [N, F] input, got a feature map (flatten it first)');
  if (x.f !== inF) throw op.invalid(`weights take ${inF} inputs, the input has ${x.f}`);
  const rows = x.chw ? chwRowsToHwc(kernel, x.chw.c, x.chw.h, x.chw.w, outF) : Float32Array.from(kernel);
  const { b } = op;
  const name = b.unique(op.node.name);
  b.add({
    name, op: 'dense', inputs: [x.ir], kernel: b.weight(`${name}/kernel`, [inF, outF], rows),
    ...(bias ? { bias: b.weight(`${name}/bias`, [outF], bias) } : {}),
  });
  op.set({ kind: 'flat', ir: name, f: outF });
}

/** Gemm: y = α·x·B + β·C, with B transposed when transB = 1. */
function gemm(op: OnnxOpContext): void {
  const x = op.data();
  if (op.int('transA', 0) !== 0) throw op.unsupported('transA = 1');
  const w = op.constInput(1);
  const alpha = op.float('alpha', 1);
  const beta = op.float('beta', 1);
  const transB = op.int('transB', 0) === 1;
  const [r, c] = w.dims as [number, number];
  const inF = transB ? c : r;
  const outF = transB ? r : c;
  const kernel = new Float64Array(inF * outF);
  for (let a = 0; a < inF; a++) for (let o = 0; o < outF; o++) kernel[a * outF + o] = alpha * w.values[transB ? o * c + a : a * c + o]!;
  const cBias = op.optionalConst(2);
  let bias: number[] | undefined;
  if (cBias) {
    if (cBias.length !== 1 && cBias.length !== outF) throw op.unsupported(`bias of ${cBias.length} values for ${outF} outputs`);
    bias = Array.from({ length: outF }, (_, o) => beta * cBias[cBias.length === 1 ? 0 : o]!);
  }
  dense(op, x, kernel, inF, outF, bias);
}

function matMul(op: OnnxOpContext): void {
  const { node, graph } = op;
  const x = op.data();
  const w = op.constInput(1);
  if (w.dims.length !== 2) throw op.unsupported(`the weight operand must be 2-D, got [${w.dims.join(', ')}]`);
  const [inF, outF] = w.dims as [number, number];
  // MatMul followed only by Add of a bias vector: one dense layer with a bias.
  const next = graph.nodes.findIndex((n, j) => j > op.index && n.opType === 'Add' && n.inputs.includes(node.outputs[0]!));
  const add = next >= 0 && op.readers(node.outputs[0]!) === 1 ? graph.nodes[next]! : undefined;
  const biasName = add?.inputs.find((n) => n !== node.outputs[0]);
  const biasValue = biasName === undefined ? undefined : op.lookup(biasName);
  if (add && biasValue?.kind === 'const' && biasValue.values.length === outF) {
    dense(op, x, w.values, inF, outF, Array.from(biasValue.values));
    op.define(add.outputs[0]!, op.lookup(node.outputs[0]!)!);
    op.skip(next);
    return;
  }
  dense(op, x, w.values, inF, outF, undefined);
}

export const GEMM_OPS = { Gemm: gemm, MatMul: matMul } satisfies OnnxOpTable;
