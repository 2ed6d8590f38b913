import { obj } from '../model-config';
import type { LayerContext, LayerTable, Value } from './handler';

/**
 * Activations, as layers of their own and inside other layers (`Conv2D(activation='relu')`):
 * each becomes its own IR node, so conversion sees every one of them.
 */
export const KERAS_ACTIVATIONS = ['linear', 'relu', 'relu6', 'softmax'] as const;

export function activationName(v: unknown): string {
  if (v === undefined || v === null) return 'linear';
  if (typeof v === 'string') return v;
  // Keras 3 may serialise activations as {module, class_name, config, registered_name}
  const o = obj(v);
  return String(o['config'] !== undefined && typeof o['config'] === 'string' ? o['config'] : (o['class_name'] ?? 'unknown'));
}

/** `v` through the activation a layer config names (nothing for 'linear'). */
export function activate(layer: LayerContext, v: Value, activation: unknown): Value {
  const { b } = layer;
  const name = activationName(activation);
  switch (name) {
    case 'linear':
      return v;
    case 'relu':
      return { ...v, ir: b.add({ name: b.unique(`${layer.name}_relu`), op: 'relu', inputs: [v.ir] }) };
    case 'relu6':
      return { ...v, ir: b.add({ name: b.unique(`${layer.name}_relu6`), op: 'clip', inputs: [v.ir], min: 0, max: 6 }) };
    case 'softmax':
      if (v.kind !== 'flat') throw layer.unsupported('softmax over a feature map');
      return { ...v, ir: b.add({ name: b.unique(`${layer.name}_softmax`), op: 'softmax', inputs: [v.ir] }) };
    default:
      throw layer.unsupported(`activation '${name}'`);
  }
}

function relu(layer: LayerContext): Value {
  const { b, config: c } = layer;
  const x = layer.one();
  const max = c['max_value'] === null || c['max_value'] === undefined ? Infinity : Number(c['max_value']);
  const slope = Number(c['negative_slope'] ?? 0);
  const threshold = Number(c['threshold'] ?? 0);
  if (threshold !== 0) throw layer.unsupported(`threshold ${threshold}`);
  if (slope !== 0) {
    if (max !== Infinity) throw layer.unsupported('leaky ReLU with a cap');
    return { ...x, ir: b.add({ name: b.unique(layer.name), op: 'leakyRelu', inputs: [x.ir], alpha: slope }) };
  }
  const name = b.unique(layer.name);
  b.add(max === Infinity ? { name, op: 'relu', inputs: [x.ir] } : { name, op: 'clip', inputs: [x.ir], min: 0, max });
  return { ...x, ir: name };
}

function leakyRelu(layer: LayerContext): Value {
  const { b, config: c } = layer;
  const x = layer.one();
  // Keras 3 names the slope negative_slope; Keras 2 and TF.js call it alpha.
  const alpha = Number(c['negative_slope'] ?? c['alpha'] ?? 0.3);
  return { ...x, ir: b.add({ name: b.unique(layer.name), op: 'leakyRelu', inputs: [x.ir], alpha }) };
}

export const ACTIVATION_LAYERS = {
  Activation: (layer) => activate(layer, layer.one(), layer.config['activation']),
  Softmax: (layer) => activate(layer, layer.one(), 'softmax'),
  ReLU: relu,
  LeakyReLU: leakyRelu,
} satisfies LayerTable;
