import { invalidData, unsupported } from '../../../common/errors';
import { buildGraph } from '../../../common/ir/graph';
import type { IrNode, Pads, WeightTensor } from '../../../common/ir/types';
import { NEURON_KINDS, parseThresholdMethod, RESET_MODES, V0_MODES, type NeuronKind, type ResetMode, type SnnSpec, type SpikingLayer, type V0Mode } from '../../../common/snn';
import type { ModelFile } from '../tppw-model';
import { hwcToChw } from './from-ir';
import { UNIT_GAIN, gainAt, isUnitGain, multiplyGains, reciprocalGain, sameGain, scaleGain, type Gain } from './gain';
import { isGroup, type H5Entry, type H5Group } from './tree';

/**
 * A NIR graph (neuromorphs/NIR, as nir.write stores it) as the workbench's graph IR and SNN
 * spec: a spiking network that is evaluated and diagnosed like a converted one. NCHW becomes
 * NHWC (see from-ir.ts), IF nodes become ReLU nodes with spiking layers, SumPool2d becomes
 * average pooling with its k² folded into the next weighted layer (or a scaling batch norm
 * where none follows), several edges into a node become an `add`. Every node type the IR cannot
 * hold (LIF, LI, CubaLIF, I, Delay, Threshold, Conv1d, nested graphs) is named at once. A NIR IF
 * spike is 1 and a workbench spike θ: the weights that read a spiking layer are divided by its θ
 * (per channel), and a Scale node's factor goes into the next weighted layer the same way (gain.ts).
 *
 * IF reset: NIR 1.0's IF subtracts θ after a spike (sinabs writes its IAF so); later NIR versions
 * add v_reset and reset to it. A file's metadata says the reset when this workbench wrote it;
 * otherwise an IF without v_reset subtracts, one with v_reset = 0 resets to zero.
 */
interface Tensor {
  /** The IR edge holding this tensor. */
  readonly name: string;
  /** Per-sample IR shape: [H, W, C] or [F]. */
  readonly shape: readonly number[];
  /** Per channel, what the IR tensor must be multiplied by to be the NIR one (gain.ts: k² of sum
   * pooling, 1/θ after a spiking layer, a Scale node), folded into the next weighted layer. */
  readonly scale: Gain;
  /** Set when this vector is an NHWC map the IR flattened (H·W·C order) where NIR flattened C·H·W. */
  readonly flattenedFrom?: readonly [number, number, number];
}

