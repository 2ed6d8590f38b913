import { unzipSync } from 'fflate';
import { unsupported, type WorkbenchError } from '../../common/errors';
import { ProtoReader, type Field } from './onnx/protobuf';

/**
 * Model files the workbench recognises but does not import, so that refusing one names its
 * format and the way in (through ONNX) instead of misreading it as a format it is not.
 * Recognised by content, bytes in.
 */
export type ForeignModel =
  | { readonly format: 'tf-graphdef' }
  | { readonly format: 'tf-savedmodel' }
  | { readonly format: 'tflite' }
  | { readonly format: 'pytorch'; readonly container: 'zip' | 'pickle' }
  | { readonly format: 'nir'; readonly version: string | undefined };

export function foreignModelError(model: ForeignModel, source: string): WorkbenchError {
  const viaOnnx = 'and import the .onnx file';
  switch (model.format) {
    case 'tf-graphdef':
      return unsupported(`${source}: a TensorFlow GraphDef (frozen graph), which this build does not import: convert it to ONNX with tf2onnx (python -m tf2onnx.convert --graphdef FILE --inputs NAME:0 --outputs NAME:0 --output model.onnx) ${viaOnnx}`);
    case 'tf-savedmodel':
      return unsupported(`${source}: a TensorFlow SavedModel, which this build does not import: convert its folder to ONNX with tf2onnx (python -m tf2onnx.convert --saved-model DIR --output model.onnx) ${viaOnnx}`);
    case 'tflite':
      return unsupported(`${source}: a TensorFlow Lite model, which this build does not import: convert it to ONNX with tf2onnx (python -m tf2onnx.convert --tflite FILE --output model.onnx), or convert the Keras model it came from, ${viaOnnx}`);
    case 'pytorch':
      return unsupported(
        `${source}: ${model.container === 'zip' ? 'a PyTorch file (torch.save or torch.jit.save)' : "a Python pickle (torch.save's legacy format)"}, which this build does not import: export the model to ONNX with torch.onnx.export(model, example_input, 'model.onnx') ${viaOnnx}`,
      );
    case 'nir':
      return unsupported(`${source}: a NIR graph${model.version ? ` (NIR ${model.version})` : ''}: NIR graphs are spiking networks, and importing them is a separate feature that is not available yet; this build converts trained ANNs (ONNX, Keras, TensorFlow.js)`);
  }
}

/** TensorFlow Lite, a PyTorch legacy pickle, or a TensorFlow GraphDef or SavedModel protobuf. */
export function sniffForeignModel(bytes: Uint8Array): ForeignModel | undefined {
  // FlatBuffers put the file identifier after the root table offset, at bytes 4..8; TFLite's
  // schema (tensorflow/lite/schema/schema.fbs) declares file_identifier "TFL3".
  if (bytes.length >= 8 && String.fromCharCode(...bytes.subarray(4, 8)) === 'TFL3') return { format: 'tflite' };
  // A pickle of protocol 2 or later opens with the PROTO opcode 0x80 and the protocol number;
  // torch.save's legacy format is a pickle of protocol 2 (the magic number 0x1950a86a20f9469cfc6c follows).
  if (bytes.length >= 2 && bytes[0] === 0x80 && bytes[1]! >= 2 && bytes[1]! <= 5) return { format: 'pytorch', container: 'pickle' };
  return sniffTensorflowProto(bytes);
}

/**
 * A zip written by torch.save or torch.jit.save (caffe2/serialize/inline_container.cc): every
 * record under one folder named after the file, with the pickled object in `<folder>/data.pkl`.
 * A Keras 3 archive holds config.json and metadata.json at the top instead.
 */
export function isPytorchZip(bytes: Uint8Array): boolean {
  const names: string[] = [];
  try {
    // the filter sees each entry of the central directory; refusing all of them inflates nothing
    unzipSync(bytes, {
      filter: (file) => {
        names.push(file.name);
        return false;
      },
    });
  } catch {
    return false;
  }
  return names.some((n) => /^([^/]+\/)?data\.pkl$/.test(n));
}

/**
 * tensorflow/core/framework/graph.proto: GraphDef { node = 1 (NodeDef), library = 2,
 * version = 3 (varint), versions = 4, debug_info = 5 }, NodeDef { name = 1, op = 2, input = 3,
 * device = 4, attr = 5, … = 6, 7 }, all length-delimited.
 * tensorflow/core/protobuf/saved_model.proto: SavedModel { saved_model_schema_version = 1
 * (varint), meta_graphs = 2 (MetaGraphDef: fields 1–7, all messages) }. ONNX's ModelProto has
 * ir_version = 1 as a varint too, but its graph is field 7.
 */
function sniffTensorflowProto(bytes: Uint8Array): ForeignModel | undefined {
  const reader = new ProtoReader(bytes, 'model file');
  const messageOf = (f: Field | undefined, fieldsUpTo: number): Field[] | undefined => {
    if (f?.wire !== 2) return undefined;
    try {
      const inner = reader.fields(f.start, f.end);
      return inner.every((g) => g.wire === 2 && g.field <= fieldsUpTo) ? inner : undefined;
    } catch {
      return undefined;
    }
  };
  let top: Field[];
  try {
    top = reader.fields(0, bytes.length);
  } catch {
    return undefined;
  }
  if (top.length === 0) return undefined;
  const graphDefField = (f: Field) => (f.field === 3 ? f.wire === 0 : f.wire === 2 && f.field >= 1 && f.field <= 5);
  if (top.every(graphDefField) && top.some((f) => f.field === 1)) {
    const node = messageOf(top.find((f) => f.field === 1), 7);
    if (node?.some((f) => f.field === 2)) return { format: 'tf-graphdef' };
  }
  const savedModelField = (f: Field) => (f.field === 1 && f.wire === 0) || (f.field === 2 && f.wire === 2);
  if (top.every(savedModelField) && messageOf(top.find((f) => f.field === 2), 7) !== undefined) return { format: 'tf-savedmodel' };
  return undefined;
}
