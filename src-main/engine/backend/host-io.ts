import * as tf from '@tensorflow/tfjs-core';

/**
 * Moving float32 data between tfjs tensors and host code (the neuron kernels) with as few copies
 * as the backend allows. On wasm, tensor memory is the backend's heap: it can be read in place
 * and is copied on write. Other backends read through dataSync, and the cpu backend keeps the
 * array it is given, so borrowed views are copied before they become a tensor.
 */
interface WasmBackendHeap {
  typedArrayFromHeap(info: { shape: number[]; dtype: string; dataId: object }): Float32Array;
  readonly wasm: { readonly asm: { readonly memory: WebAssembly.Memory }; _malloc(bytes: number): number; _free(at: number): void };
  readonly dataIdMap: { get(dataId: object): { readonly memoryOffset: number | null } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
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

/**
 * On the wasm backend, tfjs's heap: its memory, its allocator, where a tensor's values lie, and
 * new tensors to be written in place. Host kernels instantiated over this memory (heapKernels)
 * read tensors without copying them and write their results straight into tensors.
 */
export interface TensorHeap {
  readonly memory: WebAssembly.Memory;
  malloc(bytes: number): number;
  free(at: number): void;
  /** The byte address of a float32 tensor's values, if they lie in this heap. */
  address(t: tf.Tensor): number | undefined;
  /** A new float32 tensor with its values undefined, and their byte address. */
  allocate(shape: readonly number[]): { tensor: tf.Tensor; at: number };
}

export function tensorHeap(): TensorHeap | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend() as unknown as WasmBackendHeap;
  const memory = backend.wasm.asm.memory;
  if (!(memory instanceof WebAssembly.Memory)) return undefined;
  const address = (t: tf.Tensor): number | undefined => {
    if (t.dtype !== 'float32') return undefined;
    const offset = backend.dataIdMap.get(t.dataId)?.memoryOffset;
    return offset === null || offset === undefined ? undefined : offset >>> 0;
  };
  return {
    memory,
    malloc: (bytes) => backend.wasm._malloc(bytes) >>> 0,
    free: (at) => backend.wasm._free(at),
    address,
    allocate(shape) {
      const tensor = tf.engine().makeTensorFromTensorInfo(backend.makeOutput([...shape], 'float32'));
      return { tensor, at: address(tensor)! };
    },
  };
}
