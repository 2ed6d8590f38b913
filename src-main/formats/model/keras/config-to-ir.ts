import { WorkbenchError, invalidData, unsupported } from '../../../common/errors';
import type { Graph, Pads } from '../../../common/ir/types';
import { IrBuilder, chwRowsToHwc, samePadding } from '../common/ir-builder';

/**
 * Keras layer configurations → graph IR. One converter serves Keras 2 and 3 HDF5 files, `.keras`
 * archives and TensorFlow.js layers models, which all describe the network as Keras layer configs
 * (Sequential or functional); only where the weights come from differs (`WeightSource`).
 * Activations inside layers (`Conv2D(activation='relu')`) become their own nodes, so conversion
 * sees every one of them.
 */
export const KERAS_LAYERS = [
  'InputLayer', 'Conv2D', 'DepthwiseConv2D', 'Dense', 'BatchNormalization', 'Activation', 'ReLU', 'LeakyReLU', 'Softmax',
  'MaxPooling2D', 'AveragePooling2D', 'GlobalAveragePooling2D', 'Flatten', 'ZeroPadding2D', 'Add', 'Concatenate',
  'Dropout', 'SpatialDropout2D', 'Rescaling',
] as const;

export const KERAS_ACTIVATIONS = ['linear', 'relu', 'relu6', 'softmax'] as const;

/** A layer's weights: by name suffix (`kernel`, `bias`, `gamma`, …) where the file names them, else in order. */
export interface LayerWeights {
  readonly named: ReadonlyMap<string, { shape: readonly number[]; values: Float32Array }>;
  readonly ordered: readonly { shape: readonly number[]; values: Float32Array }[];
}

export interface WeightSource {
  weightsOf(layerName: string): LayerWeights;
}

/**
 * The names Keras 3 gives layers in `.keras` weight files: the class name in snake case
 * (keras.src.utils.naming.to_snake_case), numbered _1, _2, … when a class repeats in a model.
 */
export function kerasSaveNames(modelConfig: unknown): Map<string, string> {
  const top = obj(obj(modelConfig)['model_config'] ?? modelConfig);
  const config = top['config'];
  const list = Array.isArray(config) ? config : obj(config)['layers'];
  const used = new Map<string, number>();
  const names = new Map<string, string>();
  for (const entry of Array.isArray(list) ? list : []) {
    const o = obj(entry);
    const className = String(o['class_name']);
    const layerName = String(obj(o['config'])['name'] ?? o['name']);
    const snake = className
      .replace(/\W+/g, '')
      .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .toLowerCase();
    const count = used.get(snake);
    used.set(snake, count === undefined ? 0 : count + 1);
    names.set(layerName, count === undefined ? snake : `${snake}_${count + 1}`);
  }
  return names;
}

export interface KerasImportOptions {
  readonly source: string;
  /** Keras 2 files saved by the Theano backend store true-convolution kernels: flip them. */
  readonly flipKernels?: boolean;
}

type JsonObject = { readonly [key: string]: unknown };

interface LayerSpec {
  readonly className: string;
  readonly name: string;
  readonly config: JsonObject;
  /** Inbound tensors as [layer name, tensor index] (functional models). */
  readonly inbound: readonly [string, number][];
}

type Value =
  | { readonly kind: 'map'; readonly ir: string; readonly h: number; readonly w: number; readonly c: number }
  | { readonly kind: 'flat'; readonly ir: string; readonly f: number; readonly chw?: { c: number; h: number; w: number } };

const obj = (v: unknown): JsonObject => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {});