export function nirToModel(file: H5Group, source: string, fallbackName: string): ModelFile {
  const root = file.group['node'];
  if (!isGroup(root)) throw invalidData(`${source}: a NIR file needs a 'node' group (found ${Object.keys(file.group).join(', ') || 'nothing'})`);
  if (text(root.group['type']) !== 'NIRGraph') throw invalidData(`${source}: the root node is a ${text(root.group['type']) ?? 'node without a type'}, not a NIRGraph`);
  const nodesGroup = root.group['nodes'];
  if (!isGroup(nodesGroup)) throw invalidData(`${source}: the NIR graph has no 'nodes' group`);
  const nodes = new Map(Object.entries(nodesGroup.group).filter((e): e is [string, H5Group] => isGroup(e[1])));
  const edgeData = root.group['edges'];
  const edgeList = edgeData !== undefined && !isGroup(edgeData) && edgeData.dtype === 'str' ? edgeData.data : [];
  if (edgeList.length % 2 !== 0) throw invalidData(`${source}: 'edges' must be pairs (from, to)`);
  const edges: [string, string][] = [];
  for (let i = 0; i < edgeList.length; i += 2) {
    const [a, b] = [edgeList[i]!, edgeList[i + 1]!];
    for (const n of [a, b]) if (!nodes.has(n)) throw invalidData(`${source}: edge ${a} → ${b} names node '${n}', which the graph does not have`);
    edges.push([a, b]);
  }
  const graphMeta = metadataOf(root);
  const typeOf = (name: string): string => text(nodes.get(name)!.group['type']) ?? '';

  const unsupportedNodes = [...nodes].filter(([n]) => !SUPPORTED.has(typeOf(n))).map(([n]) => `'${n}' (${typeOf(n) || 'no type'})`);
  if (unsupportedNodes.length > 0) {
    throw unsupported(`${source}: NIR node${unsupportedNodes.length > 1 ? 's' : ''} ${unsupportedNodes.join(', ')} ${unsupportedNodes.length > 1 ? 'have' : 'has'} no form in the workbench's IR (it reads Input, Output, Conv2d, Affine, Linear, SumPool2d, AvgPool2d, Flatten, Scale and IF)`);
  }
  const inputs = [...nodes.keys()].filter((n) => typeOf(n) === 'Input');
  const outputs = [...nodes.keys()].filter((n) => typeOf(n) === 'Output');
  if (inputs.length !== 1 || outputs.length !== 1) throw unsupported(`${source}: the workbench reads NIR graphs with one Input and one Output node (found ${inputs.length} and ${outputs.length})`);
  const order = topological([...nodes.keys()], edges, source);
  const incoming = (name: string): string[] => edges.filter(([, b]) => b === name).map(([a]) => a);

  const irNodes: IrNode[] = [];
  const weights = new Map<string, WeightTensor>();
  const layers: SpikingLayer[] = [];
  const tensors = new Map<string, Tensor>();
  const used = new Set<string>();
  // Files this workbench wrote map the names HDF5 cannot hold ('/') back to the IR's.
  const renamed = parseNames(graphMeta['tppw_nodes']);
  const irName = (nir: string, suffix = ''): string => {
    const own = suffix === '' ? renamed[nir] : undefined;
    const base = `${typeof own === 'string' && own !== '' ? own : nir}${suffix}`;
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base}_${k}`;
    used.add(name);
    return name;
  };
  const weight = (name: string, shape: readonly number[], data: Float32Array): string => {
    weights.set(name, { shape, data });
    return name;
  };
  /** Applies a pending gain as a scaling batch norm, for consumers without weights. */
  const settle = (t: Tensor): Tensor => {
    if (isUnitGain(t.scale)) return t;
    const c = t.shape[t.shape.length - 1]!;
    // A flattened map's entry j (H·W·C order) is channel j mod C.
    const gamma = Float32Array.from({ length: c }, (_, j) => gainAt(t.scale, t.flattenedFrom ? j % t.flattenedFrom[2] : j));
    const name = irName(`${t.name}`, '_scale');
    irNodes.push({ op: 'batchNorm', name, inputs: [t.name], gamma: weight(`${name}/gamma`, [c], gamma), beta: weight(`${name}/beta`, [c], new Float32Array(c)), mean: weight(`${name}/mean`, [c], new Float32Array(c)), variance: weight(`${name}/variance`, [c], new Float32Array(c).fill(1)), epsilon: 0 });
    return { ...t, name, scale: UNIT_GAIN };
  };
  /** The input of a node: one tensor, or the sum of several (an `add`). */
  const inputOf = (name: string): Tensor => {
    const from = incoming(name).map((n) => tensors.get(n));
    if (from.length === 0 || from.some((t) => t === undefined)) throw invalidData(`${source}: node '${name}' has no input`);
    if (from.length === 1) return from[0]!;
    const settled = (from as Tensor[]).every((t) => sameGain(t.scale, from[0]!.scale)) ? (from as Tensor[]) : (from as Tensor[]).map(settle);
    const shape = settled[0]!.shape;
    if (settled.some((t) => t.shape.join() !== shape.join())) throw invalidData(`${source}: the inputs of '${name}' differ in shape (${settled.map((t) => `[${t.shape.join(', ')}]`).join(', ')})`);
    const sum = irName(name, '_sum');
    irNodes.push({ op: 'add', name: sum, inputs: settled.map((t) => t.name) });
    return { name: sum, shape, scale: settled[0]!.scale, ...(settled[0]!.flattenedFrom ? { flattenedFrom: settled[0]!.flattenedFrom } : {}) };
  };

  let inputSpec: { name: string; shape: number[] } | undefined;
  let output: string | undefined;
  for (const name of order) {
    const g = nodes.get(name)!.group;
    const where = `${source}: NIR node '${name}' (${typeOf(name)})`;
    switch (typeOf(name)) {
      case 'Input': {
        const shape = ints(g['shape'], `${where}: shape`);
        if (shape.length !== 3 && shape.length !== 1) throw unsupported(`${where}: input shape [${shape.join(', ')}]: the workbench reads [C, H, W] images and [F] vectors`);
        const irShape = shape.length === 3 ? [shape[1]!, shape[2]!, shape[0]!] : shape;
        inputSpec = { name: 'input', shape: irShape };
        used.add('input');
        tensors.set(name, { name: 'input', shape: irShape, scale: UNIT_GAIN });
        break;
      }
      case 'Conv2d': {
        const x = inputOf(name);
        if (x.shape.length !== 3) throw invalidData(`${where}: needs a [C, H, W] input, got [${x.shape.join(', ')}]`);
        const w = floats(g['weight'], `${where}: weight`);
        const [cout, cinG, kh, kw] = w.shape as [number, number, number, number];
        if (w.shape.length !== 4) throw invalidData(`${where}: weight shape [${w.shape.join(', ')}] is not [out, in, kh, kw]`);
        const stride = pair(g['stride'], 1, `${where}: stride`);
        const dilation = pair(g['dilation'], 1, `${where}: dilation`);
        const pads = convPads(g['padding'], [kh, kw], dilation, `${where}: padding`);
        const groups = g['groups'] === undefined ? 1 : ints(g['groups'], `${where}: groups`)[0]!;
        // Each input channel's pending gain goes into its weights (output o reads group ⌊o / (cout / groups)⌋).
        const perGroup = cout / groups;
        const k = new Float32Array(w.data.length);
        for (let o = 0; o < cout; o++)
          for (let i = 0; i < cinG; i++) {
            const gain = gainAt(x.scale, Math.floor(o / perGroup) * cinG + i);
            for (let y = 0; y < kh; y++) for (let xx = 0; xx < kw; xx++) k[((y * kw + xx) * cinG + i) * cout + o] = w.data[((o * cinG + i) * kh + y) * kw + xx]! * gain;
          }
        const ir = irName(name);
        const bias = g['bias'] === undefined ? undefined : floats(g['bias'], `${where}: bias`);
        irNodes.push({ op: 'conv2d', name: ir, inputs: [x.name], kernel: weight(`${ir}/kernel`, [kh, kw, cinG, cout], k), ...(bias ? { bias: weight(`${ir}/bias`, [cout], Float32Array.from(bias.data)) } : {}), strides: stride, pads, dilations: dilation, groups });
        tensors.set(name, { name: ir, shape: [], scale: UNIT_GAIN });
        break;
      }
      case 'Affine':
      case 'Linear': {
        const x = inputOf(name);
        const w = floats(g['weight'], `${where}: weight`);
        if (w.shape.length !== 2) throw invalidData(`${where}: weight shape [${w.shape.join(', ')}] is not [out, in]`);
        const [fout, fin] = w.shape as [number, number];
        const order = x.flattenedFrom === undefined ? null : hwcToChw(x.flattenedFrom);
        const channels = x.flattenedFrom?.[2];
        const k = new Float32Array(fin * fout);
        for (let i = 0; i < fin; i++) {
          const col = order === null ? i : order[i]!;
          const gain = gainAt(x.scale, channels === undefined ? i : i % channels);
          for (let o = 0; o < fout; o++) k[i * fout + o] = w.data[o * fin + col]! * gain;
        }
        const ir = irName(name);
        const bias = typeOf(name) === 'Affine' ? floats(g['bias'], `${where}: bias`) : undefined;
        irNodes.push({ op: 'dense', name: ir, inputs: [x.name], kernel: weight(`${ir}/kernel`, [fin, fout], k), ...(bias ? { bias: weight(`${ir}/bias`, [fout], Float32Array.from(bias.data)) } : {}) });
        tensors.set(name, { name: ir, shape: [fout], scale: UNIT_GAIN });
        break;
      }
      case 'SumPool2d':
      case 'AvgPool2d': {
        // Pooling is linear and per channel: a pending gain passes through it.
        const x = inputOf(name);
        const size = pair(g['kernel_size'], undefined, `${where}: kernel_size`);
        const stride = g['stride'] === undefined ? size : pair(g['stride'], undefined, `${where}: stride`);
        const [ph, pw] = g['padding'] === undefined ? [0, 0] : pair(g['padding'], 0, `${where}: padding`);
        const ir = irName(name);
        irNodes.push({ op: 'avgPool', name: ir, inputs: [x.name], size, strides: stride, pads: [ph, ph, pw, pw], countIncludePad: true });
        // Sum = average × k²: the factor waits for the next weighted layer.
        tensors.set(name, { name: ir, shape: [], scale: typeOf(name) === 'SumPool2d' ? scaleGain(x.scale, size[0] * size[1]) : x.scale });
        break;
      }
      case 'Flatten': {
        const x = inputOf(name);
        const start = g['start_dim'] === undefined ? 0 : ints(g['start_dim'], `${where}: start_dim`)[0]!;
        const end = g['end_dim'] === undefined ? -1 : ints(g['end_dim'], `${where}: end_dim`)[0]!;
        if (start !== 0 || (end !== -1 && end !== 2)) throw unsupported(`${where}: only a flatten of the whole sample (start_dim 0, end_dim -1) has an IR form`);
        if (x.shape.length === 1) {
          tensors.set(name, x);
          break;
        }
        const ir = irName(name);
        irNodes.push({ op: 'flatten', name: ir, inputs: [x.name] });
        const [h, w, c] = x.shape as [number, number, number];
        tensors.set(name, { name: ir, shape: [h * w * c], scale: x.scale, flattenedFrom: [h, w, c] });
        break;
      }
      case 'IF': {
        const x = settle(inputOf(name));
        const theta = floats(g['v_threshold'], `${where}: v_threshold`);
        const r = g['r'] === undefined ? undefined : floats(g['r'], `${where}: r`);
        if (r !== undefined && r.data.some((v) => v !== 1)) throw unsupported(`${where}: r ≠ 1 (the workbench's IF integrates its input unscaled: fold r into the weights before it)`);
        // NIR 1.0's IF subtracts θ; later versions carry v_reset and reset to it.
        const vReset = g['v_reset'] === undefined ? undefined : floats(g['v_reset'], `${where}: v_reset`);
        if (vReset !== undefined && vReset.data.some((v) => v !== 0)) throw unsupported(`${where}: v_reset ≠ 0 (the workbench's IF resets to 0 or by subtraction)`);
        const resetOfFile: ResetMode = vReset === undefined ? 'subtract' : 'zero';
        const m = metadataOf(nodes.get(name)!);
        const ir = irName(name);
        irNodes.push({ op: 'relu', name: ir, inputs: [x.name] });
        const channelTheta = thresholdsPerChannel(theta, where);
        layers.push({
          node: ir,
          neuron: oneOf(m['neuron'] ?? graphMeta['neuron'], NEURON_KINDS, 'if') as NeuronKind,
          threshold: weight(`${ir}/threshold`, [channelTheta.length], channelTheta),
          reset: oneOf(m['reset'] ?? graphMeta['reset'], RESET_MODES, resetOfFile) as ResetMode,
          v0: oneOf(m['v0'] ?? graphMeta['v0'], V0_MODES, 'zero') as V0Mode,
          shift: Number(m['shift'] ?? graphMeta['shift'] ?? 0) === 1,
        });
        // A NIR spike is 1 where the workbench's is worth θ: the NIR tensor is the IR one over θ.
        tensors.set(name, { ...x, name: ir, scale: reciprocalGain(channelTheta) });
        break;
      }
      case 'Scale': {
        // y = s ⊙ x, with s constant over each channel's positions: a gain, no IR node.
        const x = inputOf(name);
        const factor = perChannel(floats(g['scale'], `${where}: scale`), `${where}: scale`, 'scale factors that differ within a channel');
        tensors.set(name, { ...x, scale: multiplyGains(x.scale, factor) });
        break;
      }
      case 'Output': {
        const x = settle(inputOf(name));
        output = x.name;
        break;
      }
    }
    // Shapes of the new IR nodes are needed by the next ones (flatten, adds): infer as we go.
    const last = tensors.get(name);
    if (last !== undefined && last.shape.length === 0 && inputSpec !== undefined) {
      const g2 = buildGraph({ name: 'partial', input: inputSpec, nodes: irNodes, output: last.name, weights });
      tensors.set(name, { ...last, shape: g2.shapes.get(last.name)! });
    }
  }
  if (inputSpec === undefined || output === undefined) throw invalidData(`${source}: the graph's Input does not reach its Output`);
  const scale = graphMeta['input_scale'];
  const offset = graphMeta['input_offset'];
  const graph = buildGraph({
    name: typeof graphMeta['model'] === 'string' ? graphMeta['model'] : fallbackName,
    input: inputSpec,
    nodes: irNodes,
    output,
    weights,
    ...(typeof scale === 'number' && typeof offset === 'number' ? { preprocessing: { scale, offset } } : {}),
  });
  const method = typeof graphMeta['threshold_method'] === 'string' ? parseThresholdMethod(graphMeta['threshold_method']) : undefined;
  const snn: SnnSpec = {
    layers,
    encoding: graphMeta['encoding'] === 'rate' ? 'rate' : 'direct',
    readout: 'mean',
    thresholds: {
      // A foreign file's thresholds are its own: no calibration of this workbench stands behind them.
      method: method ?? { kind: 'max' },
      perChannel: layers.some((l) => (weights.get(l.threshold)?.data.length ?? 1) > 1),
      calibrationSamples: typeof graphMeta['calibration_samples'] === 'number' ? graphMeta['calibration_samples'] : 0,
      ...(typeof graphMeta['timesteps'] === 'number' && method?.kind === 'snnc' ? { timesteps: graphMeta['timesteps'] } : {}),
    },
  };
  return { graph, snn };
}

