import { ACTIVATION_LAYERS } from './activations';
import { CONV_LAYERS } from './conv';
import { DENSE_LAYERS } from './dense';
import type { KerasLayerClass, LayerHandler } from './handler';
import { MERGE_LAYERS } from './merge';
import { NORMALIZATION_LAYERS } from './normalization';
import { IDENTITY_LAYERS } from './identity';
import { POOLING_LAYERS } from './pooling';
import { PREPROCESSING_LAYERS } from './preprocessing';
import { RESHAPING_LAYERS } from './reshaping';

export { KERAS_LAYERS } from './handler';
export { KERAS_ACTIVATIONS } from './activations';

/**
 * The handler of every class in KERAS_LAYERS: adding a layer is adding its handler to a family's
 * table (the type makes this one list every class of KERAS_LAYERS).
 */
const HANDLERS: { readonly [K in KerasLayerClass]: LayerHandler } = {
  ...IDENTITY_LAYERS, ...CONV_LAYERS, ...DENSE_LAYERS, ...NORMALIZATION_LAYERS, ...ACTIVATION_LAYERS,
  ...POOLING_LAYERS, ...RESHAPING_LAYERS, ...MERGE_LAYERS, ...PREPROCESSING_LAYERS,
};

const BY_CLASS: ReadonlyMap<string, LayerHandler> = new Map(Object.entries(HANDLERS));

/** The handler for a Keras class name, if the importer reads it. */
export function kerasLayerHandler(className: string): LayerHandler | undefined {
  return BY_CLASS.get(className);
}
