import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { unzipSync } from 'fflate';
import { invalidArgument, invalidData } from '../../common/errors';
import type { Graph } from '../../common/ir/types';
import { kerasSaveNames, kerasToIr, type WeightSource } from '../model/keras/config-to-ir';
import { layerNamesOf, namedWeightSource } from '../model/keras/weights';
import { foreignModelError } from '../model/foreign-formats';
import { nirToModel } from '../model/nir/to-ir';
import type { ModelFile } from '../model/tppw-model';
import { readInH5Worker, type H5Weight } from './h5-reader';

/**
 * Keras models stored in HDF5 (see h5-reader.ts for what is read and how):
 * - full-model `.h5` files (Keras 2, and Keras 3's legacy format); files saved by the Theano
 *   backend get their kernels flipped, as Keras itself does when it loads them elsewhere;
 * - an architecture JSON (`model.to_json()`) with the weights file `model.save_weights` wrote:
 *   Keras 2's HDF5 layout (the layer groups and `layer_names` at the root), or Keras 3's
 *   `.weights.h5`;
 * - `.keras` archives (Keras 3): a zip with `config.json` and `model.weights.h5`.
 */
export async function importKerasH5(path: string, source = path): Promise<Graph> {
  const found = await importHdf5Model(path, source);
  if (found.format === 'nir') throw foreignModelError({ format: 'nir', version: undefined }, source);
  return found.model.graph;
}

/**
 * An HDF5 model file: a Keras model, or a NIR graph (neuromorphs/NIR writes its graph as the root
 * group `node` beside a `version` dataset), read as the spiking network it is.
 */
export async function importHdf5Model(path: string, source = path): Promise<{ format: 'keras-h5'; model: ModelFile } | { format: 'nir'; model: ModelFile }> {
  const contents = await readInH5Worker({ kind: 'model', path, source });
  if (contents.nirTree !== undefined) return { format: 'nir', model: nirToModel(contents.nirTree, source, basename(path).replace(/\.nir$/i, '')) };
  if (contents.nirVersion !== undefined) throw foreignModelError({ format: 'nir', version: contents.nirVersion || undefined }, source);
  if (contents.modelConfig === undefined) {
    throw invalidArgument(
      `${source}: a Keras weights-only file (saved by model.save_weights; no 'model_config'): give the architecture JSON (model.to_json()) as the model and this file as its weights (--weights FILE)`,
    );
  }
  const config = parseJson(contents.modelConfig, `${source}: 'model_config'`);
  return { format: 'keras-h5', model: { graph: kerasToIr(config, namedWeightSource(contents.weights, layerNamesOf(config)), { source, flipKernels: contents.backend === 'theano' }) } };
}

/** A Keras model config (the parsed `model.to_json()`) with the weights in `weightsPath`. */
export async function importKerasJsonWithWeights(config: unknown, source: string, weightsPath: string): Promise<Graph> {
  const layerNames = layerNamesOf(config);
  // Keras's load_weights also takes a full-model file: its model_weights group is read then.
  const contents = await readInH5Worker({ kind: 'model', path: weightsPath, source: weightsPath });
  if (contents.layerNames !== true && contents.weights.length === 0) {
    // Keras 3's save_weights writes its own layout (layers/<save name>/vars/0, 1, …).
    const vars = await readInH5Worker({ kind: 'weights', path: weightsPath, source: weightsPath });
    if (vars.weights.length === 0) throw invalidData(`${weightsPath}: not a Keras weights file (neither 'layer_names' nor layer variables)`);
    return kerasToIr(config, savedVarsSource(config, vars.weights), { source });
  }
  const known = new Set(layerNames);
  const strangers = [...new Set(contents.weights.map((w) => w.layer ?? ''))].filter((l) => !known.has(l));
  if (strangers.length > 0) {
    throw invalidData(`${weightsPath}: weights of layer${strangers.length > 1 ? 's' : ''} ${strangers.map((l) => `'${l}'`).join(', ')}, which ${source} does not have: is this the weights file of that model?`);
  }
  return kerasToIr(config, namedWeightSource(contents.weights, layerNames), { source, flipKernels: contents.backend === 'theano' });
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
    return kerasToIr(config, savedVarsSource(config, contents.weights), { source });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Keras 3 weight files: each layer's variables in order, under the layer's save name. */
function savedVarsSource(config: unknown, weights: readonly H5Weight[]): WeightSource {
  const byLayer = new Map<string, H5Weight[]>();
  for (const w of weights) byLayer.set(w.name, [...(byLayer.get(w.name) ?? []), w]);
  const saveNames = kerasSaveNames(config);
  return { weightsOf: (layer) => ({ named: new Map(), ordered: byLayer.get(saveNames.get(layer) ?? layer) ?? [] }) };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidData(`${what} is not valid JSON (${(error as Error).message})`);
  }
}
