import type { WorkbenchError } from '../../../../common/errors';
import type { IrBuilder } from '../../common/ir-builder';
import type { JsonObject } from '../model-config';

/** The layer classes the importer reads, as the "Supported layers:" list of its error message says them. */
export const KERAS_LAYERS = [
  'InputLayer', 'Conv2D', 'DepthwiseConv2D', 'Dense', 'BatchNormalization', 'Activation', 'ReLU', 'LeakyReLU', 'Softmax',
  'MaxPooling2D', 'AveragePooling2D', 'GlobalAveragePooling2D', 'Flatten', 'ZeroPadding2D', 'Add', 'Concatenate',
  'Dropout', 'SpatialDropout2D', 'Rescaling',
] as const;

export type KerasLayerClass = (typeof KERAS_LAYERS)[number];

/** A layer's output while importing: an [H, W, C] feature map or an [F] vector, and the IR node holding it. */
export type Value =
  | { readonly kind: 'map'; readonly ir: string; readonly h: number; readonly w: number; readonly c: number }
  | { readonly kind: 'flat'; readonly ir: string; readonly f: number; readonly chw?: { c: number; h: number; w: number } };

export type MapValue = Extract<Value, { kind: 'map' }>;

export interface Weight {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/**
 * One layer as its handler sees it: its config, its inputs, its weights, and the builder to add
 * IR nodes to. Messages from `unsupported` and `invalid` start with `where` (the layer's name and
 * class); the importer collects them and names the file once.
 */
export interface LayerContext {
  readonly name: string;
  readonly className: string;
  readonly config: JsonObject;
  readonly ins: readonly Value[];
  readonly b: IrBuilder;
  /** `layer 'NAME' (CLASS)`. */
  readonly where: string;
  /** The model's feature maps are NCHW (data_format 'channels_first'). */
  readonly channelsFirst: boolean;
  /** Keras 2 files saved by the Theano backend store true-convolution kernels. */
  readonly flipKernels: boolean;
  /** The layer takes the model input itself (preprocessing, not part of the network). */
  readonly readsModelInput: boolean;
  /** The single input. */
  one(): Value;
  /** `v`, which must be image-shaped. */
  map(v: Value): MapValue;
  /** A weight by role (or another spelling of it), or by position when the file does not name them. */
  weight(role: string, index: number, ...aliases: string[]): Weight;
  /** A config entry that is one number for both axes or a pair. */
  pair(key: string, fallback: [number, number]): [number, number];
  /** Input preprocessing the model records, applied to the data on load. */
  recordPreprocessing(p: { scale: number; offset: number }): void;
  unsupported(message: string): WorkbenchError;
  invalid(message: string): WorkbenchError;
}

export type LayerHandler = (layer: LayerContext) => Value;

/** A family's handlers, by class name. */
export type LayerTable = { readonly [K in KerasLayerClass]?: LayerHandler };
