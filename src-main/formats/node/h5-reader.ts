import { statSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError, invalidData, unsupported } from '../../common/errors';
import { eventsFromArrays, roleOfName, type NamedArray } from '../events/event-arrays';
import type { H5Dataset as NirDataset, H5Entry as NirEntry, H5Group as NirTree } from '../model/nir/tree';
import { awaitReply, startWorker } from './start-worker';

/**
 * What the Keras importers need from an HDF5 file, read with h5wasm (HDF5 compiled to
 * WebAssembly) in a worker thread. HDF5's C code can spin forever or abort on a corrupt file;
 * the worker keeps that away from the caller: it is stopped after a time limit and its failure
 * becomes one clear error.
 *
 * - `model`: a full-model file (`model.save('m.h5')`): the root attributes `model_config` and
 *   `backend`, and every weight listed by a layer group's `weight_names` attribute under
 *   `model_weights/` (or the root, for weights-only layouts).
 * - `weights`: a Keras 3 `model.weights.h5`: datasets `…/<layer>/vars/0, 1, …` in order.
 * - `events`: an event file (formats/events/event-arrays.ts reads the arrays): one dataset per
 *   column at the root or in an `events` group (DSEC's layout, whose `t_offset` is added), one
 *   N×4 array, ST-MNIST's spiketrain (MATLAB v7.3 files are HDF5), or Prophesee's compound
 *   /CD/events; the sensor from `width`/`height` or Metavision's `geometry` attribute.
 */
export type H5Request = { readonly kind: 'model' | 'weights' | 'events'; readonly path: string; readonly source: string };

export interface H5Weight {
  readonly name: string;
  /** `model`: the layer the weight belongs to (its group in the file). */
  readonly layer?: string;
  readonly shape: number[];
  readonly values: Float32Array;
}

export interface H5Contents {
  readonly modelConfig?: string;
  readonly backend?: string;
  /** `model`: whether the weights root has Keras's `layer_names` attribute (files saved by Keras 2 and Keras 3's legacy HDF5). */
  readonly layerNames?: boolean;
  /** `model`: the file is a NIR graph (no Keras model): its NIR version, '' when unreadable. */
  readonly nirVersion?: string;
  /** `model`, for a NIR graph: the whole file as groups and datasets (formats/model/nir reads it). */
  readonly nirTree?: NirTree;
  /** `model`: weights named `<layer>/<weight name>`; `weights`: named `<layer>` in order. */
  readonly weights: H5Weight[];
  /** `events`: how the arrays were read (inferred column roles, time unit). */
  readonly notes?: readonly string[];
  /** `events`: the columns and the declared sensor. */
  readonly events?: { x: Uint16Array; y: Uint16Array; tUs: Float64Array; p: Uint8Array; width?: number; height?: number };
}

/** Time allowed: 15 s plus 1 s per 20 MB of file, or TPPW_HDF5_TIME_LIMIT_MS. */
function timeLimitMs(path: string): number {
  const fixed = Number(process.env['TPPW_HDF5_TIME_LIMIT_MS']);
  return fixed > 0 ? fixed : 15_000 + statSync(path).size / 20_000;
}

export function readInH5Worker(request: H5Request): Promise<H5Contents> {
  const limit = timeLimitMs(request.path);
  const worker = startWorker(join(__dirname, 'h5-reader-worker'), __filename, request, { quiet: true });
  return awaitReply<H5Contents>(worker, limit, {
    timeout: () => invalidData(`${request.source}: reading the HDF5 file did not finish within ${Math.round(limit / 1000)} s; the file is probably corrupt`),
    error: (error) => invalidData(`${request.source}: not a readable HDF5 file (${error.message.split('\n')[0]})`),
    exit: (code) => invalidData(`${request.source}: the HDF5 reader stopped (exit code ${code}); the file is probably corrupt`),
  });
}

// --- worker side ---------------------------------------------------------------------------

type H5 = typeof import('h5wasm');
interface H5Group {
  keys(): string[];
  get(path: string): unknown;
  attrs: Record<string, { value: unknown }>;
}
interface H5Dataset {
  shape: number[];
  value: unknown;
}

