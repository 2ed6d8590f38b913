import { WorkbenchError, invalidData, unsupported } from '../../../common/errors';
import type { Graph } from '../../../common/ir/types';
import { IrBuilder } from '../common/ir-builder';
import { activationName } from './layers/activations';
import { layerContext, type ModelState } from './layers/context';
import type { LayerHandler, Value } from './layers/handler';
import { KERAS_ACTIVATIONS, KERAS_LAYERS, kerasLayerHandler } from './layers/index';
import { dataFormat, inputShape, readModelConfig } from './model-config';
import type { WeightSource } from './weights';

export { KERAS_ACTIVATIONS, KERAS_LAYERS } from './layers/index';
export { kerasSaveNames } from './model-config';
export type { LayerWeights, WeightSource } from './weights';

export interface KerasImportOptions {
  readonly source: string;
  /** Keras 2 files saved by the Theano backend store true-convolution kernels: flip them. */
  readonly flipKernels?: boolean;
}

/**
 * Keras layer configurations → graph IR. One converter serves Keras 2 and 3 HDF5 files, `.keras`
 * archives and TensorFlow.js layers models, which all describe the network as Keras layer configs
 * (Sequential or functional); only where the weights come from differs (`WeightSource`). Each
 * layer is converted by the handler of its class (layers/index.ts), in the order of the config.
 * Accepts `{class_name, config}` at the top, or TF.js's `{model_config: {...}}` wrapper.
 */
export function kerasToIr(modelConfig: unknown, weights: WeightSource, options: KerasImportOptions): Graph {
  const { source } = options;
  const { name: modelName, layers, inputs, outputs } = readModelConfig(modelConfig, source);
  if (inputs.length !== 1 || outputs.length !== 1) {
    throw unsupported(`${source}: ${inputs.length} inputs and ${outputs.length} outputs; single-input, single-output models are supported`);
  }
  const unknown = layers.filter((l) => kerasLayerHandler(l.className) === undefined);
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
  const state: ModelState = {
    b, weights, channelsFirst, flipKernels: options.flipKernels === true, input: inputValue,
    recordPreprocessing: (p) => void (preprocessing = p),
  };

  const values = new Map<string, Value>();
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
      const handle = kerasLayerHandler(layer.className) ?? notSupported;
      values.set(layer.name, handle(layerContext(state, layer, ins)));
    } catch (error) {
      if (!(error instanceof WorkbenchError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw unsupported(`${source}: ${problems.length} layer(s) cannot be imported: ${problems.join('; ')}`);
  const out = values.get(outputs[0]!);
  if (out === undefined) throw invalidData(`${source}: output layer '${outputs[0]}' is not computed from the input`);
  return b.build({ name: modelName, inputShape: irInputShape, output: out.ir, ...(preprocessing ? { preprocessing } : {}) });
}

const notSupported: LayerHandler = (layer) => {
  throw layer.unsupported('not supported');
};
