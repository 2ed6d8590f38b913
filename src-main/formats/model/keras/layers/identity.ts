import type { LayerTable } from './handler';

/** Layers that are the identity at inference: an InputLayer inside the graph, and dropout. */
export const IDENTITY_LAYERS = {
  InputLayer: (layer) => layer.one(),
  Dropout: (layer) => layer.one(),
  SpatialDropout2D: (layer) => layer.one(),
} satisfies LayerTable;
