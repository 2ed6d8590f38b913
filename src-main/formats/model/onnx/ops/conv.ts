import { oihwToHwio } from '../../common/ir-builder';
import type { OnnxOpContext, OnnxOpTable } from './handler';
import { windowPads } from './padding';

/** Conv: 2-D, grouped or not; OIHW weights become the IR's HWIO. */
function conv(op: OnnxOpContext): void {
  const x = op.data();
  if (x.kind !== 'map') throw op.unsupported('needs an [N, C, H, W] input');
  const w = op.constInput(1);
  const [o, i, kh, kw] = w.dims as [number, number, number, number];
  if (w.dims.length !== 4) throw op.unsupported(`${w.dims.length - 2}-D convolution; only 2-D is supported`);
  const groups = op.int('group', 1);
  const strides = op.ints('strides', [1, 1]) as [number, number];
  const dilations = op.ints('dilations', [1, 1]) as [number, number];
  if (i * groups !== x.c) throw op.invalid(`weights expect ${i * groups} input channels, the input has ${x.c}`);
  const pads = windowPads(op, x, [kh, kw], strides, dilations);
  const bias = op.optionalConst(2);
  const { b } = op;
  const name = b.unique(op.node.name);
  b.add({
    name, op: 'conv2d', inputs: [x.ir], kernel: b.weight(`${name}/kernel`, [kh, kw, i, o], oihwToHwio(w.values, o, i, kh, kw)),
    ...(bias ? { bias: b.weight(`${name}/bias`, [o], bias) } : {}),
    strides, pads, dilations, groups,
  });
  const oh = Math.floor((x.h + pads[0] + pads[1] - dilations[0] * (kh - 1) - 1) / strides[0]) + 1;
  const ow = Math.floor((x.w + pads[2] + pads[3] - dilations[1] * (kw - 1) - 1) / strides[1]) + 1;
  op.set({ kind: 'map', ir: name, c: o, h: oh, w: ow });
}

export const CONV_OPS = { Conv: conv } satisfies OnnxOpTable;
