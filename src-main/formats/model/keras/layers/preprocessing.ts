import type { LayerContext, LayerTable, Value } from './handler';

/** Rescaling: y = scale·x + offset. */
function rescaling(layer: LayerContext): Value {
  const { b, config: c } = layer;
  const x = layer.one();
  const scale = Number(c['scale'] ?? 1);
  const offset = Number(c['offset'] ?? 0);
  if (layer.readsModelInput) {
    // Preprocessing recorded by the model: applied to the data on load.
    layer.recordPreprocessing({ scale, offset });
    return x;
  }
  // Inside the network: an affine batch-norm node (see IrBuilder.affine).
  const channels = x.kind === 'map' ? x.c : x.f;
  const name = b.unique(layer.name);
  b.affine(name, x.ir, new Array<number>(channels).fill(scale), new Array<number>(channels).fill(offset));
  return { ...x, ir: name };
}

export const PREPROCESSING_LAYERS = { Rescaling: rescaling } satisfies LayerTable;
