import type { OnnxOpContext, OnnxOpTable } from './handler';

/**
 * Constant folding: Constant nodes, and the Shape → Gather chains exporters write for the
 * target of a flattening Reshape, evaluated with the batch size taken as 1.
 */
function constant(op: OnnxOpContext): void {
  const t = op.attribute('value')?.t;
  const f = op.attribute('value_float')?.f;
  const i = op.attribute('value_int')?.i;
  const fs = op.attribute('value_floats')?.floats;
  const is = op.attribute('value_ints')?.ints;
  if (t) op.set({ kind: 'const', dims: t.dims, values: t.values });
  else if (f !== undefined) op.set({ kind: 'const', dims: [], values: Float64Array.of(f) });
  else if (i !== undefined) op.set({ kind: 'const', dims: [], values: Float64Array.of(i) });
  else if (fs?.length || is?.length) {
    const list = fs?.length ? fs : is!;
    op.set({ kind: 'const', dims: [list.length], values: Float64Array.from(list) });
  } else throw op.unsupported('constant without a value');
}

function shape(op: OnnxOpContext): void {
  const v = op.get(0);
  const dims = v.kind === 'const' ? v.dims : v.kind === 'map' ? [1, v.c, v.h, v.w] : v.kind === 'nhwc' ? [1, v.h, v.w, v.c] : [1, v.f];
  op.set({ kind: 'const', dims: [dims.length], values: Float64Array.from(dims) });
}

function gather(op: OnnxOpContext): void {
  const v = op.constInput(0);
  const idx = op.constInput(1);
  if (op.int('axis', 0) !== 0 || v.dims.length !== 1) throw op.unsupported('only gathers from a 1-D constant fold');
  const picked = Array.from(idx.values, (i) => v.values[i < 0 ? i + v.values.length : i]!);
  op.set({ kind: 'const', dims: idx.dims, values: Float64Array.from(picked) });
}

export const CONSTANT_OPS = { Constant: constant, Shape: shape, Gather: gather } satisfies OnnxOpTable;
