/**
 * An HDF5 file as plain data: groups of named datasets and groups. The NIR importer and exporter
 * work on this (bytes-free, testable without HDF5); formats/node/nir-file.ts reads and writes it
 * with h5wasm. Datasets keep the dtypes NIR's Python package writes (nir/serialization.py):
 * float32 weights, int64 shapes and sizes, UTF-8 variable-length strings, float64 numbers.
 */
export type H5Dataset =
  | { readonly dtype: 'f32'; readonly shape: readonly number[]; readonly data: Float32Array }
  | { readonly dtype: 'f64'; readonly shape: readonly number[]; readonly data: Float64Array }
  | { readonly dtype: 'i64'; readonly shape: readonly number[]; readonly data: readonly number[] }
  | { readonly dtype: 'str'; readonly shape: readonly number[]; readonly data: readonly string[] };

export interface H5Group {
  readonly group: { readonly [name: string]: H5Entry };
}

export type H5Entry = H5Group | H5Dataset;

export function isGroup(e: H5Entry | undefined): e is H5Group {
  return e !== undefined && 'group' in e;
}

export const str = (s: string): H5Dataset => ({ dtype: 'str', shape: [], data: [s] });
export const i64 = (values: readonly number[], shape: readonly number[] = [values.length]): H5Dataset => ({ dtype: 'i64', shape, data: values });
export const i64Scalar = (v: number): H5Dataset => ({ dtype: 'i64', shape: [], data: [v] });
export const f64Scalar = (v: number): H5Dataset => ({ dtype: 'f64', shape: [], data: Float64Array.of(v) });
export const f32 = (data: Float32Array, shape: readonly number[]): H5Dataset => ({ dtype: 'f32', shape, data });

/** A metadata value as NIR stores it: strings, integers (int64) and other numbers (float64). */
export type MetaValue = string | number | boolean;

export function metaDataset(v: MetaValue): H5Dataset {
  if (typeof v === 'string') return str(v);
  if (typeof v === 'boolean') return i64Scalar(v ? 1 : 0);
  return Number.isInteger(v) ? i64Scalar(v) : f64Scalar(v);
}
