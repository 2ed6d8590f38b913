import type { OnnxOpContext, OnnxOpTable } from './handler';
import { windowPads } from './padding';

/** MaxPool and AveragePool over 2-D windows. */
function pool(op: OnnxOpContext): void {
  const x = op.data();
  if (x.kind !== 'map') throw op.unsupported('needs an [N, C, H, W] input');
  const kernel = op.ints('kernel_shape', []) as [number, number];
  if (kernel.length !== 2) throw op.unsupported(`${kernel.length}-D pooling; only 2-D is supported`);
  const strides = op.ints('strides', [1, 1]) as [number, number];
  if (op.ints('dilations', [1, 1]).some((d) => d !== 1)) throw op.unsupported('dilated pooling');
  const pads = windowPads(op, x, kernel, strides, [1, 1]);
  const floorH = Math.floor((x.h + pads[0] + pads[1] - kernel[0]) / strides[0]) + 1;
  const floorW = Math.floor((x.w + pads[2] + pads[3] - kernel[1]) / strides[1]) + 1;
  if (op.int('ceil_mode', 0) === 1) {
    const ceilH = Math.ceil((x.h + pads[0] + pads[1] - kernel[0]) / strides[0]) + 1;
    const ceilW = Math.ceil((x.w + pads[2] + pads[3] - kernel[1]) / strides[1]) + 1;
    if (ceilH !== floorH || ceilW !== floorW) throw op.unsupported('ceil_mode = 1 changes the output size here');
  }
  const name = op.b.unique(op.node.name);
  op.b.add({
    name, op: op.node.opType === 'MaxPool' ? 'maxPool' : 'avgPool', inputs: [x.ir], size: kernel, strides, pads,
    countIncludePad: op.int('count_include_pad', 0) === 1,
  });
  op.set({ kind: 'map', ir: name, c: x.c, h: floorH, w: floorW });
}

function globalAveragePool(op: OnnxOpContext): void {
  const x = op.data();
  if (x.kind !== 'map') throw op.unsupported('needs an [N, C, H, W] input');
  const name = op.b.unique(op.node.name);
  op.b.add({ name, op: 'globalAvgPool', inputs: [x.ir] });
  // ONNX keeps [N, C, 1, 1]; the IR holds [C]. A later Flatten or Reshape is the identity.
  op.set({ kind: 'flat', ir: name, f: x.c });
}

export const POOLING_OPS = { MaxPool: pool, AveragePool: pool, GlobalAveragePool: globalAveragePool } satisfies OnnxOpTable;
