import * as tf from '@tensorflow/tfjs-core';

/**
 * Moving float32 data between tfjs tensors and host code (the neuron kernels) with as few copies
 * as the backend allows. On wasm, tensor memory is the backend's heap: it can be read in place
 * and is copied on write. Other backends read through dataSync, and the cpu backend keeps the
 * array it is given, so borrowed views are copied before they become a tensor.
 */
interface WasmBackendHeap {
  typedArrayFromHeap(info: { shape: number[]; dtype: string; dataId: object }): Float32Array;
}

/** The tensor's values: a view valid until the next tfjs op on wasm, else a fresh array. */
export function readTensorView(t: tf.Tensor): Float32Array {
  if (tf.getBackend() === 'wasm' && t.dtype === 'float32') {
    return (tf.backend() as unknown as WasmBackendHeap).typedArrayFromHeap(t as unknown as { shape: number[]; dtype: string; dataId: object });
  }
  return t.dataSync() as Float32Array;
}

/** A new tensor holding a copy of `values`, which may be a borrowed view. */
export function tensorFromView(values: Float32Array, shape: readonly number[]): tf.Tensor {
  return tf.tensor(tf.getBackend() === 'wasm' ? values : values.slice(), [...shape], 'float32');
}
