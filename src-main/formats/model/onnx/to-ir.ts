import { WorkbenchError, invalidData, unsupported } from '../../../common/errors';
import type { Graph } from '../../../common/ir/types';
import { IrBuilder } from '../common/ir-builder';
import { cancellingTransposes, readAsNhwc } from './layout';
import { decodeOnnx, type OnnxGraph, type OnnxModel, type OnnxNode } from './onnx-proto';
import { opContext, type ImportState } from './ops/context';
import type { OnnxOpHandler } from './ops/handler';
import { ONNX_OPS, onnxOpHandler } from './ops/index';
import { emitQcfs } from './ops/qcfs';
import type { Value } from './ops/values';
import { findQcfs, type ConstLookup, type QcfsMatch } from './qcfs-pattern';

export { ONNX_OPS } from './ops/index';

/**
 * ONNX → graph IR: one pass over the nodes in order, each converted by the handler of its op
 * type (ops/index.ts). ONNX tensors are NCHW and the IR is NHWC (see ops/values.ts): convolution
 * weights move from OIHW to HWIO, and a dense layer after a flatten gets its rows reordered from
 * C·H·W to H·W·C order. Constant subgraphs (shape arithmetic for Reshape) are folded with the
 * batch size taken as 1. Before the pass, the QCFS patterns are found (qcfs-pattern.ts), and the
 * layout of a tf2onnx export's NHWC input and its transposes that cancel (layout.ts).
 */
export function importOnnx(bytes: Uint8Array, source: string): Graph {
  const model = decodeOnnx(bytes, source);
  return onnxToIr(model, source);
}

export function onnxToIr(model: OnnxModel, source: string): Graph {
  const { graph } = model;
  const unknown = graph.nodes.filter((n) => onnxOpHandler(n.opType) === undefined || (n.domain !== '' && n.domain !== 'ai.onnx'));
  if (unknown.length > 0) {
    throw unsupported(
      `${source}: unsupported ONNX ops: ${unknown.map((n) => `node '${n.name}' (${n.domain ? `${n.domain}.` : ''}${n.opType})`).join(', ')}. Supported: ${ONNX_OPS.join(', ')}`,
    );
  }

  const values = new Map<string, Value>();
  for (const [name, t] of graph.initializers) values.set(name, { kind: 'const', dims: t.dims, values: t.values });
  const constOf: ConstLookup = (name) => {
    const v = values.get(name) ?? constantNodeValue(graph.nodes, name);
    return v?.kind === 'const' ? Array.from(v.values) : undefined;
  };
  const input = graphInput(graph, values, constOf, source);
  const b = new IrBuilder(input.name);

  const inQcfs = new Map<number, QcfsMatch>();
  for (const m of findQcfs(graph, constOf)) for (const i of m.nodes) inQcfs.set(i, m);
  const consumers = new Map<string, number>();
  for (const n of graph.nodes) for (const i of n.inputs) consumers.set(i, (consumers.get(i) ?? 0) + 1);

  const problems: string[] = [];
  const { aliases: cancelled, unused } = cancellingTransposes(graph);
  const state: ImportState = { graph, b, values, consumers, skip: new Set<number>(unused) };
  const attempt = (node: OnnxNode, index: number, handle: OnnxOpHandler): void => {
    try {
      handle(opContext(state, node, index));
    } catch (error) {
      if (!(error instanceof WorkbenchError)) throw error;
      problems.push(error.message);
    }
  };
  graph.nodes.forEach((node, index) => {
    if (state.skip.has(index)) return;
    const match = inQcfs.get(index);
    if (match !== undefined) {
      if (index === match.first) attempt(node, index, (op) => emitQcfs(op, match));
      return;
    }
    const alias = cancelled.get(index);
    if (alias !== undefined) {
      const v = values.get(alias);
      if (v !== undefined) values.set(node.outputs[0]!, v);
      return;
    }
    if (node.inputs.some((i) => i !== '' && !values.has(i))) return; // fed by a node that failed
    attempt(node, index, onnxOpHandler(node.opType) ?? notSupported);
  });
  if (problems.length > 0) throw unsupported(`${source}: ${problems.length} node(s) cannot be imported: ${problems.join('; ')}`);

  const outputs = graph.outputs.map((o) => o.name);
  if (outputs.length !== 1) throw unsupported(`${source}: the graph has ${outputs.length} outputs; the importer reads single-output models`);
  const out = values.get(outputs[0]!);
  if (out === undefined || out.kind === 'const') throw invalidData(`${source}: graph output '${outputs[0]}' is not computed from the input`);
  if (out.kind === 'flat' && out.chw !== undefined) {
    throw unsupported(`${source}: the output is a flattened feature map; its element order would differ from ONNX's`);
  }
  return b.build({ name: graph.name || source.split(/[\\/]/).pop()!, inputShape: input.shape, output: out.ir });
}

const notSupported: OnnxOpHandler = (op) => {
  throw op.unsupported('not supported');
};

/** The one graph input (not an initializer), entered into `values`, with its IR shape. */
function graphInput(graph: OnnxGraph, values: Map<string, Value>, constOf: ConstLookup, source: string): { name: string; shape: number[] } {
  const inputs = graph.inputs.filter((i) => !graph.initializers.has(i.name));
  if (inputs.length !== 1) {
    throw unsupported(`${source}: the graph has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); the importer reads single-input models`);
  }
  const input = inputs[0]!;
  const dims = input.shape;
  if (dims?.length === 4 && dims.slice(1).every((d) => d !== undefined && d > 0)) {
    const nhwc = readAsNhwc(graph.nodes, input.name, dims as number[], constOf);
    const [, d1, d2, d3] = dims as number[];
    const [c, h, w] = nhwc ? [d3!, d1!, d2!] : [d1!, d2!, d3!];
    values.set(input.name, { kind: nhwc ? 'nhwc' : 'map', ir: input.name, c, h, w });
    return { name: input.name, shape: [h, w, c] };
  }
  if (dims?.length === 2 && dims[1] !== undefined && dims[1] > 0) {
    values.set(input.name, { kind: 'flat', ir: input.name, f: dims[1] });
    return { name: input.name, shape: [dims[1]] };
  }
  throw unsupported(`${source}: input '${input.name}' has shape [${(dims ?? []).map((d) => d ?? '?').join(', ')}]; the importer needs [N, C, H, W] or [N, F] with known C, H, W, F`);
}

/** The value of a Constant node's output, for pattern matching before the main pass. */
function constantNodeValue(nodes: readonly OnnxNode[], name: string): { kind: 'const'; values: Float64Array } | undefined {
  const node = nodes.find((n) => n.opType === 'Constant' && n.outputs[0] === name);
  const t = node?.attributes.get('value')?.t;
  if (t !== undefined) return { kind: 'const', values: t.values };
  const f = node?.attributes.get('value_float')?.f;
  return f === undefined ? undefined : { kind: 'const', values: Float64Array.of(f) };
}
