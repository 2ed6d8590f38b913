import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { isZip } from '../arrays/npz';
import { detectEventFormat } from '../events/detect';
import { isTfjsModelJson } from '../model/tfjs/tfjs-layers';
import { isTppwModel } from '../model/tppw-model';

/**
 * Whether a file or folder the user handed over (dropped on the app, opened with it) is a model
 * or a dataset, from its first bytes like the readers decide: a `.tppw` magic, an HDF5 signature
 * (Keras), a zip (a Keras 3 archive), JSON (TensorFlow.js or a Keras architecture) or ONNX's
 * leading ir_version field are models; event recordings and folders are datasets, except a folder
 * holding a TensorFlow.js model (a JSON file with modelTopology and weightsManifest beside its
 * shards). Undefined: neither, as far as the first bytes tell.
 */
export type PathKind = { readonly kind: 'dataset' | 'model'; readonly path: string };

const HEAD_BYTES = 4096;
/** A TensorFlow.js model folder holds one model JSON; folders with more JSON than this are not looked into. */
const MAX_JSON_FILES = 8;
const MAX_JSON_BYTES = 16 * 1024 * 1024;

export function pathKind(path: string): PathKind | undefined {
  if (statSync(path).isDirectory()) {
    const model = tfjsModelIn(path);
    return model === undefined ? { kind: 'dataset', path } : { kind: 'model', path: model };
  }
  const head = readHead(path);
  if (isTppwModel(head) || isZip(head)) return { kind: 'model', path };
  const firstChar = head.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (firstChar === 0x7b /* { */) return { kind: 'model', path };
  const events = eventFormat(head, path);
  // HDF5 holds Keras models here; event recordings in HDF5 are not registered as datasets.
  if (events === 'hdf5') return { kind: 'model', path };
  if (events !== undefined) return { kind: 'dataset', path };
  // An ONNX ModelProto starts with field 1 (ir_version) as a varint: tag byte 0x08.
  if (head[0] === 0x08 || extname(path).toLowerCase() === '.onnx') return { kind: 'model', path };
  return undefined;
}

function tfjsModelIn(folder: string): string | undefined {
  const json = readdirSync(folder, { withFileTypes: true }).filter((e) => e.isFile() && extname(e.name).toLowerCase() === '.json');
  if (json.length > MAX_JSON_FILES) return undefined;
  return json
    .map((e) => join(folder, e.name))
    .find((file) => {
      if (statSync(file).size > MAX_JSON_BYTES) return false;
      try {
        return isTfjsModelJson(JSON.parse(readFileSync(file, 'utf8')));
      } catch {
        return false;
      }
    });
}

function eventFormat(head: Uint8Array, path: string): string | undefined {
  try {
    return detectEventFormat(head, basename(path));
  } catch {
    return undefined;
  }
}

function readHead(path: string): Uint8Array {
  const head = new Uint8Array(HEAD_BYTES);
  const fd = openSync(path, 'r');
  try {
    return head.subarray(0, readSync(fd, head, 0, HEAD_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}