/** Accepts `{class_name, config}` at the top, or TF.js's `{model_config: {...}}` wrapper. */
export function kerasToIr(modelConfig: unknown, weights: WeightSource, options: KerasImportOptions): Graph {
  const top = obj(obj(modelConfig)['model_config'] ?? modelConfig);
  const className = top['class_name'];
  const config = top['config'];
  const { source } = options;
  let layers: LayerSpec[];
  let inputs: string[];
  let outputs: string[];
  let modelName = '';
  if (className === 'Sequential') {
    const list = Array.isArray(config) ? config : obj(config)['layers'];
    if (!Array.isArray(list)) throw invalidData(`${source}: Sequential model without a layer list`);
    modelName = String(obj(config)['name'] ?? 'sequential');
    layers = sequentialLayers(list, obj(config), source);
    inputs = [layers[0]!.name];
    outputs = [layers[layers.length - 1]!.name];
  } else if (className === 'Model' || className === 'Functional') {
    const c = obj(config);
    modelName = String(c['name'] ?? 'model');
    const list = c['layers'];
    if (!Array.isArray(list)) throw invalidData(`${source}: functional model without a layer list`);
    layers = list.map((l) => functionalLayer(obj(l), source));
    inputs = endpoints(c['input_layers']);
    outputs = endpoints(c['output_layers']);
  } else {
    throw unsupported(`${source}: model class '${String(className)}' (Sequential and functional models are supported)`);
  }
  if (inputs.length !== 1 || outputs.length !== 1) {
    throw unsupported(`${source}: ${inputs.length} inputs and ${outputs.length} outputs; single-input, single-output models are supported`);
  }
  const unknown = layers.filter((l) => !(KERAS_LAYERS as readonly string[]).includes(l.className));
  const badActivations = layers.filter((l) => l.config['activation'] !== undefined && !(KERAS_ACTIVATIONS as readonly string[]).includes(activationName(l.config['activation'])));
  if (unknown.length > 0 || badActivations.length > 0) {
    const parts = [
      ...unknown.map((l) => `layer '${l.name}' (${l.className})`),
      ...badActivations.map((l) => `layer '${l.name}' (activation '${activationName(l.config['activation'])}')`),
    ];
    throw unsupported(`${source}: unsupported: ${parts.join(', ')}. Supported layers: ${KERAS_LAYERS.join(', ')}; activations: ${KERAS_ACTIVATIONS.join(', ')}`);
  }

  const inputLayer = layers.find((l) => l.name === inputs[0]);
  if (inputLayer === undefined) throw invalidData(`${source}: input layer '${inputs[0]}' is not in the layer list`);
  const shape = inputShape(inputLayer, source);
  const channelsFirst = dataFormat(layers) === 'channels_first';
  const b = new IrBuilder(inputLayer.className === 'InputLayer' ? inputLayer.name : `${inputLayer.name}_input`);
  const values = new Map<string, Value>();
  let inputValue: Value;
  let irInputShape: number[];
  if (shape.length === 3) {
    const [h, w, c] = channelsFirst ? [shape[1]!, shape[2]!, shape[0]!] : (shape as [number, number, number]);
    inputValue = { kind: 'map', ir: b.inputName, h, w, c };
    irInputShape = [h, w, c];
  } else if (shape.length === 1) {
    inputValue = { kind: 'flat', ir: b.inputName, f: shape[0]! };
    irInputShape = [shape[0]!];
  } else {
    throw unsupported(`${source}: input shape [${shape.join(', ')}]; images [H, W, C] or vectors [F] are supported`);
  }
  let preprocessing: { scale: number; offset: number } | undefined;

  const problems: string[] = [];
  for (const layer of layers) {
    const sourcesOf = layer.inbound.length > 0 ? layer.inbound.map(([name]) => name) : [];
    const ins: Value[] = [];
    if (layer.name === inputs[0] && layer.className === 'InputLayer') {
      values.set(layer.name, inputValue);
      continue;
    }
    if (layer.name === inputs[0]) ins.push(inputValue);
    else {
      const missing = sourcesOf.filter((s) => !values.has(s));
      if (missing.length > 0) continue; // fed by a layer that failed: reported there
      ins.push(...sourcesOf.map((s) => values.get(s)!));
    }
    try {
      const out = convertLayer(layer, ins);
      if (out !== undefined) values.set(layer.name, out);
    } catch (error) {
      if (!(error instanceof WorkbenchError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw unsupported(`${source}: ${problems.length} layer(s) cannot be imported: ${problems.join('; ')}`);
  const out = values.get(outputs[0]!);
  if (out === undefined) throw invalidData(`${source}: output layer '${outputs[0]}' is not computed from the input`);
  return b.build({ name: modelName, inputShape: irInputShape, output: out.ir, ...(preprocessing ? { preprocessing } : {}) });

  // --- layers ------------------------------------------------------------------------------

  function where(layer: LayerSpec): string {
    return `layer '${layer.name}' (${layer.className})`;
  }

  function one(layer: LayerSpec, ins: Value[]): Value {
    if (ins.length !== 1) throw invalidData(`${where(layer)}: expects one input, got ${ins.length}`);
    return ins[0]!;
  }

  function map(layer: LayerSpec, v: Value): Extract<Value, { kind: 'map' }> {
    if (v.kind !== 'map') throw unsupported(`${where(layer)}: needs an image-shaped input, got a vector`);
    return v;
  }

  /** A weight by role (or its other spellings: Keras 3 calls the depthwise kernel 'kernel'), or
   * by position when the file does not name them. */
  function weight(layer: LayerSpec, role: string, index: number, ...aliases: string[]): { shape: readonly number[]; values: Float32Array } {
    const w = weights.weightsOf(layer.name);
    const found = [role, ...aliases].map((r) => w.named.get(r)).find((x) => x !== undefined) ?? (w.named.size === 0 ? w.ordered[index] : undefined);
    if (found === undefined) throw invalidData(`${where(layer)}: weight '${role}' is missing from the file`);
    return found;
  }

  function pair(v: unknown, fallback: [number, number]): [number, number] {
    if (typeof v === 'number') return [v, v];
    if (Array.isArray(v) && v.length === 2) return [Number(v[0]), Number(v[1])];
    return fallback;
  }

  function windowPads(layer: LayerSpec, m: Extract<Value, { kind: 'map' }>, k: [number, number], s: [number, number], d: [number, number]): Pads {
    const padding = layer.config['padding'] ?? 'valid';
    if (padding === 'valid') return [0, 0, 0, 0];
    if (padding !== 'same') throw unsupported(`${where(layer)}: padding '${String(padding)}'`);
    // TensorFlow 'same': the extra pixel, when the total is odd, goes at the end.
    const [t, bot] = samePadding(m.h, k[0], s[0], d[0], true);
    const [l, r] = samePadding(m.w, k[1], s[1], d[1], true);
    return [t, bot, l, r];
  }

  function activate(layer: LayerSpec, v: Value, activation: unknown): Value {
    const name = activationName(activation);
    switch (name) {
      case 'linear':
        return v;
      case 'relu':
        return { ...v, ir: b.add({ name: b.unique(`${layer.name}_relu`), op: 'relu', inputs: [v.ir] }) };
      case 'relu6':
        return { ...v, ir: b.add({ name: b.unique(`${layer.name}_relu6`), op: 'clip', inputs: [v.ir], min: 0, max: 6 }) };
      case 'softmax':
        if (v.kind !== 'flat') throw unsupported(`${where(layer)}: softmax over a feature map`);
        return { ...v, ir: b.add({ name: b.unique(`${layer.name}_softmax`), op: 'softmax', inputs: [v.ir] }) };
      default:
        throw unsupported(`${where(layer)}: activation '${name}'`);
    }
  }

  function conv(layer: LayerSpec, ins: Value[], depthwise: boolean): Value {
    const x = map(layer, one(layer, ins));
    const c = layer.config;
    const k = pair(c['kernel_size'], [1, 1]);
    const s = pair(c['strides'], [1, 1]);
    const d = pair(c['dilation_rate'], [1, 1]);
    const pads = windowPads(layer, x, k, s, d);
    const kw = depthwise ? weight(layer, 'depthwise_kernel', 0, 'kernel') : weight(layer, 'kernel', 0);
    let kernel = kw.values;
    if (options.flipKernels && !depthwise) kernel = flipSpatial(kernel, kw.shape as [number, number, number, number]);
    const [kh, kwid, kin, kout] = kw.shape as [number, number, number, number];
    const groups = depthwise ? x.c : Number(c['groups'] ?? 1);
    const cout = depthwise ? kin * kout : kout;
    if (kh !== k[0] || kwid !== k[1] || (depthwise ? kin !== x.c : kin * groups !== x.c)) {
      throw invalidData(`${where(layer)}: kernel of shape [${kw.shape.join(', ')}] does not fit a ${k[0]}×${k[1]} window on ${x.c} channels`);
    }
    const name = b.unique(layer.name);
    const useBias = c['use_bias'] !== false;
    b.add({
      name, op: 'conv2d', inputs: [x.ir],
      // Depthwise [kh, kw, C, m] is already the grouped layout [kh, kw, 1, C·m] in memory.
      kernel: b.weight(`${name}/kernel`, [kh, kwid, depthwise ? 1 : kin, cout], kernel),
      ...(useBias ? { bias: b.weight(`${name}/bias`, [cout], weight(layer, 'bias', 1).values) } : {}),
      strides: s, pads, dilations: d, groups,
    });
    const oh = Math.floor((x.h + pads[0] + pads[1] - d[0] * (k[0] - 1) - 1) / s[0]) + 1;
    const ow = Math.floor((x.w + pads[2] + pads[3] - d[1] * (k[1] - 1) - 1) / s[1]) + 1;
    return activate(layer, { kind: 'map', ir: name, h: oh, w: ow, c: cout }, c['activation']);
  }

  function convertLayer(layer: LayerSpec, ins: Value[]): Value | undefined {
    const c = layer.config;
    switch (layer.className) {
      case 'InputLayer':
        return one(layer, ins);
      case 'Dropout':
      case 'SpatialDropout2D':
        return one(layer, ins);
      case 'Conv2D':
        return conv(layer, ins, false);
      case 'DepthwiseConv2D':
        return conv(layer, ins, true);
      case 'Dense': {
        const x = one(layer, ins);
        if (x.kind !== 'flat') throw unsupported(`${where(layer)}: Dense on an image-shaped input (add a Flatten)`);
        const kw = weight(layer, 'kernel', 0);
        const [fin, fout] = kw.shape as [number, number];
        if (fin !== x.f) throw invalidData(`${where(layer)}: kernel takes ${fin} inputs, the input has ${x.f}`);
        const rows = x.chw ? chwRowsToHwc(kw.values, x.chw.c, x.chw.h, x.chw.w, fout) : kw.values;
        const name = b.unique(layer.name);
        b.add({
          name, op: 'dense', inputs: [x.ir], kernel: b.weight(`${name}/kernel`, [fin, fout], rows),
          ...(c['use_bias'] !== false ? { bias: b.weight(`${name}/bias`, [fout], weight(layer, 'bias', 1).values) } : {}),
        });
        return activate(layer, { kind: 'flat', ir: name, f: fout }, c['activation']);
      }
      case 'BatchNormalization': {
        const x = one(layer, ins);
        const channels = x.kind === 'map' ? x.c : x.f;
        const axis = Array.isArray(c['axis']) ? Number(c['axis'][0]) : Number(c['axis'] ?? -1);
        const channelAxis = channelsFirst && x.kind === 'map' ? 1 : x.kind === 'map' ? 3 : 1;
        if (axis !== -1 && axis !== channelAxis) throw unsupported(`${where(layer)}: normalising axis ${axis}; only the channel axis is supported`);
        const scale = c['scale'] !== false;
        const center = c['center'] !== false;
        let index = 0;
        const gamma = scale ? weight(layer, 'gamma', index++).values : new Float32Array(channels).fill(1);
        const beta = center ? weight(layer, 'beta', index++).values : new Float32Array(channels);
        const mean = weight(layer, 'moving_mean', index++).values;
        const variance = weight(layer, 'moving_variance', index++).values;
        const name = b.unique(layer.name);
        b.add({
          name, op: 'batchNorm', inputs: [x.ir], epsilon: Number(c['epsilon'] ?? 1e-3),
          gamma: b.weight(`${name}/gamma`, [channels], gamma), beta: b.weight(`${name}/beta`, [channels], beta),
          mean: b.weight(`${name}/mean`, [channels], mean), variance: b.weight(`${name}/variance`, [channels], variance),
        });
        return { ...x, ir: name };
      }
      case 'Activation':
        return activate(layer, one(layer, ins), c['activation']);
      case 'Softmax':
        return activate(layer, one(layer, ins), 'softmax');
      case 'ReLU': {
        const x = one(layer, ins);
        const max = c['max_value'] === null || c['max_value'] === undefined ? Infinity : Number(c['max_value']);
        const slope = Number(c['negative_slope'] ?? 0);
        const threshold = Number(c['threshold'] ?? 0);
        if (threshold !== 0) throw unsupported(`${where(layer)}: threshold ${threshold}`);
        if (slope !== 0) {
          if (max !== Infinity) throw unsupported(`${where(layer)}: leaky ReLU with a cap`);
          return { ...x, ir: b.add({ name: b.unique(layer.name), op: 'leakyRelu', inputs: [x.ir], alpha: slope }) };
        }
        const name = b.unique(layer.name);
        b.add(max === Infinity ? { name, op: 'relu', inputs: [x.ir] } : { name, op: 'clip', inputs: [x.ir], min: 0, max });
        return { ...x, ir: name };
      }
      case 'LeakyReLU': {
        const x = one(layer, ins);
        const alpha = Number(c['negative_slope'] ?? c['alpha'] ?? 0.3);
        return { ...x, ir: b.add({ name: b.unique(layer.name), op: 'leakyRelu', inputs: [x.ir], alpha }) };
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const x = map(layer, one(layer, ins));
        const size = pair(c['pool_size'], [2, 2]);
        const strides = c['strides'] === null || c['strides'] === undefined ? size : pair(c['strides'], size);
        const pads = windowPads(layer, x, size, strides, [1, 1]);
        const name = b.unique(layer.name);
        // Keras (TensorFlow) 'same' average pooling divides by the real elements only.
        b.add({ name, op: layer.className === 'MaxPooling2D' ? 'maxPool' : 'avgPool', inputs: [x.ir], size, strides, pads, countIncludePad: false });
        const oh = Math.floor((x.h + pads[0] + pads[1] - size[0]) / strides[0]) + 1;
        const ow = Math.floor((x.w + pads[2] + pads[3] - size[1]) / strides[1]) + 1;
        return { kind: 'map', ir: name, h: oh, w: ow, c: x.c };
      }
      case 'GlobalAveragePooling2D': {
        const x = map(layer, one(layer, ins));
        if (c['keepdims'] === true) throw unsupported(`${where(layer)}: keepdims = true`);
        const name = b.unique(layer.name);
        b.add({ name, op: 'globalAvgPool', inputs: [x.ir] });
        return { kind: 'flat', ir: name, f: x.c };
      }
      case 'Flatten': {
        const x = one(layer, ins);
        if (x.kind === 'flat') return x;
        const name = b.unique(layer.name);
        b.add({ name, op: 'flatten', inputs: [x.ir] });
        const f = x.h * x.w * x.c;
        // The IR flattens H, W, C. Keras flattens the tensor as stored, except that a Flatten
        // with data_format 'channels_first' (recorded since Keras 2.2; keras/layers/core.py
        // Flatten.call) first moves axis 1 last. So the order is C, H, W — and the next Dense
        // kernel is reordered — for a channels_first tensor under a Flatten without the key
        // (older files) or with 'channels_last'. A channels_last tensor under 'channels_first'
        // would flatten as W, C, H, which no model is known to do.
        const flattenFormat = c['data_format'];
        if (!channelsFirst && flattenFormat === 'channels_first' && x.h > 1 && x.w * x.c > 1) {
          throw unsupported(`${where(layer)}: data_format 'channels_first' on a channels_last feature map`);
        }
        const chwOrder = channelsFirst && flattenFormat !== 'channels_first';
        return chwOrder && x.c > 1 && x.h * x.w > 1 ? { kind: 'flat', ir: name, f, chw: { c: x.c, h: x.h, w: x.w } } : { kind: 'flat', ir: name, f };
      }
      case 'ZeroPadding2D': {
        const x = map(layer, one(layer, ins));
        const p = c['padding'];
        let pads: Pads;
        if (typeof p === 'number') pads = [p, p, p, p];
        else if (Array.isArray(p) && Array.isArray(p[0])) pads = [Number(p[0][0]), Number(p[0][1]), Number((p[1] as number[])[0]), Number((p[1] as number[])[1])];
        else if (Array.isArray(p)) pads = [Number(p[0]), Number(p[0]), Number(p[1]), Number(p[1])];
        else throw invalidData(`${where(layer)}: padding ${JSON.stringify(p)}`);
        const name = b.unique(layer.name);
        b.add({ name, op: 'pad', inputs: [x.ir], pads });
        return { kind: 'map', ir: name, h: x.h + pads[0] + pads[1], w: x.w + pads[2] + pads[3], c: x.c };
      }
      case 'Add': {
        if (ins.length < 2) throw invalidData(`${where(layer)}: needs two or more inputs`);
        const name = b.unique(layer.name);
        b.add({ name, op: 'add', inputs: ins.map((v) => v.ir) });
        return { ...ins[0]!, ir: name };
      }
      case 'Concatenate': {
        const axis = Number(c['axis'] ?? -1);
        const first = ins[0]!;
        const channelAxis = first.kind === 'map' ? (channelsFirst ? 1 : 3) : 1;
        if (axis !== -1 && axis !== channelAxis) throw unsupported(`${where(layer)}: concatenation along axis ${axis}; only channels are supported`);
        const name = b.unique(layer.name);
        b.add({ name, op: 'concat', inputs: ins.map((v) => v.ir) });
        if (first.kind === 'map') return { ...first, ir: name, c: ins.reduce((a, v) => a + (v as Extract<Value, { kind: 'map' }>).c, 0) };
        return { kind: 'flat', ir: name, f: ins.reduce((a, v) => a + (v as Extract<Value, { kind: 'flat' }>).f, 0) };
      }
      case 'Rescaling': {
        const x = one(layer, ins);
        const scale = Number(c['scale'] ?? 1);
        const offset = Number(c['offset'] ?? 0);
        if (layer.inbound.length === 0 || ins[0] === inputValue) {
          // Preprocessing recorded by the model: applied to the data on load.
          preprocessing = { scale, offset };
          return x;
        }
        const channels = x.kind === 'map' ? x.c : x.f;
        const name = b.unique(layer.name);
        b.add({
          name, op: 'batchNorm', inputs: [x.ir], epsilon: 0,
          gamma: b.weight(`${name}/scale`, [channels], new Array<number>(channels).fill(scale)), beta: b.weight(`${name}/shift`, [channels], new Array<number>(channels).fill(offset)),
          mean: b.weight(`${name}/mean`, [channels], new Array<number>(channels).fill(0)), variance: b.weight(`${name}/variance`, [channels], new Array<number>(channels).fill(1)),
        });
        return { ...x, ir: name };
      }
      default:
        throw unsupported(`${where(layer)}: not supported`);
    }
  }
}

function activationName(v: unknown): string {
  if (v === undefined || v === null) return 'linear';
  if (typeof v === 'string') return v;
  // Keras 3 may serialise activations as {module, class_name, config, registered_name}
  const o = obj(v);
  return String(o['config'] !== undefined && typeof o['config'] === 'string' ? o['config'] : (o['class_name'] ?? 'unknown'));
}

function sequentialLayers(list: unknown[], config: JsonObject, source: string): LayerSpec[] {
  const layers = list.map((l): LayerSpec => {
    const o = obj(l);
    const c = obj(o['config']);
    return { className: String(o['class_name']), name: String(c['name'] ?? o['name']), config: c, inbound: [] };
  });
  if (layers.length === 0) throw invalidData(`${source}: Sequential model without layers`);
  // Chain each layer to the previous one; the first takes the model input.
  const chained = layers.map((l, i) => (i === 0 ? l : { ...l, inbound: [[layers[i - 1]!.name, 0] as [string, number]] }));
  const buildShape = obj(config['build_input_shape'] ?? null);
  if (chained[0]!.className !== 'InputLayer' && inputShapeOf(chained[0]!.config) === undefined && Object.keys(buildShape).length === 0 && !Array.isArray(config['build_input_shape'])) {
    throw invalidData(`${source}: the first layer does not record the input shape`);
  }
  if (Array.isArray(config['build_input_shape']) && inputShapeOf(chained[0]!.config) === undefined) {
    const first = chained[0]!;
    chained[0] = { ...first, config: { ...first.config, batch_input_shape: config['build_input_shape'] } };
  }
  return chained;
}

function functionalLayer(o: JsonObject, source: string): LayerSpec {
  const c = obj(o['config']);
  const name = String(o['name'] ?? c['name']);
  const nodes = o['inbound_nodes'];
  const inbound: [string, number][] = [];
  if (Array.isArray(nodes) && nodes.length > 1) throw unsupported(`${source}: layer '${name}' is called ${nodes.length} times (shared layers are not supported)`);
  const node = Array.isArray(nodes) ? nodes[0] : undefined;
  if (Array.isArray(node)) {
    // Keras 2 / TF.js: [[layer, node index, tensor index, kwargs], …]
    for (const entry of node) if (Array.isArray(entry)) inbound.push([String(entry[0]), Number(entry[2] ?? 0)]);
  } else if (node !== undefined) {
    // Keras 3: {args: [tensor | [tensor, …]], kwargs} with tensor.config.keras_history = [layer, node, index]
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else {
        const history = obj(obj(v)['config'])['keras_history'];
        if (Array.isArray(history)) inbound.push([String(history[0]), Number(history[2] ?? 0)]);
      }
    };
    collect(obj(node)['args']);
  }
  return { className: String(o['class_name']), name, config: c, inbound };
}

function endpoints(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  // [[name, 0, 0], …] or, in Keras 3 for a single tensor, [name, 0, 0]
  if (typeof v[0] === 'string') return [v[0]];
  return v.map((e) => String((e as unknown[])[0]));
}

function inputShapeOf(c: JsonObject): number[] | undefined {
  const shape = c['batch_input_shape'] ?? c['batch_shape'];
  if (Array.isArray(shape)) return shape.slice(1).map(Number);
  const input = c['input_shape'];
  if (Array.isArray(input)) return input.map(Number);
  return undefined;
}

function inputShape(layer: LayerSpec, source: string): number[] {
  const shape = inputShapeOf(layer.config);
  if (shape === undefined || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw unsupported(`${source}: input layer '${layer.name}' has no fixed input shape (${JSON.stringify(layer.config['batch_input_shape'] ?? layer.config['batch_shape'] ?? null)})`);
  }
  return shape;
}

/**
 * The layout of the model's feature maps, from the layers that compute on them. Flatten's own
 * data_format says how it flattens (see Flatten); it decides the layout only in a model with no
 * other layer that records one, where 'channels_first' means NCHW input.
 */
function dataFormat(layers: readonly LayerSpec[]): string {
  const formatsOf = (list: readonly LayerSpec[]): Set<string> => new Set(list.map((l) => l.config['data_format']).filter((f): f is string => typeof f === 'string'));
  const mapped = formatsOf(layers.filter((l) => l.className !== 'Flatten'));
  const formats = mapped.size > 0 ? mapped : formatsOf(layers);
  if (formats.size > 1) throw unsupported(`layers mix data formats (${[...formats].join(', ')})`);
  return formats.values().next().value ?? 'channels_last';
}

/** kernel[::-1, ::-1]: Theano's true convolution as a cross-correlation. */
function flipSpatial(kernel: Float32Array, shape: [number, number, number, number]): Float32Array {
  const [kh, kw, cin, cout] = shape;
  const inner = cin * cout;
  const out = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      out.set(kernel.subarray((y * kw + x) * inner, (y * kw + x + 1) * inner), ((kh - 1 - y) * kw + (kw - 1 - x)) * inner);
    }
  }
  return out;
}
