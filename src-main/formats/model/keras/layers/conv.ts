import { activate } from './activations';
import type { LayerContext, LayerTable, Value } from './handler';
import { windowPads } from './window';

/** Conv2D (grouped or not) and DepthwiseConv2D; Keras kernels are HWIO already. */
function conv(layer: LayerContext, depthwise: boolean): Value {
  const { b, config: c } = layer;
  const x = layer.map(layer.one());
  const k = layer.pair('kernel_size', [1, 1]);
  const s = layer.pair('strides', [1, 1]);
  const d = layer.pair('dilation_rate', [1, 1]);
  const pads = windowPads(layer, x, k, s, d);
  // Keras 3 calls the depthwise kernel 'kernel'.
  const kw = depthwise ? layer.weight('depthwise_kernel', 0, 'kernel') : layer.weight('kernel', 0);
  let kernel = kw.values;
  if (layer.flipKernels && !depthwise) kernel = flipSpatial(kernel, kw.shape as [number, number, number, number]);
  const [kh, kwid, kin, kout] = kw.shape as [number, number, number, number];
  const groups = depthwise ? x.c : Number(c['groups'] ?? 1);
  const cout = depthwise ? kin * kout : kout;
  if (kh !== k[0] || kwid !== k[1] || (depthwise ? kin !== x.c : kin * groups !== x.c)) {
    throw layer.invalid(`kernel of shape [${kw.shape.join(', ')}] does not fit a ${k[0]}×${k[1]} window on ${x.c} channels`);
  }
  const name = b.unique(layer.name);
  const useBias = c['use_bias'] !== false;
  b.add({
    name, op: 'conv2d', inputs: [x.ir],
    // Depthwise [kh, kw, C, m] is already the grouped layout [kh, kw, 1, C·m] in memory.
    kernel: b.weight(`${name}/kernel`, [kh, kwid, depthwise ? 1 : kin, cout], kernel),
    ...(useBias ? { bias: b.weight(`${name}/bias`, [cout], layer.weight('bias', 1).values) } : {}),
    strides: s, pads, dilations: d, groups,
  });
  const oh = Math.floor((x.h + pads[0] + pads[1] - d[0] * (k[0] - 1) - 1) / s[0]) + 1;
  const ow = Math.floor((x.w + pads[2] + pads[3] - d[1] * (k[1] - 1) - 1) / s[1]) + 1;
  return activate(layer, { kind: 'map', ir: name, h: oh, w: ow, c: cout }, c['activation']);
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

export const CONV_LAYERS = {
  Conv2D: (layer) => conv(layer, false),
  DepthwiseConv2D: (layer) => conv(layer, true),
} satisfies LayerTable;
