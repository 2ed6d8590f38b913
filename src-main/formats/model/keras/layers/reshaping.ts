import type { Pads } from '../../../../common/ir/types';
import type { LayerContext, LayerTable, Value } from './handler';

function flatten(layer: LayerContext): Value {
  const x = layer.one();
  if (x.kind === 'flat') return x;
  const name = layer.b.unique(layer.name);
  layer.b.add({ name, op: 'flatten', inputs: [x.ir] });
  const f = x.h * x.w * x.c;
  // The IR flattens H, W, C. Keras flattens the tensor as stored, except that a Flatten
  // with data_format 'channels_first' (recorded since Keras 2.2; keras/layers/core.py
  // Flatten.call) first moves axis 1 last. So the order is C, H, W — and the next Dense
  // kernel is reordered — for a channels_first tensor under a Flatten without the key
  // (older files) or with 'channels_last'. A channels_last tensor under 'channels_first'
  // would flatten as W, C, H, which no model is known to do.
  const flattenFormat = layer.config['data_format'];
  if (!layer.channelsFirst && flattenFormat === 'channels_first' && x.h > 1 && x.w * x.c > 1) {
    throw layer.unsupported("data_format 'channels_first' on a channels_last feature map");
  }
  const chwOrder = layer.channelsFirst && flattenFormat !== 'channels_first';
  return chwOrder && x.c > 1 && x.h * x.w > 1 ? { kind: 'flat', ir: name, f, chw: { c: x.c, h: x.h, w: x.w } } : { kind: 'flat', ir: name, f };
}

/** ZeroPadding2D: `padding` is n, [h, w] or [[top, bottom], [left, right]]. */
function zeroPadding(layer: LayerContext): Value {
  const x = layer.map(layer.one());
  const p = layer.config['padding'];
  let pads: Pads;
  if (typeof p === 'number') pads = [p, p, p, p];
  else if (Array.isArray(p) && Array.isArray(p[0])) pads = [Number(p[0][0]), Number(p[0][1]), Number((p[1] as number[])[0]), Number((p[1] as number[])[1])];
  else if (Array.isArray(p)) pads = [Number(p[0]), Number(p[0]), Number(p[1]), Number(p[1])];
  else throw layer.invalid(`padding ${JSON.stringify(p)}`);
  const name = layer.b.unique(layer.name);
  layer.b.add({ name, op: 'pad', inputs: [x.ir], pads });
  return { kind: 'map', ir: name, h: x.h + pads[0] + pads[1], w: x.w + pads[2] + pads[3], c: x.c };
}

export const RESHAPING_LAYERS = { Flatten: flatten, ZeroPadding2D: zeroPadding } satisfies LayerTable;
