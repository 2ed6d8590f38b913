import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { invalidData, unsupported } from '../../common/errors';
import type { Graph } from '../../common/ir/types';
import { kerasSaveNames, kerasToIr, type LayerWeights } from '../model/keras/config-to-ir';
import { layerNamesOf, namedWeightSource } from '../model/keras/weights';
import { readInH5Worker } from './h5-reader';

/**
 * Keras models stored in HDF5 (see h5-reader.ts for what is read and how):
 * - full-model `.h5` files (Keras 2, and Keras 3's legacy format); files saved by the Theano
 *   backend get their kernels flipped, as Keras itself does when it loads them elsewhere;
 * - `.keras` archives (Keras 3): a zip with `config.json` and `model.weights.h5`.
 */
export async function importKerasH5(path: string, source = path): Promise<Graph> {
  const contents = await readInH5Worker({ kind: 'model', path, source });
  if (contents.modelConfig === undefined) {
    throw unsupported(`${source}: an HDF5 file without 'model_config' (a weights-only file); save the whole model (model.save)`);
  }
  const config = parseJson(contents.modelConfig, `${source}: 'model_config'`);
  return kerasToIr(config, namedWeightSource(contents.weights, layerNamesOf(config)), { source, flipKernels: contents.backend === 'theano' });
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
  const config = parseJson(new TextDecoder().decode(configBytes), `${source}: config.json`);
  // h5wasm reads from a path: the weights go to a private temporary file for the duration.
  const dir = mkdtempSync(join(tmpdir(), 'tppw-keras-'));
  try {
    const path = join(dir, 'model.weights.h5');
    writeFileSync(path, weightBytes);
    const contents = await readInH5Worker({ kind: 'weights', path, source: `${source}:model.weights.h5` });
    const byLayer = new Map<string, LayerWeights['ordered'][number][]>();
    for (const w of contents.weights) byLayer.set(w.name, [...(byLayer.get(w.name) ?? []), w]);
    const saveNames = kerasSaveNames(config);
    return kerasToIr(config, { weightsOf: (layer) => ({ named: new Map(), ordered: byLayer.get(saveNames.get(layer) ?? layer) ?? [] }) }, { source });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidData(`${what} is not valid JSON (${(error as Error).message})`);
  }
}
