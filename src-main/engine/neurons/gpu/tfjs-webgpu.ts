import * as tf from '@tensorflow/tfjs-core';

/**
 * The few tfjs-backend-webgpu internals the neuron kernels need to share tfjs's GPU device
 * without copies (the GPU counterpart of host-io.ts's view of the wasm heap): the buffer behind a
 * tensor, a new output tensor whose buffer comes from tfjs's pool (so disposing the tensor returns
 * it there), and flushing tfjs's pending commands so that work submitted here runs after them.
 * Checked at first use: a tfjs version without them fails with a clear message.
 */
interface TensorData {
  resource: unknown;
}

interface WebGpuBackendInternals {
  readonly device: GPUDevice;
  readonly tensorMap: { get(dataId: object): TensorData | undefined };
  commandEncoder: GPUCommandEncoder | null;
  uploadToGPU(dataId: object): void;
  makeTensorInfo(shape: number[], dtype: 'float32'): { dataId: object; shape: number[]; dtype: 'float32' };
  endComputePassEncoder(): void;
  submitQueue(): void;
}

function internals(): WebGpuBackendInternals {
  if (tf.getBackend() !== 'webgpu') throw new Error(`the GPU neuron kernels need the webgpu backend, not ${tf.getBackend()}`);
  const backend = tf.backend() as unknown as Partial<WebGpuBackendInternals>;
  for (const name of ['uploadToGPU', 'makeTensorInfo', 'endComputePassEncoder', 'submitQueue'] as const) {
    if (typeof backend[name] !== 'function') throw new Error(`tfjs-backend-webgpu has no ${name}(): this tfjs version is not supported by the GPU neuron kernels`);
  }
  if (backend.device === undefined || backend.tensorMap === undefined) throw new Error('tfjs-backend-webgpu exposes no device or tensor map');
  return backend as WebGpuBackendInternals;
}

/** tfjs's GPU device (the kernels run on it, so buffers pass between them directly). */
export function tfjsDevice(): GPUDevice {
  return internals().device;
}

/** The GPU buffer holding `t` (uploaded first if its values are still on the host). */
export function bufferOf(t: tf.Tensor): GPUBuffer {
  const backend = internals();
  const id = t.dataId as object;
  backend.uploadToGPU(id);
  const resource = backend.tensorMap.get(id)?.resource;
  if (resource === undefined || resource === null || typeof (resource as GPUBuffer).mapAsync !== 'function') {
    throw new Error('a tensor is not held in a GPU buffer (textures are not supported by the neuron kernels)');
  }
  return resource as GPUBuffer;
}

/** A new float32 tensor of `shape` with an uninitialised buffer from tfjs's pool. */
export function newTensor(shape: readonly number[]): { tensor: tf.Tensor; buffer: GPUBuffer } {
  const backend = internals();
  const info = backend.makeTensorInfo([...shape], 'float32');
  backend.uploadToGPU(info.dataId);
  const tensor = tf.engine().makeTensorFromTensorInfo(info, tf.backend());
  return { tensor, buffer: bufferOf(tensor) };
}

/** Submits what tfjs has encoded but not yet submitted (uploads, ops), so that the next
 * submission runs after it. */
export function flushTfjs(): void {
  const backend = internals();
  if (backend.commandEncoder === null || backend.commandEncoder === undefined) return;
  backend.endComputePassEncoder();
  backend.submitQueue();
}
