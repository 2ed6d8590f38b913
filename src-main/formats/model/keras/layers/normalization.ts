import type { LayerContext, LayerTable, Value } from './handler';

/** BatchNormalization over the channel axis; without scale or center, γ = 1 and β = 0. */
function batchNormalization(layer: LayerContext): Value {
  const { b, config: c } = layer;
  const x = layer.one();
  const channels = x.kind === 'map' ? x.c : x.f;
  const axis = Array.isArray(c['axis']) ? Number(c['axis'][0]) : Number(c['axis'] ?? -1);
  const channelAxis = layer.channelsFirst && x.kind === 'map' ? 1 : x.kind === 'map' ? 3 : 1;
  if (axis !== -1 && axis !== channelAxis) throw layer.unsupported(`normalising axis ${axis}; only the channel axis is supported`);
  const scale = c['scale'] !== false;
  const center = c['center'] !== false;
  // Weights the layer does not have are left out of the file: the positions shift.
  let index = 0;
  const gamma = scale ? layer.weight('gamma', index++).values : new Float32Array(channels).fill(1);
  const beta = center ? layer.weight('beta', index++).values : new Float32Array(channels);
  const mean = layer.weight('moving_mean', index++).values;
  const variance = layer.weight('moving_variance', index++).values;
  const name = b.unique(layer.name);
  b.add({
    name, op: 'batchNorm', inputs: [x.ir], epsilon: Number(c['epsilon'] ?? 1e-3),
    gamma: b.weight(`${name}/gamma`, [channels], gamma), beta: b.weight(`${name}/beta`, [channels], beta),
    mean: b.weight(`${name}/mean`, [channels], mean), variance: b.weight(`${name}/variance`, [channels], variance),
  });
  return { ...x, ir: name };
}

export const NORMALIZATION_LAYERS = { BatchNormalization: batchNormalization } satisfies LayerTable;
