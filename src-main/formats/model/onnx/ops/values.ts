/**
 * What an ONNX tensor is while the importer walks the graph. ONNX tensors are NCHW; the IR is
 * NHWC, so feature maps are tracked with their channel-first shape and stored channel-last.
 * tf2onnx keeps a Keras model's NHWC tensors in places: the IR holds the same [H, W, C] data
 * either way, so an NHWC tensor is tracked as its own kind of value.
 */
export type Value =
  | { readonly kind: 'const'; readonly dims: readonly number[]; readonly values: Float64Array }
  /** An [N, C, H, W] feature map, stored in the IR as [H, W, C]. */
  | { readonly kind: 'map'; readonly ir: string; readonly c: number; readonly h: number; readonly w: number }
  /** An [N, H, W, C] feature map (a TensorFlow export's layout), stored in the IR as [H, W, C] too. */
  | { readonly kind: 'nhwc'; readonly ir: string; readonly c: number; readonly h: number; readonly w: number }
  /** An [N, F] vector; `chw` when it is a flattened C×H×W map (source order C, H, W). */
  | { readonly kind: 'flat'; readonly ir: string; readonly f: number; readonly chw?: { c: number; h: number; w: number } };

/** A tensor computed from the graph input (it has an IR node), as opposed to a folded constant. */
export type DataValue = Exclude<Value, { kind: 'const' }>;
export type ConstValue = Extract<Value, { kind: 'const' }>;

/** The same kind and shape as `v`, held by the IR node `ir`. */
export function like(v: DataValue, ir: string): DataValue {
  return { ...v, ir };
}

/** Channels of a map, features of a vector: the length of a per-channel parameter. */
export function channelsOf(v: DataValue): number {
  return v.kind === 'flat' ? v.f : v.c;
}
