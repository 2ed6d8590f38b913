import { WorkbenchError, invalidData, unsupported } from '../../../common/errors';
import type { Graph, Pads } from '../../../common/ir/types';
import { IrBuilder, chwRowsToHwc, oihwToHwio, samePadding } from '../common/ir-builder';
import { decodeOnnx, type OnnxModel, type OnnxNode } from './onnx-proto';
import { findQcfs, type QcfsMatch } from './qcfs-pattern';

/**
 * ONNX → graph IR. ONNX tensors are NCHW; the IR is NHWC, so feature maps are tracked with their
 * channel-first shape and stored channel-last, convolution weights move from OIHW to HWIO, and a
 * dense layer after a flatten gets its rows reordered from C·H·W to H·W·C order. Constant
 * subgraphs (shape arithmetic for Reshape) are folded with the batch size taken as 1.
 */
export const ONNX_OPS = [
  'Conv', 'Gemm', 'MatMul', 'Relu', 'Clip', 'LeakyRelu', 'BatchNormalization', 'MaxPool', 'AveragePool',
  'GlobalAveragePool', 'Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Add', 'Sub', 'Mul', 'Div', 'Sum', 'Concat',
  'Dropout', 'Identity', 'Softmax', 'Pad', 'Constant', 'Shape', 'Gather', 'Cast', 'Floor (in the QCFS pattern)',
] as const;

const HANDLED = new Set(ONNX_OPS.map((op) => op.split(' ')[0]!));

type Value =
  | { readonly kind: 'const'; readonly dims: readonly number[]; readonly values: Float64Array }
  /** An [N, C, H, W] feature map, stored in the IR as [H, W, C]. */
  | { readonly kind: 'map'; readonly ir: string; readonly c: number; readonly h: number; readonly w: number }
  /** An [N, F] vector; `chw` when it is a flattened C×H×W map (source order C, H, W). */
  | { readonly kind: 'flat'; readonly ir: string; readonly f: number; readonly chw?: { c: number; h: number; w: number } };

export function importOnnx(bytes: Uint8Array, source: string): Graph {
  const model = decodeOnnx(bytes, source);
  return onnxToIr(model, source);
}

