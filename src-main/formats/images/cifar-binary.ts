import { invalidData } from '../../common/errors';

/**
 * CIFAR-10 / CIFAR-100 binary batches (Krizhevsky 2009, "binary version"): fixed-size records of
 * label byte(s) then 3072 pixel bytes — the 1024 red values of the 32×32 image row by row, then
 * green, then blue (channel-first). CIFAR-10 records have one label byte; CIFAR-100 records two:
 * the coarse (20 superclasses) then the fine (100 classes) label.
 */
export type CifarKind = 'cifar10' | 'cifar100';

export interface CifarBatch {
  readonly count: number;
  /** Pixels NCHW uint8, [count, 3, 32, 32]. */
  readonly pixels: Uint8Array;
  readonly labels: Int32Array;
  readonly coarseLabels?: Int32Array;
}

export function decodeCifarBatch(bytes: Uint8Array, kind: CifarKind, source: string): CifarBatch {
  const labelBytes = kind === 'cifar10' ? 1 : 2;
  const record = labelBytes + 3072;
  if (bytes.length === 0 || bytes.length % record !== 0) {
    throw invalidData(`${source}: ${bytes.length} bytes is not a whole number of ${kind === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100'} records (${record} bytes each)`);
  }
  const count = bytes.length / record;
  const pixels = new Uint8Array(count * 3072);
  const labels = new Int32Array(count);
  const coarse = kind === 'cifar100' ? new Int32Array(count) : undefined;
  const classes = kind === 'cifar10' ? 10 : 100;
  for (let i = 0; i < count; i++) {
    const at = i * record;
    const label = bytes[at + labelBytes - 1]!;
    if (label >= classes) throw invalidData(`${source}: record ${i} (byte ${at}) has label ${label}, beyond the ${classes} classes`);
    labels[i] = label;
    if (coarse) coarse[i] = bytes[at]!;
    pixels.set(bytes.subarray(at + labelBytes, at + record), i * 3072);
  }
  return coarse ? { count, pixels, labels, coarseLabels: coarse } : { count, pixels, labels };
}