const SUPPORTED = new Set(['Input', 'Output', 'Conv2d', 'Affine', 'Linear', 'SumPool2d', 'AvgPool2d', 'Flatten', 'IF', 'Scale']);

function topological(names: readonly string[], edges: readonly (readonly [string, string])[], source: string): string[] {
  const indegree = new Map(names.map((n) => [n, 0]));
  for (const [, b] of edges) indegree.set(b, indegree.get(b)! + 1);
  const ready = names.filter((n) => indegree.get(n) === 0).sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const n = ready.shift()!;
    order.push(n);
    for (const [a, b] of edges) {
      if (a !== n) continue;
      indegree.set(b, indegree.get(b)! - 1);
      if (indegree.get(b) === 0) ready.push(b);
    }
  }
  if (order.length !== names.length) throw unsupported(`${source}: the NIR graph has a cycle (recurrent connections have no form in the workbench's IR)`);
  return order;
}

function text(e: H5Entry | undefined): string | undefined {
  return e !== undefined && !isGroup(e) && e.dtype === 'str' ? e.data[0] : undefined;
}

function ints(e: H5Entry | undefined, where: string): number[] {
  if (e === undefined || isGroup(e) || e.dtype === 'str') throw invalidData(`${where} is missing or not numeric`);
  return Array.from(e.data as ArrayLike<number>, Number);
}

