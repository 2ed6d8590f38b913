import type { WorkbenchError } from '../../../../common/errors';
import type { IrBuilder } from '../../common/ir-builder';
import type { OnnxAttribute, OnnxGraph, OnnxNode } from '../onnx-proto';
import type { ConstValue, DataValue, Value } from './values';

/** The ops the importer reads, as the "Supported:" list of its error message says them. */
export const ONNX_OPS = [
  'Conv', 'Gemm', 'MatMul', 'Relu', 'Clip', 'LeakyRelu', 'BatchNormalization', 'MaxPool', 'AveragePool',
  'GlobalAveragePool', 'Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Add', 'Sub', 'Mul', 'Div', 'Sum', 'Concat',
  'Dropout', 'Identity', 'Softmax', 'Pad', 'Constant', 'Shape', 'Gather', 'Cast', 'Floor (in the QCFS pattern)',
  'Transpose (NHWC ↔ NCHW, or pairs that cancel)',
] as const;

type OpName<S extends string> = S extends `${infer Op} (${string})` ? Op : S;
/** An ONNX op type with a handler: an entry of ONNX_OPS without its note. */
export type OnnxOpType = OpName<(typeof ONNX_OPS)[number]>;

/**
 * One node as its handler sees it: the node, its inputs as importer values, its attributes, and
 * the builder to add IR nodes to. Messages from `unsupported` and `invalid` start with `where`
 * (the node's name and op); the importer collects them and names the file once.
 */
export interface OnnxOpContext {
  readonly node: OnnxNode;
  /** The node's position in `graph.nodes`. */
  readonly index: number;
  readonly graph: OnnxGraph;
  readonly b: IrBuilder;
  /** `node 'NAME' (OP)`. */
  readonly where: string;
  /** Input i, which must be defined. */
  get(i: number): Value;
  /** Input i, which must be data (not a constant). */
  data(i?: number): DataValue;
  /** Input i, which must be a constant (weights or a folded shape). */
  constInput(i: number): ConstValue;
  /** Input i's values, when the input is given; it must then be a constant. */
  optionalConst(i: number): Float64Array | undefined;
  attribute(name: string): OnnxAttribute | undefined;
  ints(name: string, fallback: number[]): number[];
  int(name: string, fallback: number): number;
  float(name: string, fallback: number): number;
  /** Defines the node's (first) output. */
  set(v: Value): void;
  /** Any tensor's value so far, for handlers that look past their own node. */
  lookup(name: string): Value | undefined;
  define(name: string, v: Value): void;
  /** How many node inputs read the tensor. */
  readers(name: string): number;
  /** Marks a later node as taken care of by this one. */
  skip(index: number): void;
  unsupported(message: string): WorkbenchError;
  invalid(message: string): WorkbenchError;
}

/** Converts one node; failures are thrown as WorkbenchErrors from the context. */
export type OnnxOpHandler = (op: OnnxOpContext) => void;

/** A family's handlers, by op type. */
export type OnnxOpTable = { readonly [K in OnnxOpType]?: OnnxOpHandler };
