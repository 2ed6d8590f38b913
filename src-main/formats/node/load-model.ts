import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { invalidArgument, invalidData } from '../../common/errors';
import { isZip } from '../arrays/npz';
import { foreignModelError, isPytorchZip, sniffForeignModel } from '../model/foreign-formats';
import { importOnnx } from '../model/onnx/to-ir';
import { importTfjsLayers, isTfjsModelJson } from '../model/tfjs/tfjs-layers';
import type { ModelFile } from '../model/tppw-model';
import { decodeModel, isTppwModel } from '../model/tppw-model';
import { fileError, readBytes } from './files';
import { importHdf5Model, importKerasArchive, importKerasJsonWithWeights } from './keras-h5';

/**
 * Reads a model file of any supported format, chosen by content (the extension is only a hint):
 * the workbench's `.tppw`, ONNX, Keras HDF5 (`.h5`), Keras 3 archives (`.keras`), TensorFlow.js
 * layers models (`model.json` with its weight shards beside it), and a Keras architecture JSON
 * (`model.to_json()`) whose weights, saved by `model.save_weights`, come as `options.weights`.
 */
export const MODEL_FORMATS = 'TPP Workbench .tppw, ONNX .onnx, Keras .h5 / .keras, Keras architecture .json + --weights .h5, TensorFlow.js model.json, NIR .nir (spiking networks)';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

export type ModelFormat = 'tppw' | 'keras-h5' | 'keras' | 'keras-json' | 'tfjs' | 'onnx' | 'nir';

export interface LoadModelOptions {
  /** The weights file of a Keras architecture JSON (HDF5, from `model.save_weights`). */
  readonly weights?: string | undefined;
}

const HOLDS_ITS_WEIGHTS: Record<Exclude<ModelFormat, 'keras-json' | 'tfjs'>, string> = {
  tppw: 'a TPP Workbench .tppw file',
  'keras-h5': 'a Keras HDF5 file',
  nir: 'a NIR graph',
  keras: 'a Keras 3 .keras archive',
  onnx: 'an ONNX model',
};

export async function loadModelFile(path: string, options: LoadModelOptions = {}): Promise<ModelFile & { readonly format: ModelFormat }> {
  const bytes = readBytes(path, 'model file');
  const { weights } = options;
  const refuseWeights = (format: keyof typeof HOLDS_ITS_WEIGHTS): void => {
    if (weights !== undefined) {
      throw invalidArgument(`--weights ${weights}: a weights file goes with a Keras architecture JSON (model.to_json()) only; ${path} is ${HOLDS_ITS_WEIGHTS[format]}, which holds its own weights`);
    }
  };
  if (isTppwModel(bytes)) {
    refuseWeights('tppw');
    return { ...decodeModel(bytes, path), format: 'tppw' };
  }
  if (HDF5_SIGNATURE.every((b, i) => bytes[i] === b)) {
    // Keras HDF5, or a NIR graph: a spiking network, imported with its own thresholds.
    const found = await importHdf5Model(path);
    refuseWeights(found.format);
    return { ...found.model, format: found.format };
  }
  if (isZip(bytes)) {
    if (isPytorchZip(bytes)) throw foreignModelError({ format: 'pytorch', container: 'zip' }, path);
    refuseWeights('keras');
    return { graph: await importKerasArchive(bytes, path), format: 'keras' };
  }
  const firstChar = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (firstChar === 0x7b) return importJsonModel(bytes, path, weights);
  // Formats this build does not import (TFLite, PyTorch pickles, TensorFlow protobufs) are
  // named, with the way to ONNX.
  const foreign = sniffForeignModel(bytes);
  if (foreign !== undefined) throw foreignModelError(foreign, path);
  // An ONNX ModelProto starts with field 1 (ir_version) as a varint: tag byte 0x08.
  if (bytes[0] === 0x08 || path.toLowerCase().endsWith('.onnx')) {
    refuseWeights('onnx');
    return { graph: importOnnx(bytes, path), format: 'onnx' };
  }
  throw invalidData(`${path}: not a model file this build reads (supported: ${MODEL_FORMATS})`);
}

/** A Keras model config: `{"class_name": "Sequential" | "Functional" | "Model", "config": {…}}`, as `model.to_json()` writes it. */
function isKerasModelJson(json: unknown): boolean {
  const v = json as { class_name?: unknown; config?: unknown } | null;
  return v !== null && typeof v === 'object' && typeof v.class_name === 'string' && v.config !== null && typeof v.config === 'object';
}

async function importJsonModel(bytes: Uint8Array, path: string, weights: string | undefined): Promise<ModelFile & { readonly format: ModelFormat }> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw invalidData(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (isTfjsModelJson(json)) {
    if (weights !== undefined) throw invalidArgument(`--weights ${weights}: a TensorFlow.js model.json reads its weight shards from beside it; ${path} takes no weights file`);
    return { graph: importTfjsFile(json, path), format: 'tfjs' };
  }
  if (!isKerasModelJson(json)) {
    throw invalidData(`${path}: a JSON file that is neither a TensorFlow.js layers model (modelTopology and weightsManifest) nor a Keras model architecture (class_name and config)`);
  }
  if (weights === undefined) {
    throw invalidArgument(`${path}: a Keras model architecture (model.to_json()) without its weights: also give its weights file, the HDF5 file saved by model.save_weights (--weights FILE)`);
  }
  // one clear error for a missing weights file, before the HDF5 reader starts
  try {
    if (statSync(weights).isDirectory()) throw invalidArgument(`weights file ${weights} is a directory, not a file`);
  } catch (error) {
    throw fileError(error, weights, 'weights file');
  }
  return { graph: await importKerasJsonWithWeights(json, path, weights), format: 'keras-json' };
}

function importTfjsFile(json: unknown, path: string) {
  const dir = dirname(path);
  const readShard = (shard: string): Uint8Array => {
    // Shards live beside model.json; a path that leaves that folder is refused.
    const relative = normalize(shard);
    if (isAbsolute(relative) || relative === '..' || relative.startsWith(`..${sep}`)) {
      throw invalidData(`${path}: weight shard path '${shard}' points outside the model's folder`);
    }
    return readBytes(join(dir, relative), 'weight shard');
  };
  return importTfjsLayers(json, readShard, path);
}
