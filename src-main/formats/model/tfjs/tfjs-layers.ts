import { invalidData, unsupported } from '../../../common/errors';
import type { Graph } from '../../../common/ir/types';
import { kerasToIr } from '../keras/config-to-ir';
import { layerNamesOf, namedWeightSource } from '../keras/weights';
import { halfToFloat } from '../common/float16';

/**
 * TensorFlow.js layers models (github.com/tensorflow/tfjs, tfjs-core/src/io/types.ts): a
 * `model.json` with `modelTopology` (Keras layer configs) and `weightsManifest` (groups of weight
 * specs, each group's values concatenated across its shard files), plus the binary shards.
 * Weights may be float32, int32, float16, or quantized uint8/uint16 (value = q·scale + min).
 */
interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantization?: { readonly dtype: string; readonly scale?: number; readonly min?: number };
}

export function isTfjsModelJson(value: unknown): boolean {
  const v = value as { modelTopology?: unknown; weightsManifest?: unknown } | null;
  return v !== null && typeof v === 'object' && v.modelTopology !== undefined && Array.isArray(v.weightsManifest);
}

export function importTfjsLayers(json: unknown, readShard: (path: string) => Uint8Array, source: string): Graph {
  if (!isTfjsModelJson(json)) throw invalidData(`${source}: not a TensorFlow.js layers model (no modelTopology and weightsManifest)`);
  const model = json as { modelTopology: unknown; weightsManifest: { paths: string[]; weights: WeightSpec[] }[]; format?: string };
  if (model.format !== undefined && model.format !== 'layers-model') {
    throw unsupported(`${source}: TensorFlow.js ${model.format} (graph models are not supported; export a layers model)`);
  }
  const entries: { name: string; shape: readonly number[]; values: Float32Array }[] = [];
  for (const [g, group] of model.weightsManifest.entries()) {
    if (!Array.isArray(group.paths) || !Array.isArray(group.weights)) throw invalidData(`${source}: weight group ${g} has no paths or weights`);
    const shards = group.paths.map((p) => readShard(p));
    const total = shards.reduce((a, s) => a + s.length, 0);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const s of shards) {
      bytes.set(s, at);
      at += s.length;
    }
    let offset = 0;
    for (const spec of group.weights) {
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const { values, size } = decodeWeight(bytes, offset, count, spec, source);
      entries.push({ name: spec.name, shape: spec.shape, values });
      offset += size;
    }
    if (offset !== total) throw invalidData(`${source}: weight group ${g} declares ${offset} bytes but its shards (${group.paths.join(', ')}) hold ${total}`);
  }
  const topology = model.modelTopology;
  const graph = kerasToIr(topology, namedWeightSource(entries, layerNamesOf(topology)), { source });
  // This workbench records the input preprocessing in userDefinedMetadata when it exports.
  const recorded = (json as { userDefinedMetadata?: { tppw?: { preprocessing?: { scale?: unknown; offset?: unknown } } } }).userDefinedMetadata?.tppw?.preprocessing;
  if (graph.preprocessing === undefined && typeof recorded?.scale === 'number' && typeof recorded.offset === 'number') {
    return { ...graph, preprocessing: { scale: recorded.scale, offset: recorded.offset } };
  }
  return graph;
}

function decodeWeight(bytes: Uint8Array, offset: number, count: number, spec: WeightSpec, source: string): { values: Float32Array; size: number } {
  const q = spec.quantization;
  const dtype = q?.dtype ?? spec.dtype;
  const width = dtype === 'uint8' ? 1 : dtype === 'uint16' || dtype === 'float16' ? 2 : dtype === 'float32' || dtype === 'int32' ? 4 : 0;
  if (width === 0) throw unsupported(`${source}: weight '${spec.name}' has dtype '${dtype}'`);
  const size = count * width;
  if (offset + size > bytes.length) {
    throw invalidData(`${source}: weight '${spec.name}' (bytes ${offset}..${offset + size}) runs past the end of the shards (${bytes.length} bytes)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, size);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    switch (dtype) {
      case 'float32':
        values[i] = view.getFloat32(4 * i, true);
        break;
      case 'int32':
        values[i] = view.getInt32(4 * i, true);
        break;
      case 'float16':
        values[i] = halfToFloat(view.getUint16(2 * i, true));
        break;
      case 'uint8':
        values[i] = view.getUint8(i) * (q?.scale ?? 1) + (q?.min ?? 0);
        break;
      case 'uint16':
        values[i] = view.getUint16(2 * i, true) * (q?.scale ?? 1) + (q?.min ?? 0);
        break;
    }
  }
  return { values, size };
}
