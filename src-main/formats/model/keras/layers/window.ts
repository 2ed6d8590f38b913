import type { Pads } from '../../../../common/ir/types';
import { samePadding } from '../../common/ir-builder';
import type { LayerContext, MapValue } from './handler';

/** Pads [top, bottom, left, right] of a convolution or pooling window from the layer's `padding`. */
export function windowPads(layer: LayerContext, m: MapValue, k: [number, number], s: [number, number], d: [number, number]): Pads {
  const padding = layer.config['padding'] ?? 'valid';
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding !== 'same') throw layer.unsupported(`padding '${String(padding)}'`);
  // TensorFlow 'same': the extra pixel, when the total is odd, goes at the end.
  const [t, bot] = samePadding(m.h, k[0], s[0], d[0], true);
  const [l, r] = samePadding(m.w, k[1], s[1], d[1], true);
  return [t, bot, l, r];
}
