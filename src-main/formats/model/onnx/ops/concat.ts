import type { OnnxOpContext, OnnxOpTable } from './handler';
import type { ConstValue, DataValue, Value } from './values';

/** Concat of constants (shape arithmetic) folds; of data, it joins channels. */
function concat(op: OnnxOpContext): void {
  const parts = op.node.inputs.map((_, i) => op.get(i));
  if (parts.every((p) => p.kind === 'const')) {
    const all = parts as ConstValue[];
    op.set({ kind: 'const', dims: [all.reduce((a, p) => a + p.values.length, 0)], values: Float64Array.from(all.flatMap((p) => Array.from(p.values))) });
    return;
  }
  const axis = op.int('axis', 1);
  const first = parts[0]!;
  if (first.kind === 'const' || parts.some((p) => p.kind !== first.kind)) throw op.unsupported('concatenating constants with data, or maps with vectors');
  if (first.kind === 'nhwc') throw op.unsupported('concatenating [N, H, W, C] tensors');
  if (axis !== 1 && !(first.kind === 'flat' && axis === -1) && !(first.kind === 'map' && axis === -3)) throw op.unsupported(`concatenation along axis ${axis}; only channels (axis 1) are supported`);
  const name = op.b.unique(op.node.name);
  op.b.add({ name, op: 'concat', inputs: parts.map((p) => (p as DataValue).ir) });
  if (first.kind === 'map') {
    const maps = parts as Extract<Value, { kind: 'map' }>[];
    op.set({ kind: 'map', ir: name, c: maps.reduce((a, m) => a + m.c, 0), h: first.h, w: first.w });
  } else {
    const flats = parts as Extract<Value, { kind: 'flat' }>[];
    if (flats.some((f) => f.chw)) throw op.unsupported('concatenating flattened feature maps');
    op.set({ kind: 'flat', ir: name, f: flats.reduce((a, f) => a + f.f, 0) });
  }
}

export const CONCAT_OPS = { Concat: concat } satisfies OnnxOpTable;
