import type { Pads } from '../../../../common/ir/types';
import { samePadding } from '../../common/ir-builder';
import type { OnnxOpContext, OnnxOpTable } from './handler';

/** Spatial pads [top, bottom, left, right] from ONNX pads [t, l, b, r] or auto_pad. */
export function windowPads(op: OnnxOpContext, m: { h: number; w: number }, kernel: [number, number], strides: [number, number], dilations: [number, number]): Pads {
  const auto = op.attribute('auto_pad')?.s ?? 'NOTSET';
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    const upper = auto === 'SAME_UPPER';
    const [t, bot] = samePadding(m.h, kernel[0], strides[0], dilations[0], upper);
    const [l, r] = samePadding(m.w, kernel[1], strides[1], dilations[1], upper);
    return [t, bot, l, r];
  }
  if (auto === 'VALID') return [0, 0, 0, 0];
  if (auto !== 'NOTSET') throw op.unsupported(`auto_pad '${auto}'`);
  const p = op.ints('pads', [0, 0, 0, 0]);
  if (p.length !== 4) throw op.unsupported(`${p.length / 2}-D pads; only 2-D windows are supported`);
  return [p[0]!, p[2]!, p[1]!, p[3]!];
}

/** Pad: zero padding of the spatial axes, pads from the attribute (opset < 11) or input 1. */
function pad(op: OnnxOpContext): void {
  const x = op.data();
  if (x.kind !== 'map') throw op.unsupported('padding a vector');
  const mode = op.attribute('mode')?.s ?? 'constant';
  const p = op.node.attributes.has('pads') ? op.ints('pads', []) : Array.from(op.constInput(1).values);
  const value = op.attribute('value')?.f ?? op.optionalConst(2)?.[0] ?? 0;
  if (mode !== 'constant' || value !== 0) throw op.unsupported(`${mode} padding with value ${value}; only zero padding is supported`);
  // ONNX pads are [x1_begin, x2_begin, …, x1_end, x2_end, …] over N, C, H, W.
  if (p.length !== 8 || p[0] !== 0 || p[1] !== 0 || p[4] !== 0 || p[5] !== 0) throw op.unsupported(`pads [${p.join(', ')}] touch the batch or channel axes`);
  const pads: Pads = [p[2]!, p[6]!, p[3]!, p[7]!];
  const name = op.b.unique(op.node.name);
  op.b.add({ name, op: 'pad', inputs: [x.ir], pads });
  op.set({ kind: 'map', ir: name, c: x.c, h: x.h + pads[0] + pads[1], w: x.w + pads[2] + pads[3] });
}

export const PADDING_OPS = { Pad: pad } satisfies OnnxOpTable;
