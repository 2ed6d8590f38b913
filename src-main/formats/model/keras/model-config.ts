import { invalidData, unsupported } from '../../../common/errors';

/**
 * Keras model configs as Keras 2 and 3 HDF5 files, `.keras` archives and TensorFlow.js layers
 * models write them (Sequential or functional), read into a flat list of layers with their
 * inbound tensors.
 */
export type JsonObject = { readonly [key: string]: unknown };

export interface LayerSpec {
  readonly className: string;
  readonly name: string;
  readonly config: JsonObject;
  /** Inbound tensors as [layer name, tensor index] (functional models). */
  readonly inbound: readonly [string, number][];
}

export interface ModelSpec {
  readonly name: string;
  readonly layers: readonly LayerSpec[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export const obj = (v: unknown): JsonObject => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {});

/** Accepts `{class_name, config}` at the top, or TF.js's `{model_config: {...}}` wrapper. */
export function readModelConfig(modelConfig: unknown, source: string): ModelSpec {
  const top = obj(obj(modelConfig)['model_config'] ?? modelConfig);
  const className = top['class_name'];
  const config = top['config'];
  if (className === 'Sequential') {
    const list = Array.isArray(config) ? config : obj(config)['layers'];
    if (!Array.isArray(list)) throw invalidData(`${source}: Sequential model without a layer list`);
    const name = String(obj(config)['name'] ?? 'sequential');
    const layers = sequentialLayers(list, obj(config), source);
    return { name, layers, inputs: [layers[0]!.name], outputs: [layers[layers.length - 1]!.name] };
  }
  if (className === 'Model' || className === 'Functional') {
    const c = obj(config);
    const name = String(c['name'] ?? 'model');
    const list = c['layers'];
    if (!Array.isArray(list)) throw invalidData(`${source}: functional model without a layer list`);
    const layers = list.map((l) => functionalLayer(obj(l), source));
    return { name, layers, inputs: endpoints(c['input_layers']), outputs: endpoints(c['output_layers']) };
  }
  throw unsupported(`${source}: model class '${String(className)}' (Sequential and functional models are supported)`);
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

export function inputShape(layer: LayerSpec, source: string): number[] {
  const shape = inputShapeOf(layer.config);
  if (shape === undefined || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw unsupported(`${source}: input layer '${layer.name}' has no fixed input shape (${JSON.stringify(layer.config['batch_input_shape'] ?? layer.config['batch_shape'] ?? null)})`);
  }
  return shape;
}

/**
 * The layout of the model's feature maps, from the layers that compute on them. Flatten's own
 * data_format says how it flattens (see layers/reshaping.ts); it decides the layout only in a
 * model with no other layer that records one, where 'channels_first' means NCHW input.
 */
export function dataFormat(layers: readonly LayerSpec[]): string {
  const formatsOf = (list: readonly LayerSpec[]): Set<string> => new Set(list.map((l) => l.config['data_format']).filter((f): f is string => typeof f === 'string'));
  const mapped = formatsOf(layers.filter((l) => l.className !== 'Flatten'));
  const formats = mapped.size > 0 ? mapped : formatsOf(layers);
  if (formats.size > 1) throw unsupported(`layers mix data formats (${[...formats].join(', ')})`);
  return formats.values().next().value ?? 'channels_last';
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
