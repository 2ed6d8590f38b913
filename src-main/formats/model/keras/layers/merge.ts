import type { LayerContext, LayerTable, MapValue, Value } from './handler';

function add(layer: LayerContext): Value {
  const { ins } = layer;
  if (ins.length < 2) throw layer.invalid('needs two or more inputs');
  const name = layer.b.unique(layer.name);
  layer.b.add({ name, op: 'add', inputs: ins.map((v) => v.ir) });
  return { ...ins[0]!, ir: name };
}

/** Concatenate along the channels: the last axis, or axis 1 of channels_first maps. */
function concatenate(layer: LayerContext): Value {
  const { ins } = layer;
  const axis = Number(layer.config['axis'] ?? -1);
  const first = ins[0]!;
  const channelAxis = first.kind === 'map' ? (layer.channelsFirst ? 1 : 3) : 1;
  if (axis !== -1 && axis !== channelAxis) throw layer.unsupported(`concatenation along axis ${axis}; only channels are supported`);
  const name = layer.b.unique(layer.name);
  layer.b.add({ name, op: 'concat', inputs: ins.map((v) => v.ir) });
  if (first.kind === 'map') return { ...first, ir: name, c: ins.reduce((a, v) => a + (v as MapValue).c, 0) };
  return { kind: 'flat', ir: name, f: ins.reduce((a, v) => a + (v as Extract<Value, { kind: 'flat' }>).f, 0) };
}

export const MERGE_LAYERS = { Add: add, Concatenate: concatenate } satisfies LayerTable;