export function onnxToIr(model: OnnxModel, source: string): Graph {
  const { graph } = model;
  const unknown = graph.nodes.filter((n) => !HANDLED.has(n.opType) || (n.domain !== '' && n.domain !== 'ai.onnx'));
  if (unknown.length > 0) {
    throw unsupported(
      `${source}: unsupported ONNX ops: ${unknown.map((n) => `node '${n.name}' (${n.domain ? `${n.domain}.` : ''}${n.opType})`).join(', ')}. Supported: ${ONNX_OPS.join(', ')}`,
    );
  }

  const values = new Map<string, Value>();
  for (const [name, t] of graph.initializers) values.set(name, { kind: 'const', dims: t.dims, values: t.values });
  const inputs = graph.inputs.filter((i) => !graph.initializers.has(i.name));
  if (inputs.length !== 1) {
    throw unsupported(`${source}: the graph has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); the importer reads single-input models`);
  }
  const input = inputs[0]!;
  const dims = input.shape;
  const b = new IrBuilder(input.name);
  let inputShape: number[];
  if (dims?.length === 4 && dims.slice(1).every((d) => d !== undefined && d > 0)) {
    const [, c, h, w] = dims as number[];
    values.set(input.name, { kind: 'map', ir: input.name, c: c!, h: h!, w: w! });
    inputShape = [h!, w!, c!];
  } else if (dims?.length === 2 && dims[1] !== undefined && dims[1] > 0) {
    values.set(input.name, { kind: 'flat', ir: input.name, f: dims[1] });
    inputShape = [dims[1]];
  } else {
    throw unsupported(`${source}: input '${input.name}' has shape [${(dims ?? []).map((d) => d ?? '?').join(', ')}]; the importer needs [N, C, H, W] or [N, F] with known C, H, W, F`);
  }

  const constOf = (name: string): readonly number[] | undefined => {
    const v = values.get(name) ?? constantNodeValue(graph.nodes, name);
    return v?.kind === 'const' ? Array.from(v.values) : undefined;
  };
  const qcfs = findQcfs(graph, constOf);
  const inQcfs = new Map<number, QcfsMatch>();
  for (const m of qcfs) for (const i of m.nodes) inQcfs.set(i, m);
  const consumers = new Map<string, number>();
  for (const n of graph.nodes) for (const i of n.inputs) consumers.set(i, (consumers.get(i) ?? 0) + 1);

  const problems: string[] = [];
  const skip = new Set<number>();
  graph.nodes.forEach((node, index) => {
    if (skip.has(index)) return;
    const match = inQcfs.get(index);
    if (match !== undefined) {
      if (index === match.first) emitQcfs(match, node);
      return;
    }
    if (node.inputs.some((i) => i !== '' && !values.has(i))) return; // fed by a node that failed
    try {
      convertNode(node, index);
    } catch (error) {
      if (!(error instanceof WorkbenchError)) throw error;
      problems.push(error.message);
    }
  });
  if (problems.length > 0) throw unsupported(`${source}: ${problems.length} node(s) cannot be imported: ${problems.join('; ')}`);

  const outputs = graph.outputs.map((o) => o.name);
  if (outputs.length !== 1) throw unsupported(`${source}: the graph has ${outputs.length} outputs; the importer reads single-output models`);
  const out = values.get(outputs[0]!);
  if (out === undefined || out.kind === 'const') throw invalidData(`${source}: graph output '${outputs[0]}' is not computed from the input`);
  if (out.kind === 'flat' && out.chw !== undefined) {
    throw unsupported(`${source}: the output is a flattened feature map; its element order would differ from ONNX's`);
  }
  return b.build({ name: graph.name || source.split(/[\\/]/).pop()!, inputShape, output: out.ir });

  // --- helpers ---------------------------------------------------------------------------

  function where(node: OnnxNode): string {
    return `node '${node.name}' (${node.opType})`;
  }

  function get(node: OnnxNode, i: number): Value {
    const name = node.inputs[i];
    const v = name === undefined || name === '' ? undefined : values.get(name);
    if (v === undefined) throw invalidData(`${where(node)}: input ${i} '${name ?? ''}' is not defined`);
    return v;
  }

  function optionalConst(node: OnnxNode, i: number): Float64Array | undefined {
    const name = node.inputs[i];
    if (name === undefined || name === '') return undefined;
    const v = get(node, i);
    if (v.kind !== 'const') throw unsupported(`${where(node)}: input ${i} must be a constant`);
    return v.values;
  }

  function constInput(node: OnnxNode, i: number): { dims: readonly number[]; values: Float64Array } {
    const v = get(node, i);
    if (v.kind !== 'const') throw unsupported(`${where(node)}: input ${i} ('${node.inputs[i]}') must be a constant (weights or a folded shape)`);
    return v;
  }

  function data(node: OnnxNode, i = 0): Exclude<Value, { kind: 'const' }> {
    const v = get(node, i);
    if (v.kind === 'const') throw unsupported(`${where(node)}: input ${i} is a constant, expected data`);
    return v;
  }

  function ints(node: OnnxNode, name: string, fallback: number[]): number[] {
    const a = node.attributes.get(name);
    return a === undefined ? fallback : [...a.ints];
  }

  function int(node: OnnxNode, name: string, fallback: number): number {
    return node.attributes.get(name)?.i ?? fallback;
  }

  function float(node: OnnxNode, name: string, fallback: number): number {
    return node.attributes.get(name)?.f ?? fallback;
  }

  function set(node: OnnxNode, v: Value): void {
    values.set(node.outputs[0]!, v);
  }

  function like(v: Exclude<Value, { kind: 'const' }>, ir: string): Value {
    return { ...v, ir };
  }

  /** Spatial pads [top, bottom, left, right] from ONNX pads [t, l, b, r] or auto_pad. */
  function windowPads(node: OnnxNode, m: { h: number; w: number }, kernel: [number, number], strides: [number, number], dilations: [number, number]): Pads {
    const auto = node.attributes.get('auto_pad')?.s ?? 'NOTSET';
    if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
      const upper = auto === 'SAME_UPPER';
      const [t, bot] = samePadding(m.h, kernel[0], strides[0], dilations[0], upper);
      const [l, r] = samePadding(m.w, kernel[1], strides[1], dilations[1], upper);
      return [t, bot, l, r];
    }
    if (auto === 'VALID') return [0, 0, 0, 0];
    if (auto !== 'NOTSET') throw unsupported(`${where(node)}: auto_pad '${auto}'`);
    const p = ints(node, 'pads', [0, 0, 0, 0]);
    if (p.length !== 4) throw unsupported(`${where(node)}: ${p.length / 2}-D pads; only 2-D windows are supported`);
    return [p[0]!, p[2]!, p[1]!, p[3]!];
  }

  function emitQcfs(match: QcfsMatch, node: OnnxNode): void {
    const x = values.get(match.source);
    if (x === undefined || x.kind === 'const') {
      problems.push(`${where(node)}: the QCFS activation reads '${match.source}', which is not data`);
      return;
    }
    const channels = x.kind === 'map' ? x.c : x.f;
    if (match.lambda.length !== 1 && match.lambda.length !== channels) {
      problems.push(`${where(node)}: QCFS λ has ${match.lambda.length} values for ${channels} channels`);
      return;
    }
    const name = b.unique(`${node.name}_qcfs`);
    const lambda = b.weight(`${name}/lambda`, [match.lambda.length], match.lambda);
    b.add({ name, op: 'qcfs', inputs: [x.ir], lambda, levels: match.levels });
    values.set(match.output, like(x, name));
  }

  function perChannel(node: OnnxNode, v: Exclude<Value, { kind: 'const' }>, k: { dims: readonly number[]; values: Float64Array }): number[] {
    const channels = v.kind === 'map' ? v.c : v.f;
    if (k.values.length === 1) return new Array<number>(channels).fill(k.values[0]!);
    const significant = k.dims.filter((d) => d !== 1);
    const okMap = v.kind === 'map' && k.values.length === channels && (k.dims.length === 3 || k.dims.length === 4) && k.dims[k.dims.length - 3] === channels;
    const okFlat = v.kind === 'flat' && k.values.length === channels && significant.length === 1;
    if (!okMap && !okFlat) throw unsupported(`${where(node)}: constant of shape [${k.dims.join(', ')}] is not a scalar or per-channel value for this input`);
    return Array.from(k.values);
  }

  /** y = s·x + t per channel, as an affine batch-norm node (mean 0, variance 1, ε 0). */
  function affine(node: OnnxNode, v: Exclude<Value, { kind: 'const' }>, s: number[], t: number[]): void {
    const name = b.unique(node.name);
    const c = s.length;
    b.add({
      name, op: 'batchNorm', inputs: [v.ir], epsilon: 0,
      gamma: b.weight(`${name}/scale`, [c], s), beta: b.weight(`${name}/shift`, [c], t),
      mean: b.weight(`${name}/mean`, [c], new Array<number>(c).fill(0)), variance: b.weight(`${name}/variance`, [c], new Array<number>(c).fill(1)),
    });
    set(node, like(v, name));
  }

  function dense(node: OnnxNode, x: Value, kernel: Float64Array, inF: number, outF: number, bias: number[] | undefined): void {
    if (x.kind !== 'flat') throw unsupported(`${where(node)}: needs a flat [N, F] input, got a feature map (flatten it first)`);
    if (x.f !== inF) throw invalidData(`${where(node)}: weights take ${inF} inputs, the input has ${x.f}`);
    const rows = x.chw ? chwRowsToHwc(kernel, x.chw.c, x.chw.h, x.chw.w, outF) : Float32Array.from(kernel);
    const name = b.unique(node.name);
    b.add({
      name, op: 'dense', inputs: [x.ir], kernel: b.weight(`${name}/kernel`, [inF, outF], rows),
      ...(bias ? { bias: b.weight(`${name}/bias`, [outF], bias) } : {}),
    });
    set(node, { kind: 'flat', ir: name, f: outF });
  }

  function flatten(node: OnnxNode, x: Exclude<Value, { kind: 'const' }>): void {
    if (x.kind === 'flat') {
      set(node, x);
      return;
    }
    const name = b.unique(node.name);
    b.add({ name, op: 'flatten', inputs: [x.ir] });
    const f = x.c * x.h * x.w;
    set(node, x.c > 1 && x.h * x.w > 1 ? { kind: 'flat', ir: name, f, chw: { c: x.c, h: x.h, w: x.w } } : { kind: 'flat', ir: name, f });
  }

  function convertNode(node: OnnxNode, index: number): void {
    switch (node.opType) {
      case 'Constant': {
        const t = node.attributes.get('value')?.t;
        const f = node.attributes.get('value_float')?.f;
        const i = node.attributes.get('value_int')?.i;
        const fs = node.attributes.get('value_floats')?.floats;
        const is = node.attributes.get('value_ints')?.ints;
        if (t) set(node, { kind: 'const', dims: t.dims, values: t.values });
        else if (f !== undefined) set(node, { kind: 'const', dims: [], values: Float64Array.of(f) });
        else if (i !== undefined) set(node, { kind: 'const', dims: [], values: Float64Array.of(i) });
        else if (fs?.length || is?.length) {
          const list = fs?.length ? fs : is!;
          set(node, { kind: 'const', dims: [list.length], values: Float64Array.from(list) });
        } else throw unsupported(`${where(node)}: constant without a value`);
        return;
      }
      case 'Identity':
      case 'Dropout':
        values.set(node.outputs[0]!, get(node, 0));
        return;
      case 'Cast': {
        const v = get(node, 0);
        values.set(node.outputs[0]!, v);
        return;
      }
      case 'Shape': {
        const v = get(node, 0);
        const shape = v.kind === 'const' ? v.dims : v.kind === 'map' ? [1, v.c, v.h, v.w] : [1, v.f];
        set(node, { kind: 'const', dims: [shape.length], values: Float64Array.from(shape) });
        return;
      }
      case 'Gather': {
        const v = constInput(node, 0);
        const idx = constInput(node, 1);
        if (int(node, 'axis', 0) !== 0 || v.dims.length !== 1) throw unsupported(`${where(node)}: only gathers from a 1-D constant fold`);
        const picked = Array.from(idx.values, (i) => v.values[i < 0 ? i + v.values.length : i]!);
        set(node, { kind: 'const', dims: idx.dims, values: Float64Array.from(picked) });
        return;
      }
      case 'Unsqueeze':
      case 'Squeeze': {
        const v = get(node, 0);
        if (v.kind === 'const') {
          set(node, { kind: 'const', dims: v.values.length === 1 && node.opType === 'Unsqueeze' ? [1] : [v.values.length], values: v.values });
          return;
        }
        if (node.opType === 'Squeeze' && v.kind === 'map' && v.h === 1 && v.w === 1) {
          flatten(node, v);
          return;
        }
        if (v.kind === 'flat' && node.opType === 'Squeeze') {
          set(node, v);
          return;
        }
        throw unsupported(`${where(node)}: only squeezing the 1×1 spatial axes of a feature map is supported`);
      }
      case 'Conv': {
        const x = data(node);
        if (x.kind !== 'map') throw unsupported(`${where(node)}: needs an [N, C, H, W] input`);
        const w = constInput(node, 1);
        const [o, i, kh, kw] = w.dims as [number, number, number, number];
        if (w.dims.length !== 4) throw unsupported(`${where(node)}: ${w.dims.length - 2}-D convolution; only 2-D is supported`);
        const groups = int(node, 'group', 1);
        const strides = ints(node, 'strides', [1, 1]) as [number, number];
        const dilations = ints(node, 'dilations', [1, 1]) as [number, number];
        if (i * groups !== x.c) throw invalidData(`${where(node)}: weights expect ${i * groups} input channels, the input has ${x.c}`);
        const pads = windowPads(node, x, [kh, kw], strides, dilations);
        const bias = optionalConst(node, 2);
        const name = b.unique(node.name);
        b.add({
          name, op: 'conv2d', inputs: [x.ir], kernel: b.weight(`${name}/kernel`, [kh, kw, i, o], oihwToHwio(w.values, o, i, kh, kw)),
          ...(bias ? { bias: b.weight(`${name}/bias`, [o], bias) } : {}),
          strides, pads, dilations, groups,
        });
        const oh = Math.floor((x.h + pads[0] + pads[1] - dilations[0] * (kh - 1) - 1) / strides[0]) + 1;
        const ow = Math.floor((x.w + pads[2] + pads[3] - dilations[1] * (kw - 1) - 1) / strides[1]) + 1;
        set(node, { kind: 'map', ir: name, c: o, h: oh, w: ow });
        return;
      }
      case 'Gemm': {
        const x = data(node);
        if (int(node, 'transA', 0) !== 0) throw unsupported(`${where(node)}: transA = 1`);
        const w = constInput(node, 1);
        const alpha = float(node, 'alpha', 1);
        const beta = float(node, 'beta', 1);
        const transB = int(node, 'transB', 0) === 1;
        const [r, c] = w.dims as [number, number];
        const inF = transB ? c : r;
        const outF = transB ? r : c;
        const kernel = new Float64Array(inF * outF);
        for (let a = 0; a < inF; a++) for (let o = 0; o < outF; o++) kernel[a * outF + o] = alpha * w.values[transB ? o * c + a : a * c + o]!;
        const cBias = optionalConst(node, 2);
        let bias: number[] | undefined;
        if (cBias) {
          if (cBias.length !== 1 && cBias.length !== outF) throw unsupported(`${where(node)}: bias of ${cBias.length} values for ${outF} outputs`);
          bias = Array.from({ length: outF }, (_, o) => beta * cBias[cBias.length === 1 ? 0 : o]!);
        }
        dense(node, x, kernel, inF, outF, bias);
        return;
      }
      case 'MatMul': {
        const x = data(node);
        const w = constInput(node, 1);
        if (w.dims.length !== 2) throw unsupported(`${where(node)}: the weight operand must be 2-D, got [${w.dims.join(', ')}]`);
        const [inF, outF] = w.dims as [number, number];
        // MatMul followed only by Add of a bias vector: one dense layer with a bias.
        const next = graph.nodes.findIndex((n, j) => j > index && n.opType === 'Add' && n.inputs.includes(node.outputs[0]!));
        const add = next >= 0 && consumers.get(node.outputs[0]!) === 1 ? graph.nodes[next]! : undefined;
        const biasName = add?.inputs.find((n) => n !== node.outputs[0]);
        const biasValue = biasName === undefined ? undefined : values.get(biasName);
        if (add && biasValue?.kind === 'const' && biasValue.values.length === outF) {
          dense(node, x, w.values, inF, outF, Array.from(biasValue.values));
          values.set(add.outputs[0]!, values.get(node.outputs[0]!)!);
          skip.add(next);
          return;
        }
        dense(node, x, w.values, inF, outF, undefined);
        return;
      }
      case 'Relu': {
        const x = data(node);
        const name = b.unique(node.name);
        b.add({ name, op: 'relu', inputs: [x.ir] });
        set(node, like(x, name));
        return;
      }
      case 'LeakyRelu': {
        const x = data(node);
        const name = b.unique(node.name);
        b.add({ name, op: 'leakyRelu', inputs: [x.ir], alpha: float(node, 'alpha', 0.01) });
        set(node, like(x, name));
        return;
      }
      case 'Clip': {
        const x = data(node);
        // opset < 11: min/max attributes; from 11 on: optional constant inputs
        const lo = node.attributes.get('min')?.f ?? optionalConst(node, 1)?.[0] ?? -Infinity;
        const hi = node.attributes.get('max')?.f ?? optionalConst(node, 2)?.[0] ?? Infinity;
        const name = b.unique(node.name);
        if (lo === 0 && hi === Infinity) b.add({ name, op: 'relu', inputs: [x.ir] });
        else b.add({ name, op: 'clip', inputs: [x.ir], min: lo, max: hi });
        set(node, like(x, name));
        return;
      }
      case 'BatchNormalization': {
        const x = data(node);
        const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => constInput(node, i).values);
        const name = b.unique(node.name);
        const c = scale!.length;
        b.add({
          name, op: 'batchNorm', inputs: [x.ir], epsilon: float(node, 'epsilon', 1e-5),
          gamma: b.weight(`${name}/gamma`, [c], scale!), beta: b.weight(`${name}/beta`, [c], bias!),
          mean: b.weight(`${name}/mean`, [c], mean!), variance: b.weight(`${name}/variance`, [c], variance!),
        });
        set(node, like(x, name));
        return;
      }
      case 'MaxPool':
      case 'AveragePool': {
        const x = data(node);
        if (x.kind !== 'map') throw unsupported(`${where(node)}: needs an [N, C, H, W] input`);
        const kernel = ints(node, 'kernel_shape', []) as [number, number];
        if (kernel.length !== 2) throw unsupported(`${where(node)}: ${kernel.length}-D pooling; only 2-D is supported`);
        const strides = ints(node, 'strides', [1, 1]) as [number, number];
        if (ints(node, 'dilations', [1, 1]).some((d) => d !== 1)) throw unsupported(`${where(node)}: dilated pooling`);
        const pads = windowPads(node, x, kernel, strides, [1, 1]);
        const floorH = Math.floor((x.h + pads[0] + pads[1] - kernel[0]) / strides[0]) + 1;
        const floorW = Math.floor((x.w + pads[2] + pads[3] - kernel[1]) / strides[1]) + 1;
        if (int(node, 'ceil_mode', 0) === 1) {
          const ceilH = Math.ceil((x.h + pads[0] + pads[1] - kernel[0]) / strides[0]) + 1;
          const ceilW = Math.ceil((x.w + pads[2] + pads[3] - kernel[1]) / strides[1]) + 1;
          if (ceilH !== floorH || ceilW !== floorW) throw unsupported(`${where(node)}: ceil_mode = 1 changes the output size here`);
        }
        const name = b.unique(node.name);
        b.add({
          name, op: node.opType === 'MaxPool' ? 'maxPool' : 'avgPool', inputs: [x.ir], size: kernel, strides, pads,
          countIncludePad: int(node, 'count_include_pad', 0) === 1,
        });
        set(node, { kind: 'map', ir: name, c: x.c, h: floorH, w: floorW });
        return;
      }
      case 'GlobalAveragePool': {
        const x = data(node);
        if (x.kind !== 'map') throw unsupported(`${where(node)}: needs an [N, C, H, W] input`);
        const name = b.unique(node.name);
        b.add({ name, op: 'globalAvgPool', inputs: [x.ir] });
        // ONNX keeps [N, C, 1, 1]; the IR holds [C]. A later Flatten or Reshape is the identity.
        set(node, { kind: 'flat', ir: name, f: x.c });
        return;
      }
      case 'Flatten': {
        if (int(node, 'axis', 1) !== 1) throw unsupported(`${where(node)}: axis ${int(node, 'axis', 1)}; only axis 1 is supported`);
        flatten(node, data(node));
        return;
      }
      case 'Reshape': {
        const v = get(node, 0);
        const target = Array.from(constInput(node, 1).values);
        if (v.kind === 'const') {
          // 0 copies the input's dimension, −1 takes what is left
          const explicit = target.map((d, i) => (d === 0 ? v.dims[i]! : d));
          const known = explicit.filter((d) => d !== -1).reduce((a, d) => a * d, 1);
          set(node, { kind: 'const', dims: explicit.map((d) => (d === -1 ? v.values.length / known : d)), values: v.values });
          return;
        }
        const size = v.kind === 'map' ? v.c * v.h * v.w : v.f;
        const isFlatten = target.length === 2 && (target[1] === size || target[1] === -1 || (target[0] === -1 && target[1] === size)) && (target[0] === 1 || target[0] === -1 || target[0] === 0);
        if (!isFlatten) throw unsupported(`${where(node)}: reshape to [${target.join(', ')}]; only flattening to [N, ${size}] is supported`);
        flatten(node, v);
        return;
      }
      case 'Add':
      case 'Sum':
      case 'Sub':
      case 'Mul':
      case 'Div': {
        const operands = node.inputs.map((_, i) => get(node, i));
        const dataOperands = operands.filter((o) => o.kind !== 'const') as Exclude<Value, { kind: 'const' }>[];
        if (dataOperands.length === 0) {
          set(node, foldConst(node, operands as Extract<Value, { kind: 'const' }>[]));
          return;
        }
        if ((node.opType === 'Add' || node.opType === 'Sum') && dataOperands.length === operands.length) {
          const first = dataOperands[0]!;
          for (const o of dataOperands) {
            const same = o.kind === first.kind && (o.kind === 'map' ? first.kind === 'map' && o.c === first.c && o.h === first.h && o.w === first.w : first.kind === 'flat' && o.f === first.f && !o.chw === !first.chw);
            if (!same) throw unsupported(`${where(node)}: operands of different shapes`);
          }
          const name = b.unique(node.name);
          b.add({ name, op: 'add', inputs: dataOperands.map((o) => o.ir) });
          set(node, like(first, name));
          return;
        }
        if (operands.length !== 2 || dataOperands.length !== 1) throw unsupported(`${where(node)}: ${node.opType} of two data tensors`);
        const x = dataOperands[0]!;
        const constFirst = operands[0]!.kind === 'const';
        const k = perChannel(node, x, (constFirst ? operands[0] : operands[1]) as Extract<Value, { kind: 'const' }>);
        const zeros = k.map(() => 0);
        const ones = k.map(() => 1);
        switch (node.opType) {
          case 'Mul':
            return affine(node, x, k, zeros);
          case 'Div':
            if (constFirst) throw unsupported(`${where(node)}: dividing a constant by data`);
            return affine(node, x, k.map((v) => 1 / v), zeros);
          case 'Sub':
            return constFirst ? affine(node, x, k.map(() => -1), k) : affine(node, x, ones, k.map((v) => -v));
          default:
            return affine(node, x, ones, k);
        }
      }
      case 'Concat': {
        const parts = node.inputs.map((_, i) => get(node, i));
        if (parts.every((p) => p.kind === 'const')) {
          const all = parts as Extract<Value, { kind: 'const' }>[];
          set(node, { kind: 'const', dims: [all.reduce((a, p) => a + p.values.length, 0)], values: Float64Array.from(all.flatMap((p) => Array.from(p.values))) });
          return;
        }
        const axis = int(node, 'axis', 1);
        const first = parts[0]!;
        if (first.kind === 'const' || parts.some((p) => p.kind !== first.kind)) throw unsupported(`${where(node)}: concatenating constants with data, or maps with vectors`);
        if (axis !== 1 && !(first.kind === 'flat' && axis === -1) && !(first.kind === 'map' && axis === -3)) throw unsupported(`${where(node)}: concatenation along axis ${axis}; only channels (axis 1) are supported`);
        const name = b.unique(node.name);
        b.add({ name, op: 'concat', inputs: parts.map((p) => (p as Exclude<Value, { kind: 'const' }>).ir) });
        if (first.kind === 'map') {
          const maps = parts as Extract<Value, { kind: 'map' }>[];
          set(node, { kind: 'map', ir: name, c: maps.reduce((a, m) => a + m.c, 0), h: first.h, w: first.w });
        } else {
          const flats = parts as Extract<Value, { kind: 'flat' }>[];
          if (flats.some((f) => f.chw)) throw unsupported(`${where(node)}: concatenating flattened feature maps`);
          set(node, { kind: 'flat', ir: name, f: flats.reduce((a, f) => a + f.f, 0) });
        }
        return;
      }
      case 'Softmax': {
        const x = data(node);
        if (x.kind !== 'flat') throw unsupported(`${where(node)}: softmax over a feature map`);
        const name = b.unique(node.name);
        b.add({ name, op: 'softmax', inputs: [x.ir] });
        set(node, like(x, name));
        return;
      }
      case 'Pad': {
        const x = data(node);
        if (x.kind !== 'map') throw unsupported(`${where(node)}: padding a vector`);
        const mode = node.attributes.get('mode')?.s ?? 'constant';
        const p = node.attributes.has('pads') ? ints(node, 'pads', []) : Array.from(constInput(node, 1).values);
        const value = node.attributes.get('value')?.f ?? optionalConst(node, 2)?.[0] ?? 0;
        if (mode !== 'constant' || value !== 0) throw unsupported(`${where(node)}: ${mode} padding with value ${value}; only zero padding is supported`);
        if (p.length !== 8 || p[0] !== 0 || p[1] !== 0 || p[4] !== 0 || p[5] !== 0) throw unsupported(`${where(node)}: pads [${p.join(', ')}] touch the batch or channel axes`);
        const pads: Pads = [p[2]!, p[6]!, p[3]!, p[7]!];
        const name = b.unique(node.name);
        b.add({ name, op: 'pad', inputs: [x.ir], pads });
        set(node, { kind: 'map', ir: name, c: x.c, h: x.h + pads[0] + pads[1], w: x.w + pads[2] + pads[3] });
        return;
      }
      case 'Floor':
        throw unsupported(`${where(node)}: Floor outside a recognised QCFS activation λ·clip(floor(x·L/λ + 1/2)/L, 0, 1)`);
      default:
        throw unsupported(`${where(node)}: not supported`);
    }
  }

  function foldConst(node: OnnxNode, operands: Extract<Value, { kind: 'const' }>[]): Value {
    const [x, y] = operands as [Extract<Value, { kind: 'const' }>, Extract<Value, { kind: 'const' }>];
    const n = Math.max(x.values.length, y.values.length);
    if (operands.length !== 2 || (x.values.length !== n && x.values.length !== 1) || (y.values.length !== n && y.values.length !== 1)) {
      throw unsupported(`${where(node)}: constant arithmetic needs same-size or scalar operands`);
    }
    const f = { Add: (a: number, c: number) => a + c, Sum: (a: number, c: number) => a + c, Sub: (a: number, c: number) => a - c, Mul: (a: number, c: number) => a * c, Div: (a: number, c: number) => a / c }[node.opType as 'Add']!;
    const values = Float64Array.from({ length: n }, (_, i) => f(x.values[x.values.length === 1 ? 0 : i]!, y.values[y.values.length === 1 ? 0 : i]!));
    return { kind: 'const', dims: x.values.length >= y.values.length ? x.dims : y.dims, values };
  }
}

/** The value of a Constant node's output, for pattern matching before the main pass. */
function constantNodeValue(nodes: readonly OnnxNode[], name: string): { kind: 'const'; values: Float64Array } | undefined {
  const node = nodes.find((n) => n.opType === 'Constant' && n.outputs[0] === name);
  const t = node?.attributes.get('value')?.t;
  if (t !== undefined) return { kind: 'const', values: t.values };
  const f = node?.attributes.get('value_float')?.f;
  return f === undefined ? undefined : { kind: 'const', values: Float64Array.of(f) };
}
