import type { LayerContext, LayerTable, Value } from './handler';
import { windowPads } from './window';

/** MaxPooling2D and AveragePooling2D; strides default to the pool size. */
function pool(layer: LayerContext): Value {
  const { b } = layer;
  const x = layer.map(layer.one());
  const size = layer.pair('pool_size', [2, 2]);
  const strides = layer.pair('strides', size);
  const pads = windowPads(layer, x, size, strides, [1, 1]);
  const name = b.unique(layer.name);
  // Keras (TensorFlow) 'same' average pooling divides by the real elements only.
  b.add({ name, op: layer.className === 'MaxPooling2D' ? 'maxPool' : 'avgPool', inputs: [x.ir], size, strides, pads, countIncludePad: false });
  const oh = Math.floor((x.h + pads[0] + pads[1] - size[0]) / strides[0]) + 1;
  const ow = Math.floor((x.w + pads[2] + pads[3] - size[1]) / strides[1]) + 1;
  return { kind: 'map', ir: name, h: oh, w: ow, c: x.c };
}

function globalAveragePooling(layer: LayerContext): Value {
  const x = layer.map(layer.one());
  if (layer.config['keepdims'] === true) throw layer.unsupported('keepdims = true');
  const name = layer.b.unique(layer.name);
  layer.b.add({ name, op: 'globalAvgPool', inputs: [x.ir] });
  return { kind: 'flat', ir: name, f: x.c };
}

export const POOLING_LAYERS = { MaxPooling2D: pool, AveragePooling2D: pool, GlobalAveragePooling2D: globalAveragePooling } satisfies LayerTable;
