import { invalidArgument } from '../common/errors';
import type { NumericArray } from '../formats/arrays/npy';
import type { InputTransform, SampleSetDescriptor } from '../common/datasets';

/**
 * An in-memory labelled array dataset. Pixels stay in their stored type and layout; `read`
 * gathers samples as NHWC float32 with the input transform `x·scale + offset` applied.
 */
export interface SampleSet {
  /** Where the data came from, for reports. */
  readonly name: string;
  readonly count: number;
  /** Per-sample shape as the model sees it: [H, W, C] or [F]. */
  readonly shape: readonly number[];
  readonly classes: number;
  readonly labels: Int32Array;
  readonly transform: InputTransform;
  /** The samples at `indices`, concatenated, NHWC float32. */
  read(indices: ArrayLike<number>): Float32Array;
  /** Event datasets: the samples as T frames each, time-major (see event-source.ts). */
  readSteps?(indices: ArrayLike<number>, T: number): Float32Array;
  /** How to open this set again in a worker, when it can be (see descriptor.ts). */
  describe?(): SampleSetDescriptor;
}


export type StoredLayout = 'nhwc' | 'nchw';

export function makeImageSet(args: {
  name: string;
  data: NumericArray;
  count: number;
  shape: readonly number[];
  layout: StoredLayout;
  labels: Int32Array;
  transform: InputTransform;
}): SampleSet {
  const { data, count, shape, layout, labels, transform } = args;
  const size = shape.reduce((a, b) => a * b, 1);
  if (data.length !== count * size) {
    throw invalidArgument(`${args.name}: ${data.length} values do not make ${count} samples of shape [${shape.join(', ')}]`);
  }
  if (labels.length !== count) {
    throw invalidArgument(`${args.name}: ${count} images but ${labels.length} labels`);
  }
  let classes = 0;
  for (const label of labels) {
    if (label < 0) throw invalidArgument(`${args.name}: negative label ${label}`);
    classes = Math.max(classes, label + 1);
  }
  const { scale, offset } = transform;
  const chw = layout === 'nchw' && shape.length === 3;
  const [h = 1, w = 1, c = 1] = shape;
  return {
    name: args.name,
    count,
    shape,
    classes,
    labels,
    transform,
    read(indices: ArrayLike<number>): Float32Array {
      const out = new Float32Array(indices.length * size);
      for (let k = 0; k < indices.length; k++) {
        const index = indices[k]!;
        if (!(index >= 0 && index < count)) throw invalidArgument(`${args.name}: sample ${index} is out of range (0..${count - 1})`);
        const src = index * size;
        const dst = k * size;
        if (!chw) {
          for (let i = 0; i < size; i++) out[dst + i] = data[src + i]! * scale + offset;
          continue;
        }
        // Stored channel-first (PyTorch, NCHW): value (ch, y, x) moves to (y, x, ch).
        for (let ch = 0; ch < c; ch++) {
          for (let p = 0; p < h * w; p++) out[dst + p * c + ch] = data[src + ch * h * w + p]! * scale + offset;
        }
      }
      return out;
    },
  };
}

/** Sample indices 0..n-1 of a set, for the common "first N samples" selection. */
export function firstIndices(set: SampleSet, limit: number): Int32Array {
  const n = Math.min(limit, set.count);
  return Int32Array.from({ length: n }, (_, i) => i);
}
