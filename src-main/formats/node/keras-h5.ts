import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { WorkbenchError, invalidData, unsupported } from '../../common/errors';
import type { Graph } from '../../common/ir/types';
import { kerasSaveNames, kerasToIr } from '../model/keras/config-to-ir';
import { layerNamesOf, namedWeightSource } from '../model/keras/weights';

/**
 * Keras models through h5wasm (HDF5 compiled to WebAssembly):
 * - HDF5 full models (`model.save('m.h5')`, Keras 2 and Keras 3's legacy format): the root
 *   attribute `model_config` (JSON), weights under `model_weights/<layer>/` named by the layer
 *   group's `weight_names` attribute. Files saved by the Theano backend get their kernels flipped.
 * - `.keras` archives (Keras 3): a zip with `config.json` and `model.weights.h5`, whose weights sit
 *   at `layers/<layer>/vars/0, 1, …` in creation order (kernel, bias; gamma, beta, mean, variance).
 */
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

let h5: Promise<H5> | undefined;

async function h5wasm(): Promise<H5> {
  h5 ??= import('h5wasm/node').then(async (m) => {
    await m.ready;
    loaded = m as unknown as H5;
    return loaded;
  });
  return h5;
}

let loaded: H5 | undefined;

function isDataset(v: unknown): v is H5Dataset {
  return loaded !== undefined && v instanceof loaded.Dataset;
}

function isGroup(v: unknown): v is H5Group {
  return loaded !== undefined && v instanceof loaded.Group;
}

function floats(ds: H5Dataset, where: string): Float32Array {
  const v = ds.value;
  if (v instanceof Float32Array) return v;
  if (v instanceof Float64Array || v instanceof Int32Array || v instanceof Uint8Array || v instanceof Int16Array) return Float32Array.from(v);
  throw unsupported(`${where}: dataset of type ${Object.prototype.toString.call(v)} is not numeric`);
}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return String(v);
}

/** Opens an HDF5 file with h5wasm; a file HDF5 cannot read becomes one clear error. */
async function openH5<T>(path: string, source: string, read: (file: H5Group) => T): Promise<T> {
  const lib = await h5wasm();
  let file: (H5Group & { close(): void }) | undefined;
  try {
    file = new lib.File(path, 'r') as unknown as H5Group & { close(): void };
  } catch (error) {
    throw invalidData(`${source}: not a readable HDF5 file (${(error as Error).message.split('\n')[0]})`);
  }
  try {
    return read(file);
  } catch (error) {
    if (error instanceof WorkbenchError) throw error;
    throw invalidData(`${source}: cannot read the HDF5 contents (${(error as Error).message.split('\n')[0]})`);
  } finally {
    file.close();
  }
}

export async function importKerasH5(path: string, source = path): Promise<Graph> {
  return openH5(path, source, (file) => {
    const attrs = file.attrs;
    const configText = attrs['model_config']?.value;
    if (configText === undefined) {
      throw unsupported(`${source}: an HDF5 file without 'model_config' (a weights-only file); save the whole model (model.save)`);
    }
    let config: unknown;
    try {
      config = JSON.parse(text(configText));
    } catch (error) {
      throw invalidData(`${source}: 'model_config' is not valid JSON (${(error as Error).message})`);
    }
    const backend = text(attrs['backend']?.value ?? '');
    const nested = file.get('model_weights');
    const weightsRoot = isGroup(nested) ? nested : file;
    const entries: { name: string; shape: readonly number[]; values: Float32Array }[] = [];
    for (const layer of weightsRoot.keys()) {
      const group = weightsRoot.get(layer);
      if (!isGroup(group)) continue;
      const names = group.attrs['weight_names']?.value;
      const list = Array.isArray(names) ? names.map(text) : [];
      for (const name of list) {
        const ds = group.get(name);
        if (!isDataset(ds)) throw invalidData(`${source}: weight '${layer}/${name}' is listed but missing`);
        entries.push({ name: `${layer}/${name}`, shape: ds.shape, values: floats(ds, `${source}: ${layer}/${name}`) });
      }
    }
    return kerasToIr(config, namedWeightSource(entries, layerNamesOf(config)), { source, flipKernels: backend === 'theano' });
  });
}

export async function importKerasArchive(bytes: Uint8Array, source: string): Promise<Graph> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw invalidData(`${source}: the .keras archive is corrupt or truncated (${(error as Error).message})`);
  }
  const configBytes = files['config.json'];
  const weightBytes = files['model.weights.h5'];
  if (configBytes === undefined || weightBytes === undefined) {
    throw invalidData(`${source}: a .keras archive needs config.json and model.weights.h5 (found ${Object.keys(files).join(', ')})`);
  }
  let config: unknown;
  try {
    config = JSON.parse(new TextDecoder().decode(configBytes));
  } catch (error) {
    throw invalidData(`${source}: config.json is not valid JSON (${(error as Error).message})`);
  }
  // h5wasm reads from a path: the weights go to a private temporary file for the duration.
  const dir = mkdtempSync(join(tmpdir(), 'tppw-keras-'));
  const weightsPath = join(dir, 'model.weights.h5');
  try {
    writeFileSync(weightsPath, weightBytes);
    const byLayer = await openH5(weightsPath, `${source}:model.weights.h5`, (file) => {
      const found = new Map<string, { shape: readonly number[]; values: Float32Array }[]>();
      const walk = (group: H5Group, path: string[]): void => {
        for (const key of group.keys()) {
          const child = group.get(key);
          if (key === 'vars' && isGroup(child)) {
            const vars = child;
            const layer = path[path.length - 1] ?? '';
            const list = vars
              .keys()
              .sort((a, b) => Number(a) - Number(b))
              .map((k) => {
                const ds = vars.get(k);
                if (!isDataset(ds)) throw invalidData(`${source}: ${[...path, 'vars', k].join('/')} is not a dataset`);
                return { shape: ds.shape, values: floats(ds, `${source}: ${[...path, 'vars', k].join('/')}`) };
              });
            if (list.length > 0) found.set(layer, list);
          } else if (isGroup(child)) {
            walk(child, [...path, key]);
          }
        }
      };
      walk(file, []);
      return found;
    });
    const saveNames = kerasSaveNames(config);
    const weights = {
      weightsOf: (layer: string) => ({
        named: new Map<string, { shape: readonly number[]; values: Float32Array }>(),
        ordered: byLayer.get(saveNames.get(layer) ?? layer) ?? [],
      }),
    };
    return kerasToIr(config, weights, { source });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
