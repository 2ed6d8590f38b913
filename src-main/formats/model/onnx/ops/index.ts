import { ACTIVATION_OPS } from './activations';
import { CONCAT_OPS } from './concat';
import { CONSTANT_OPS } from './constants';
import { CONV_OPS } from './conv';
import { ELEMENTWISE_OPS } from './elementwise';
import { GEMM_OPS } from './gemm';
import type { OnnxOpHandler, OnnxOpType } from './handler';
import { IDENTITY_OPS } from './identity';
import { NORMALIZATION_OPS } from './normalization';
import { PADDING_OPS } from './padding';
import { POOLING_OPS } from './pooling';
import { QCFS_OPS } from './qcfs';
import { SHAPE_OPS } from './shape';

export { ONNX_OPS } from './handler';

/**
 * The handler of every op in ONNX_OPS, by op type: adding an op is adding its handler to a
 * family's table (the type makes this one list every op of ONNX_OPS).
 */
const HANDLERS: { readonly [K in OnnxOpType]: OnnxOpHandler } = {
  ...CONV_OPS, ...GEMM_OPS, ...ACTIVATION_OPS, ...NORMALIZATION_OPS, ...POOLING_OPS, ...SHAPE_OPS,
  ...ELEMENTWISE_OPS, ...CONCAT_OPS, ...IDENTITY_OPS, ...PADDING_OPS, ...CONSTANT_OPS, ...QCFS_OPS,
};

const BY_TYPE: ReadonlyMap<string, OnnxOpHandler> = new Map(Object.entries(HANDLERS));

/** The handler for an op type of the default domain, if the importer reads it. */
export function onnxOpHandler(opType: string): OnnxOpHandler | undefined {
  return BY_TYPE.get(opType);
}
