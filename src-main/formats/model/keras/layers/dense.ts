import { chwRowsToHwc } from '../../common/ir-builder';
import { activate } from './activations';
import type { LayerContext, LayerTable, Value } from './handler';

/** Dense on a vector; after a channels-first flatten its kernel rows are reordered to H·W·C. */
function dense(layer: LayerContext): Value {
  const { b, config: c } = layer;
  const x = layer.one();
  if (x.kind !== 'flat') throw layer.unsupported('Dense on an image-shaped input (add a Flatten)');
  const kw = layer.weight('kernel', 0);
  const [fin, fout] = kw.shape as [number, number];
  if (fin !== x.f) throw layer.invalid(`kernel takes ${fin} inputs, the input has ${x.f}`);
  const rows = x.chw ? chwRowsToHwc(kw.values, x.chw.c, x.chw.h, x.chw.w, fout) : kw.values;
  const name = b.unique(layer.name);
  b.add({
    name, op: 'dense', inputs: [x.ir], kernel: b.weight(`${name}/kernel`, [fin, fout], rows),
    ...(c['use_bias'] !== false ? { bias: b.weight(`${name}/bias`, [fout], layer.weight('bias', 1).values) } : {}),
  });
  return activate(layer, { kind: 'flat', ir: name, f: fout }, c['activation']);
}

export const DENSE_LAYERS = { Dense: dense } satisfies LayerTable;
