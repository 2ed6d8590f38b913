import { tensorHeap, type TensorHeap } from '../../backend/host-io';
import { KernelArena } from './arena';

/**
 * The neuron kernels over tfjs's heap (wasm backend), with their scratch block allocated there:
 * kernels given tensor addresses work on the tensors in place. One per heap (a re-initialised
 * backend has a new one); undefined off wasm, or where the kernels cannot share its memory (a
 * shared, threaded heap).
 */
const arenas = new WeakMap<WebAssembly.Memory, KernelArena | null>();

export interface HeapKernels {
  readonly heap: TensorHeap;
  readonly arena: KernelArena;
}

export function heapKernels(): HeapKernels | undefined {
  const heap = tensorHeap();
  if (heap === undefined) return undefined;
  let arena = arenas.get(heap.memory);
  if (arena === undefined) {
    try {
      arena = new KernelArena(heap.memory, heap);
    } catch {
      arena = null;
    }
    arenas.set(heap.memory, arena);
  }
  return arena === null ? undefined : { heap, arena };
}
