import { statSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError, invalidData, unsupported, type ErrorData } from '../../common/errors';
import { startWorker } from './start-worker';

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
 * - `events`: an event file with one 1-D dataset per column — x, y, t (or ts, timestamp) in µs,
 *   p (or polarity; > 0 is ON) — at the root or in an `events` group (DSEC's layout, whose
 *   `t_offset` is added), and the sensor from `width`/`height` attributes when present.
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
  /** `model`: weights named `<layer>/<weight name>`; `weights`: named `<layer>` in order. */
  readonly weights: H5Weight[];
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
  return new Promise<H5Contents>((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      f();
    };
    const timer = setTimeout(
      () => finish(() => reject(invalidData(`${request.source}: reading the HDF5 file did not finish within ${Math.round(limit / 1000)} s; the file is probably corrupt`))),
      limit,
    );
    worker.on('message', (m: { ok: true; result: H5Contents } | { ok: false; error: ErrorData }) =>
      finish(() => (m.ok ? resolve(m.result) : reject(WorkbenchError.fromData(m.error)))),
    );
    worker.on('error', (error) => finish(() => reject(invalidData(`${request.source}: not a readable HDF5 file (${error.message.split('\n')[0]})`))));
    worker.on('exit', (code) => finish(() => reject(invalidData(`${request.source}: the HDF5 reader stopped (exit code ${code}); the file is probably corrupt`))));
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
      return { weights: [], nirVersion: typeof v === 'string' || v instanceof Uint8Array ? text(v) : '' };
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
    const group = ['events', 'CD', 'cd'].map((g) => file.get(g)).find(isGroup) ?? file;
    const column = (names: readonly string[], role: string): ArrayLike<number> => {
      for (const name of names) {
        const ds = group.get(name);
        if (isDataset(ds)) {
          const v = ds.value;
          if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return v as unknown as ArrayLike<number>;
          if (Array.isArray(v)) return v as number[];
          throw unsupported(`${source}: dataset '${name}' is not a numeric column`);
        }
      }
      throw invalidData(`${source}: no ${role} dataset (${names.join(' / ')}) in ${group === file ? 'the root' : 'the events group'} (found ${group.keys().join(', ')})`);
    };
    const x = column(['x'], 'x');
    const y = column(['y'], 'y');
    const t = column(['t', 'ts', 'timestamp', 'timestamps'], 'timestamp');
    const p = column(['p', 'polarity', 'pol'], 'polarity');
    const n = x.length;
    if (y.length !== n || t.length !== n || p.length !== n) throw invalidData(`${source}: columns differ in length (x ${n}, y ${y.length}, t ${t.length}, p ${p.length})`);
    const offsetDs = file.get('t_offset');
    const offset = isDataset(offsetDs) ? Number((offsetDs.value as ArrayLike<number | bigint>)[0] ?? offsetDs.value) : 0;
    const events = { x: new Uint16Array(n), y: new Uint16Array(n), tUs: new Float64Array(n), p: new Uint8Array(n) };
    for (let i = 0; i < n; i++) {
      events.x[i] = Number(x[i]);
      events.y[i] = Number(y[i]);
      events.tUs[i] = Number(t[i]) + offset;
      events.p[i] = Number(p[i]) > 0 ? 1 : 0;
    }
    const attr = (key: string): number | undefined => {
      const v = file.attrs[key]?.value ?? group.attrs[key]?.value;
      const num = Number(Array.isArray(v) ? v[0] : v);
      return Number.isFinite(num) && num > 0 ? num : undefined;
    };
    const width = attr('width') ?? attr('sensor_width');
    const height = attr('height') ?? attr('sensor_height');
    return { weights: [], events: { ...events, ...(width !== undefined ? { width } : {}), ...(height !== undefined ? { height } : {}) } };
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