function floats(e: H5Entry | undefined, where: string): { shape: readonly number[]; data: Float32Array } {
  if (e === undefined || isGroup(e) || e.dtype === 'str') throw invalidData(`${where} is missing or not numeric`);
  return { shape: e.shape, data: e.dtype === 'f32' ? e.data : Float32Array.from(e.data as ArrayLike<number>) };
}

function pair(e: H5Entry | undefined, fallback: number | undefined, where: string): [number, number] {
  if (e === undefined) {
    if (fallback === undefined) throw invalidData(`${where} is missing`);
    return [fallback, fallback];
  }
  const v = ints(e, where);
  if (v.length === 1) return [v[0]!, v[0]!];
  if (v.length !== 2) throw invalidData(`${where}: expected one or two values, got ${v.length}`);
  return [v[0]!, v[1]!];
}

/** NIR padding: an int, a pair, or 'same' / 'valid' (PyTorch's meaning: 'same' for stride 1). */
function convPads(e: H5Entry | undefined, kernel: readonly [number, number], dilation: readonly [number, number], where: string): Pads {
  const s = text(e);
  if (s === 'valid' || e === undefined) return [0, 0, 0, 0];
  if (s === 'same') {
    const total = kernel.map((k, i) => dilation[i]! * (k - 1));
    // PyTorch puts the odd pixel at the end.
    return [Math.floor(total[0]! / 2), Math.ceil(total[0]! / 2), Math.floor(total[1]! / 2), Math.ceil(total[1]! / 2)];
  }
  if (s !== undefined) throw invalidData(`${where}: '${s}' is not 'same', 'valid' or a size`);
  const [ph, pw] = pair(e, 0, where);
  return [ph, ph, pw, pw];
}

