import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { invalidData } from '../../common/errors';
import { isZip } from '../arrays/npz';
import { importOnnx } from '../model/onnx/to-ir';
import { importTfjsLayers, isTfjsModelJson } from '../model/tfjs/tfjs-layers';
import type { ModelFile } from '../model/tppw-model';
import { decodeModel, isTppwModel } from '../model/tppw-model';
import { readBytes } from './files';
import { importKerasArchive, importKerasH5 } from './keras-h5';

/**
 * Reads a model file of any supported format, chosen by content (the extension is only a hint):
 * the workbench's `.tppw`, ONNX, Keras HDF5 (`.h5`), Keras 3 archives (`.keras`) and TensorFlow.js
 * layers models (`model.json` with its weight shards beside it).
 */
export const MODEL_FORMATS = 'TPP Workbench .tppw, ONNX .onnx, Keras .h5 / .keras, TensorFlow.js model.json';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

export type ModelFormat = 'tppw' | 'keras-h5' | 'keras' | 'tfjs' | 'onnx';

export async function loadModelFile(path: string): Promise<ModelFile & { readonly format: ModelFormat }> {
  const bytes = readBytes(path, 'model file');
  if (isTppwModel(bytes)) return { ...decodeModel(bytes, path), format: 'tppw' };
  if (HDF5_SIGNATURE.every((b, i) => bytes[i] === b)) return { graph: await importKerasH5(path), format: 'keras-h5' };
  if (isZip(bytes)) return { graph: await importKerasArchive(bytes, path), format: 'keras' };
  const firstChar = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (firstChar === 0x7b) return { graph: importTfjsFile(bytes, path), format: 'tfjs' };
  // An ONNX ModelProto starts with field 1 (ir_version) as a varint: tag byte 0x08.
  if (bytes[0] === 0x08 || path.toLowerCase().endsWith('.onnx')) return { graph: importOnnx(bytes, path), format: 'onnx' };
  throw invalidData(`${path}: not a model file this build reads (supported: ${MODEL_FORMATS})`);
}

function importTfjsFile(bytes: Uint8Array, path: string) {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw invalidData(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (!isTfjsModelJson(json)) throw invalidData(`${path}: a JSON file that is not a TensorFlow.js layers model (no modelTopology and weightsManifest)`);
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
