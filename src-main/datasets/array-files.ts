import { invalidArgument, invalidData } from '../common/errors';
import { decodeNpy, isNpy, type NumericArray } from '../formats/arrays/npy';
import { isZip, unpackNpz } from '../formats/arrays/npz';
import { maybeGunzip } from '../formats/compression/gzip';
import { decodeIdx } from '../formats/images/idx';
import { readBytes } from '../formats/node/files';
import type { InputTransform } from '../common/datasets';
import { makeImageSet, type SampleSet, type StoredLayout } from './sample-set';

/**
 * Image and label arrays from IDX (raw or .gz) and NumPy `.npy`/`.npz` files. A `.npz` member is
 * chosen with `file.npz:name`; without a name the archive must hold exactly one array, or one
 * of the usual names (x, images, x_test / y, labels, y_test).
 */

export interface ArrayFileOptions {
  readonly images: string;
  readonly labels: string;
  readonly transform: InputTransform;
  /** How 4-D arrays are stored; `auto` decides from where the 1- or 3-channel axis is. */
  readonly layout?: StoredLayout | 'auto';
}

interface LoadedArray {
  readonly shape: readonly number[];
  readonly data: NumericArray;
}

const IMAGE_KEYS = ['x', 'images', 'x_test', 'X', 'data'];
const LABEL_KEYS = ['y', 'labels', 'y_test', 'Y', 'targets'];

export function loadArrayFile(spec: string, preferredKeys: readonly string[], what: string): LoadedArray {
  const colon = spec.lastIndexOf(':');
  const hasKey = colon > 1 && spec.slice(0, colon).toLowerCase().endsWith('.npz');
  const path = hasKey ? spec.slice(0, colon) : spec;
  const key = hasKey ? spec.slice(colon + 1) : undefined;
  const bytes = maybeGunzip(readBytes(path, what), path);
  if (isNpy(bytes)) return decodeNpy(bytes, path);
  if (isZip(bytes)) {
    const members = unpackNpz(bytes, path);
    const names = [...members.keys()];
    const chosen = key ?? (names.length === 1 ? names[0] : preferredKeys.find((k) => members.has(k)));
    const member = chosen === undefined ? undefined : members.get(chosen);
    if (member === undefined) {
      throw invalidArgument(
        `${path}: ${key ? `has no array '${key}'` : 'holds several arrays'}; name one as ${path}:NAME (arrays: ${names.join(', ')})`,
      );
    }
    return decodeNpy(member, `${path}:${chosen}`);
  }
  if (bytes[0] === 0 && bytes[1] === 0) {
    const idx = decodeIdx(bytes, path);
    return { shape: idx.dims, data: idx.data instanceof Float64Array ? idx.data : idx.data };
  }
  throw invalidData(`${path}: ${what} is neither IDX, .npy nor .npz (first bytes ${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')})`);
}

export function loadImageArrays(options: ArrayFileOptions): SampleSet {
  const images = loadArrayFile(options.images, IMAGE_KEYS, 'images file');
  const labelArray = loadArrayFile(options.labels, LABEL_KEYS, 'labels file');
  const { shape, layout } = sampleShape(images.shape, options.layout ?? 'auto', options.images);
  const count = images.shape[0]!;
  const labels = labelsFrom(labelArray, options.labels);
  return makeImageSet({ name: options.images, data: images.data, count, shape, layout, labels, transform: options.transform });
}

function sampleShape(
  dims: readonly number[],
  layout: StoredLayout | 'auto',
  source: string,
): { shape: readonly number[]; layout: StoredLayout } {
  const [n, a, b, c] = dims;
  switch (dims.length) {
    case 2:
      return { shape: [a!], layout: 'nhwc' };
    case 3:
      return { shape: [a!, b!, 1], layout: 'nhwc' };
    case 4: {
      const channelsFirst = a === 1 || a === 3;
      const channelsLast = c === 1 || c === 3;
      let chosen = layout;
      if (chosen === 'auto') {
        if (channelsFirst === channelsLast) {
          throw invalidArgument(
            `${source}: cannot tell whether the [${dims.join(', ')}] array is NCHW or NHWC; pass --layout nchw or --layout nhwc`,
          );
        }
        chosen = channelsFirst ? 'nchw' : 'nhwc';
      }
      return chosen === 'nchw' ? { shape: [b!, c!, a!], layout: 'nchw' } : { shape: [a!, b!, c!], layout: 'nhwc' };
    }
    default:
      throw invalidArgument(`${source}: images array of shape [${dims.join(', ')}] (${n ?? 0} samples) must be 2-D, 3-D or 4-D`);
  }
}

/** Class ids from a [N] array of integers or a [N, K] one-hot (or score) array (argmax). */
export function labelsFrom(array: LoadedArray, source: string): Int32Array {
  const { shape, data } = array;
  if (shape.length === 1) {
    const out = new Int32Array(shape[0]!);
    for (let i = 0; i < out.length; i++) {
      const v = data[i]!;
      if (!Number.isInteger(v) || v < 0) throw invalidData(`${source}: label ${i} is ${v}, not a class id (non-negative integer)`);
      out[i] = v;
    }
    return out;
  }
  if (shape.length === 2) {
    const [n, k] = shape as [number, number];
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (data[i * k + j]! > data[i * k + best]!) best = j;
      out[i] = best;
    }
    return out;
  }
  throw invalidData(`${source}: labels array of shape [${shape.join(', ')}] must be [N] class ids or [N, K] one-hot`);
}