/** θ per layer ([1]) when all equal, per channel ([C]) when constant over each channel's positions. */
function thresholdsPerChannel(theta: { shape: readonly number[]; data: Float32Array }, where: string): Float32Array {
  return perChannel(theta, `${where}: v_threshold`, 'thresholds that differ within a channel (one per neuron)');
}

/** One value ([1]) when all are equal, one per channel ([C]) when constant over each channel's positions. */
function perChannel(values: { shape: readonly number[]; data: Float32Array }, where: string, what: string): Float32Array {
  const d = values.data;
  if (d.length === 0) throw invalidData(`${where} is empty`);
  if (d.every((v) => v === d[0])) return Float32Array.of(d[0]!);
  const c = values.shape[0]!;
  const per = d.length / c;
  const out = new Float32Array(c);
  for (let k = 0; k < c; k++) {
    out[k] = d[k * per]!;
    for (let j = 1; j < per; j++) if (d[k * per + j] !== out[k]) throw unsupported(`${where}: ${what} have no form in the workbench, which keeps one per layer or per channel`);
  }
  // The IR's channel axis of a [C, H, W] layer is the last one of [H, W, C]: the order is the same.
  return out;
}

function metadataOf(node: H5Group): Record<string, string | number> {
  const m = node.group['metadata'];
  if (!isGroup(m)) return {};
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(m.group)) {
    if (isGroup(v)) continue;
    if (v.dtype === 'str') out[k] = v.data[0] ?? '';
    else if (v.data.length === 1) out[k] = Number(v.data[0]);
  }
  return out;
}

function parseNames(value: string | number | undefined): Record<string, string> {
  if (typeof value !== 'string') return {};
  try {
    const parsed = JSON.parse(value) as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

function oneOf<T extends string>(value: string | number | undefined, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

