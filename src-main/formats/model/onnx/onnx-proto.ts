import { invalidData, unsupported } from '../../../common/errors';
import { halfToFloat } from '../common/float16';
import { ProtoReader, type Field } from './protobuf';

/**
 * The subset of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto) the importer reads, decoded
 * into plain objects. Field numbers are the proto's; unknown fields are skipped, as protobuf
 * readers must.
 */
export interface OnnxTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly dataType: number;
  /** Values as float64 numbers (exact for every supported type) in row-major order. */
  readonly values: Float64Array;
}

export interface OnnxAttribute {
  readonly name: string;
  readonly f?: number;
  readonly i?: number;
  readonly s?: string;
  readonly t?: OnnxTensor;
  readonly floats: readonly number[];
  readonly ints: readonly number[];
}

export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, OnnxAttribute>;
}

export interface OnnxValueInfo {
  readonly name: string;
  /** Dimensions; symbolic or unknown ones are undefined. */
  readonly shape?: readonly (number | undefined)[];
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: ReadonlyMap<string, OnnxTensor>;
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

export interface OnnxModel {
  readonly irVersion: number;
  /** Version of the default ('' or 'ai.onnx') operator set. */
  readonly opset: number;
  readonly producer: string;
  readonly graph: OnnxGraph;
}

/** TensorProto.DataType values the importer reads. */
const DATA_TYPES: Record<number, { name: string; bytes: number }> = {
  1: { name: 'float32', bytes: 4 },
  2: { name: 'uint8', bytes: 1 },
  3: { name: 'int8', bytes: 1 },
  5: { name: 'int16', bytes: 2 },
  6: { name: 'int32', bytes: 4 },
  7: { name: 'int64', bytes: 8 },
  9: { name: 'bool', bytes: 1 },
  10: { name: 'float16', bytes: 2 },
  11: { name: 'float64', bytes: 8 },
};

export function decodeOnnx(bytes: Uint8Array, source: string): OnnxModel {
  const r = new ProtoReader(bytes, source);
  let irVersion = 0;
  let opset: number | undefined;
  let producer = '';
  let graph: OnnxGraph | undefined;
  for (const f of r.fields(0, bytes.length)) {
    switch (f.field) {
      case 1:
        irVersion = r.int(f);
        break;
      case 2:
        producer = r.string(f);
        break;
      case 7:
        graph = decodeGraph(r, f);
        break;
      case 8: {
        let domain = '';
        let version = 0;
        for (const g of sub(r, f)) {
          if (g.field === 1) domain = r.string(g);
          if (g.field === 2) version = r.int(g);
        }
        if (domain === '' || domain === 'ai.onnx') opset = version;
        break;
      }
      default:
        break;
    }
  }
  if (graph === undefined) throw invalidData(`${source}: not an ONNX model (no graph in the ModelProto)`);
  if (irVersion === 0) throw invalidData(`${source}: not an ONNX model (no ir_version)`);
  return { irVersion, opset: opset ?? 1, producer, graph };
}

function sub(r: ProtoReader, f: Field): Field[] {
  if (f.wire !== 2) throw invalidData(`${r.source}: field ${f.field} should be a message`);
  return r.fields(f.start, f.end);
}

function decodeGraph(r: ProtoReader, f: Field): OnnxGraph {
  let name = '';
  const nodes: OnnxNode[] = [];
  const initializers = new Map<string, OnnxTensor>();
  const inputs: OnnxValueInfo[] = [];
  const outputs: OnnxValueInfo[] = [];
  for (const g of sub(r, f)) {
    switch (g.field) {
      case 1:
        nodes.push(decodeNode(r, g));
        break;
      case 2:
        name = r.string(g);
        break;
      case 5: {
        const t = decodeTensor(r, g);
        initializers.set(t.name, t);
        break;
      }
      case 11:
        inputs.push(decodeValueInfo(r, g));
        break;
      case 12:
        outputs.push(decodeValueInfo(r, g));
        break;
      default:
        break;
    }
  }
  return { name, nodes, initializers, inputs, outputs };
}

function decodeNode(r: ProtoReader, f: Field): OnnxNode {
  const inputs: string[] = [];
  const outputs: string[] = [];
  const attributes = new Map<string, OnnxAttribute>();
  let name = '';
  let opType = '';
  let domain = '';
  for (const g of sub(r, f)) {
    switch (g.field) {
      case 1:
        inputs.push(r.string(g));
        break;
      case 2:
        outputs.push(r.string(g));
        break;
      case 3:
        name = r.string(g);
        break;
      case 4:
        opType = r.string(g);
        break;
      case 5: {
        const a = decodeAttribute(r, g);
        attributes.set(a.name, a);
        break;
      }
      case 7:
        domain = r.string(g);
        break;
      default:
        break;
    }
  }
  return { name: name || outputs[0] || opType, opType, domain, inputs, outputs, attributes };
}

function decodeAttribute(r: ProtoReader, f: Field): OnnxAttribute {
  let name = '';
  const floats: number[] = [];
  const ints: number[] = [];
  const out: { f?: number; i?: number; s?: string; t?: OnnxTensor } = {};
  for (const g of sub(r, f)) {
    switch (g.field) {
      case 1:
        name = r.string(g);
        break;
      case 2:
        out.f = r.float(g);
        break;
      case 3:
        out.i = r.int(g);
        break;
      case 4:
        out.s = r.string(g);
        break;
      case 5:
        out.t = decodeTensor(r, g);
        break;
      case 7:
        r.floats(g, floats);
        break;
      case 8:
        r.ints(g, ints);
        break;
      default:
        break;
    }
  }
  return { name, ...out, floats, ints };
}

function decodeValueInfo(r: ProtoReader, f: Field): OnnxValueInfo {
  let name = '';
  let shape: (number | undefined)[] | undefined;
  for (const g of sub(r, f)) {
    if (g.field === 1) name = r.string(g);
    if (g.field !== 2) continue;
    // TypeProto.tensor_type (1) → Tensor.shape (2) → TensorShapeProto.dim (1) → dim_value (1)
    for (const t of sub(r, g)) {
      if (t.field !== 1) continue;
      for (const s of sub(r, t)) {
        if (s.field !== 2) continue;
        shape = [];
        for (const d of sub(r, s)) {
          if (d.field !== 1) continue;
          const value = sub(r, d).find((x) => x.field === 1);
          shape.push(value === undefined ? undefined : r.int(value));
        }
      }
    }
  }
  return shape === undefined ? { name } : { name, shape };
}

function decodeTensor(r: ProtoReader, f: Field): OnnxTensor {
  let name = '';
  const dims: number[] = [];
  let dataType = 0;
  let raw: Uint8Array | undefined;
  const floats: number[] = [];
  const ints: number[] = [];
  const doubles: number[] = [];
  let external = false;
  for (const g of sub(r, f)) {
    switch (g.field) {
      case 1:
        r.ints(g, dims);
        break;
      case 2:
        dataType = r.int(g);
        break;
      case 4:
        r.floats(g, floats);
        break;
      case 5: // int32_data (also carries int8/uint8/int16/bool/float16 bits)
      case 7: // int64_data
        r.ints(g, ints);
        break;
      case 8:
        name = r.string(g);
        break;
      case 9:
        raw = r.bytesOf(g);
        break;
      case 10:
        r.doubles(g, doubles);
        break;
      case 14:
        external = r.int(g) === 1;
        break;
      default:
        break;
    }
  }
  const type = DATA_TYPES[dataType];
  if (type === undefined) throw unsupported(`${r.source}: tensor '${name}' has data type ${dataType}, which the importer does not read`);
  if (external) throw unsupported(`${r.source}: tensor '${name}' keeps its data in an external file; save the model with the weights inside`);
  const count = dims.reduce((a, b) => a * b, 1);
  let values: Float64Array;
  if (raw !== undefined) {
    if (raw.length !== count * type.bytes) {
      throw invalidData(`${r.source}: tensor '${name}' of shape [${dims.join(', ')}] ${type.name} needs ${count * type.bytes} bytes of raw data, has ${raw.length}`);
    }
    values = fromRaw(raw, dataType, count);
  } else {
    const list = dataType === 1 ? floats : dataType === 11 ? doubles : ints;
    if (list.length !== count) {
      throw invalidData(`${r.source}: tensor '${name}' of shape [${dims.join(', ')}] holds ${list.length} values, expected ${count}`);
    }
    values = dataType === 10 ? Float64Array.from(list, halfToFloat) : Float64Array.from(list);
  }
  return { name, dims, dataType, values };
}

function fromRaw(raw: Uint8Array, dataType: number, count: number): Float64Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    switch (dataType) {
      case 1:
        out[i] = view.getFloat32(4 * i, true);
        break;
      case 2:
      case 9:
        out[i] = view.getUint8(i);
        break;
      case 3:
        out[i] = view.getInt8(i);
        break;
      case 5:
        out[i] = view.getInt16(2 * i, true);
        break;
      case 6:
        out[i] = view.getInt32(4 * i, true);
        break;
      case 7:
        out[i] = Number(view.getBigInt64(8 * i, true));
        break;
      case 10:
        out[i] = halfToFloat(view.getUint16(2 * i, true));
        break;
      case 11:
        out[i] = view.getFloat64(8 * i, true);
        break;
    }
  }
  return out;
}