export async function readKerasH5Contents(request: H5Request): Promise<H5Contents> {
  const lib = (await import('h5wasm/node')) as unknown as H5;
  const module = await lib.ready;
  // HDF5 prints its error stack to the process's stdout; this handler raises it as an exception.
  (module as unknown as { activate_throwing_error_handler?: () => number }).activate_throwing_error_handler?.();
  const isGroup = (v: unknown): v is H5Group => v instanceof lib.Group;
  const isDataset = (v: unknown): v is H5Dataset => v instanceof lib.Dataset;
  const { source } = request;
  const floats = (ds: H5Dataset, where: string): Float32Array => {
    const v = ds.value;
    if (v instanceof Float32Array) return v;
    if (v instanceof Float64Array || v instanceof Int32Array || v instanceof Uint8Array || v instanceof Int16Array) return Float32Array.from(v);
    throw unsupported(`${source}: ${where} is not a numeric dataset`);
  };
  let file: H5Group & { close(): void };
  try {
    file = new lib.File(request.path, 'r') as unknown as H5Group & { close(): void };
  } catch (error) {
    throw invalidData(`${source}: not a readable HDF5 file (${hdf5Reason(error)})`);
  }
  try {
    return request.kind === 'model' ? readModel(file) : request.kind === 'weights' ? readWeights(file) : readEvents(file);
  } catch (error) {
    if (error instanceof WorkbenchError) throw error;
    throw invalidData(`${source}: cannot read the HDF5 contents (${hdf5Reason(error)})`);
  } finally {
    file.close();
  }

  function readModel(file: H5Group): H5Contents {
    const config = file.attrs['model_config']?.value;
    // NIR (neuromorphs/NIR, nir/serialization.py) writes its graph as the root group `node`
    // beside a `version` dataset; Keras writes neither.
    const nirVersion = file.get('version');
    if (config === undefined && isGroup(file.get('node')) && isDataset(nirVersion)) {
      const v = nirVersion.value;
      return { weights: [], nirVersion: typeof v === 'string' || v instanceof Uint8Array ? text(v) : '', nirTree: tree(file) };
    }
    const backend = file.attrs['backend']?.value;
    const nested = file.get('model_weights');
    const root = isGroup(nested) ? nested : file;
    const weights: H5Weight[] = [];
    // Keras's loader (keras/engine/saving.py, load_weights_from_hdf5_group) takes the layers from
    // the root's `layer_names` and opens each as root[name], then each of its `weight_names` as
    // group[weight]. A '/' in a name (SqueezeNet's fire2/squeeze1x1) makes nested groups:
    // model_weights/fire2/squeeze1x1/fire2/squeeze1x1/kernel:0. Files without the attribute
    // (none that Keras writes) fall back to the root's groups.
    const listed = stringList(root, 'layer_names');
    for (const layer of listed ?? root.keys()) {
      const group = root.get(layer);
      if (!isGroup(group)) {
        if (listed !== undefined) throw invalidData(`${source}: layer '${layer}' is listed in 'layer_names' but has no group`);
        continue;
      }
      for (const name of stringList(group, 'weight_names') ?? []) {
        const ds = group.get(name);
        if (!isDataset(ds)) throw invalidData(`${source}: weight '${layer}/${name}' is listed but missing`);
        weights.push({ name: `${layer}/${name}`, layer, shape: [...ds.shape], values: floats(ds, `${layer}/${name}`) });
      }
    }
    return {
      ...(config !== undefined ? { modelConfig: text(config) } : {}),
      ...(backend !== undefined ? { backend: text(backend) } : {}),
      layerNames: listed !== undefined,
      weights,
    };
  }

  /** Groups and datasets with NIR's dtypes: float32 stays, other floats are float64, integers int64, strings UTF-8. */
  function tree(group: H5Group): NirTree {
    const entries: Record<string, NirEntry> = {};
    for (const key of group.keys()) {
      const child = group.get(key);
      if (isGroup(child)) entries[key] = tree(child);
      else if (isDataset(child)) entries[key] = dataset(child, key);
    }
    return { group: entries };
  }

  function dataset(ds: H5Dataset, key: string): NirDataset {
    const v = ds.value;
    const shape = [...(ds.shape ?? [])];
    if (typeof v === 'string') return { dtype: 'str', shape, data: [v] };
    if (v instanceof Uint8Array && (ds as { metadata?: { type?: number } }).metadata?.type === 3) return { dtype: 'str', shape, data: [text(v)] };
    if (Array.isArray(v)) return { dtype: 'str', shape, data: v.flat(Infinity).map((x) => text(x)) };
    if (v instanceof Float32Array) return { dtype: 'f32', shape, data: v };
    if (v instanceof Float64Array) return { dtype: 'f64', shape, data: v };
    if (v instanceof BigInt64Array || v instanceof BigUint64Array) return { dtype: 'i64', shape, data: Array.from(v, Number) };
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return { dtype: 'i64', shape, data: Array.from(v as unknown as ArrayLike<number>, Number) };
    if (typeof v === 'number' || typeof v === 'bigint') return Number.isInteger(Number(v)) && typeof v === 'bigint' ? { dtype: 'i64', shape, data: [Number(v)] } : { dtype: 'f64', shape, data: Float64Array.of(Number(v)) };
    if (typeof v === 'boolean') return { dtype: 'i64', shape, data: [v ? 1 : 0] };
    throw unsupported(`${source}: dataset '${key}' holds a type this reader does not know`);
  }

  /**
   * A string-list attribute as Keras writes it (save_attributes_to_hdf5_group): one attribute, or,
   * past HDF5's 64 KB object-header limit, chunks `name0`, `name1`, … in order.
   */
  function stringList(group: H5Group, name: string): string[] | undefined {
    const read = (key: string): string[] | undefined => {
      const v = group.attrs[key]?.value;
      if (v === undefined) return undefined;
      // an empty list is stored as an empty numeric array
      return Array.isArray(v) ? v.map(text) : typeof v === 'string' ? [v] : [];
    };
    const whole = read(name);
    if (whole !== undefined) return whole;
    const chunks: string[] = [];
    for (let i = 0; ; i++) {
      const chunk = read(`${name}${i}`);
      if (chunk === undefined) return i === 0 ? undefined : chunks;
      chunks.push(...chunk);
    }
  }

  function readEvents(file: H5Group): H5Contents {
    const groupName = ['events', 'CD', 'cd'].find((g) => isGroup(file.get(g)));
    const group = groupName === undefined ? file : (file.get(groupName) as H5Group);
    const where = `${source}: ${groupName === undefined ? '' : `/${groupName}`}`;
    const arrays: NamedArray[] = [];
    for (const name of group.keys()) {
      const ds = group.get(name);
      if (!isDataset(ds)) continue;
      const members = (ds as H5Dataset & { metadata?: { compound_type?: { members: { name: string }[] } } }).metadata?.compound_type?.members.map((m) => m.name);
      // only the datasets that can hold events are read (a file may hold much else)
      const wanted = members !== undefined || roleOfName(name) !== undefined || name.toLowerCase() === 'spiketrain' || (ds.shape.length === 2 && ds.shape.includes(4));
      if (!wanted) continue;
      checkFilters(ds, `${where}/${name}`);
      if (members !== undefined) {
        // Prophesee HDF5's /CD/events: a compound dataset of x, y, p, t records
        const rows = ds.value as unknown[][];
        members.forEach((member, m) => arrays.push({ name: member, shape: [rows.length], values: Float64Array.from(rows, (r) => Number(r[m])) }));
      } else {
        arrays.push({ name, shape: [...ds.shape], values: numeric(ds.value, `${where}/${name}`) });
      }
    }
    const { events, sensor, notes } = eventsFromArrays(arrays, source);
    const offsetDs = file.get('t_offset');
    const offset = isDataset(offsetDs) ? Number((offsetDs.value as ArrayLike<number | bigint>)[0] ?? offsetDs.value) : 0;
    if (offset !== 0) for (let i = 0; i < events.tUs.length; i++) events.tUs[i] = events.tUs[i]! + offset;
    const attr = (key: string): number | undefined => {
      const v = file.attrs[key]?.value ?? group.attrs[key]?.value;
      const num = Number(Array.isArray(v) ? v[0] : v);
      return Number.isFinite(num) && num > 0 ? num : undefined;
    };
    // Metavision writes the sensor as a root attribute `geometry` = "WIDTHxHEIGHT"
    const geometry = /^(\d+)x(\d+)$/.exec(text(file.attrs['geometry']?.value ?? ''));
    const width = sensor?.width ?? attr('width') ?? attr('sensor_width') ?? (geometry ? Number(geometry[1]) : undefined);
    const height = sensor?.height ?? attr('height') ?? attr('sensor_height') ?? (geometry ? Number(geometry[2]) : undefined);
    return { weights: [], notes, events: { ...events, ...(width !== undefined ? { width } : {}), ...(height !== undefined ? { height } : {}) } };
  }

  function numeric(v: unknown, where: string): ArrayLike<number> {
    if (v instanceof BigInt64Array || v instanceof BigUint64Array) return Float64Array.from(v, Number);
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return v as unknown as ArrayLike<number>;
    if (Array.isArray(v)) return Float64Array.from(v, Number);
    if (typeof v === 'number' || typeof v === 'bigint') return [Number(v)];
    throw unsupported(`${where} is not a numeric array`);
  }

  /**
   * HDF5 filters this build decodes: deflate (1), shuffle (2), fletcher32 (3), szip (4), n-bit (5)
   * and scale-offset (6). Prophesee's Metavision writes /CD/events with its ECF codec (36559),
   * which is a plugin: without it HDF5 fails deep in its chunk reader, so the dataset's pipeline
   * is checked first and the message says what is missing.
   */
  function checkFilters(ds: H5Dataset, where: string): void {
    const filters = (ds as H5Dataset & { filters?: { id: number; name: string }[] }).filters ?? [];
    for (const f of filters) {
      if (f.id >= 1 && f.id <= 6) continue;
      if (f.id === 36559) {
        throw unsupported(`${where} is compressed with Prophesee's ECF codec (HDF5 filter 36559), which this build cannot decode: convert the recording to RAW or DAT with Metavision (metavision_file_to_dat), or re-save it uncompressed with h5py and Prophesee's hdf5_ecf plugin`);
      }
      throw unsupported(`${where} is compressed with HDF5 filter ${f.id}${f.name ? ` (${f.name})` : ''}, which this build cannot decode (it reads deflate, shuffle, szip, n-bit and scale-offset)`);
    }
  }

  function readWeights(file: H5Group): H5Contents {
    const weights: H5Weight[] = [];
    const walk = (group: H5Group, path: string[]): void => {
      for (const key of group.keys()) {
        const child = group.get(key);
        if (!isGroup(child)) continue;
        if (key !== 'vars') {
          walk(child, [...path, key]);
          continue;
        }
        const layer = path[path.length - 1] ?? '';
        for (const k of child.keys().sort((a, b) => Number(a) - Number(b))) {
          const ds = child.get(k);
          if (!isDataset(ds)) throw invalidData(`${source}: ${[...path, 'vars', k].join('/')} is not a dataset`);
          weights.push({ name: layer, shape: [...ds.shape], values: floats(ds, [...path, 'vars', k].join('/')) });
        }
      }
    };
    walk(file, []);
    return { weights };
  }
}

/**
 * One line from an HDF5 error stack: the outermost call's description and the innermost
 * 'minor' reason, e.g. "H5Fopen(): unable to synchronously open file — bad object header".
 */
function hdf5Reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const top = /#000: .* in (\w+\(\)): (.*)/.exec(message);
  const minors = [...message.matchAll(/minor: (.*)/g)].map((m) => m[1]!.trim());
  if (top === null) return message.split('\n')[0]!;
  return `${top[1]}: ${top[2]!.trim()}${minors.length ? ` — ${minors[minors.length - 1]!.toLowerCase()}` : ''}`;
}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return String(v);
}
