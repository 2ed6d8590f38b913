import { NEURON_KERNELS_WASM_BASE64 } from './neuron-kernels.wasm';

/**
 * The neuron kernels' WebAssembly instance over a memory, and a block of scratch regions in it.
 * A layer lays out its arrays with `reserve` (16-byte aligned regions, back to back) and reads
 * and writes them through typed-array views, which stay valid until the next `reserve` (and, in
 * tfjs's heap, until tfjs next allocates). In the thread's own memory (`kernelArena`) the block
 * starts at 0 and the memory grows as needed; in tfjs's heap (`heapKernels`) it is allocated from
 * tfjs's allocator and reallocated when a layer needs more.
 */
interface KernelExports {
  if_steps(
    cur: number, curStep: number, v: number, theta: number, shift: number, out: number, counts: number,
    fired: number, hist: number, first: number, n: number, t0: number, t1: number, hard: number,
  ): void;
  sum_steps(cur: number, curStep: number, acc: number, n: number, steps: number): void;
  spike_conv(
    input: number, rows: number, h: number, w: number, cin: number, kernel: number, coutp: number, kh: number, kw: number,
    sh: number, sw: number, ho: number, wo: number, out: number, table: number, bias: number,
  ): void;
}

/** Where a heap arena's block comes from (tfjs's malloc and free). */
export interface BlockAllocator {
  malloc(bytes: number): number;
  free(at: number): void;
}

const PAGE = 65536;
let module: WebAssembly.Module | undefined;

export class KernelArena {
  readonly exports: KernelExports;
  /** The allocated block (heap arenas), and its first 16-byte aligned address. */
  private block = 0;
  private base = 0;
  private capacity = 0;

  constructor(
    readonly memory: WebAssembly.Memory = new WebAssembly.Memory({ initial: 1 }),
    private readonly allocator?: BlockAllocator,
  ) {
    module ??= new WebAssembly.Module(Uint8Array.from(atob(NEURON_KERNELS_WASM_BASE64), (c) => c.charCodeAt(0)));
    this.exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  }

  /** Byte addresses of regions of the given byte sizes, laid out back to back. */
  reserve(sizes: readonly number[]): number[] {
    const offsets: number[] = [];
    let end = 0;
    for (const size of sizes) {
      offsets.push(end);
      end += Math.ceil(size / 16) * 16;
    }
    if (this.allocator === undefined) {
      const bytes = this.memory.buffer.byteLength;
      if (end > bytes) this.memory.grow(Math.ceil((end - bytes) / PAGE));
    } else if (end > this.capacity) {
      if (this.capacity > 0) this.allocator.free(this.block);
      this.capacity = Math.max(end, Math.ceil(this.capacity * 1.5));
      // 16 bytes of slack to align the regions
      this.block = this.allocator.malloc(this.capacity + 16);
      if (this.block === 0) throw new Error(`neuron kernels: tfjs's heap has no room for ${this.capacity} bytes of scratch`);
      this.base = Math.ceil(this.block / 16) * 16;
    }
    return offsets.map((o) => this.base + o);
  }

  f32(offset: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, offset, length);
  }

  i32(offset: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, offset, length);
  }
}

let arena: KernelArena | undefined;

/** The kernels in this thread's own memory. */
export function kernelArena(): KernelArena {
  arena ??= new KernelArena();
  return arena;
}

/** N rounded up to whole SIMD vectors of 4 lanes. */
export function padded(n: number): number {
  return Math.ceil(n / 4) * 4;
}

/** Copies T rows of N values into rows of stride Np (Np ≥ N), or all at once when they match.
 * Every row's padding lanes N..Np−1 are zeroed: the arena holds whatever the previous layer left
 * there (+∞ included, which would fire a lane whose θ is +∞), and the kernels read whole vectors. */
export function copyRows(target: Float32Array, source: Float32Array, rows: number, n: number, np: number): void {
  if (n === np) {
    target.set(source.subarray(0, rows * n));
    return;
  }
  for (let r = 0; r < rows; r++) {
    target.set(source.subarray(r * n, (r + 1) * n), r * np);
    target.fill(0, r * np + n, (r + 1) * np);
  }
}

/** The inverse of copyRows: rows of stride Np as a dense [rows, N] array (the same view when
 * N = Np, a new array otherwise). */
export function compactRows(source: Float32Array, rows: number, n: number, np: number): Float32Array {
  if (n === np) return source.subarray(0, rows * n);
  const out = new Float32Array(rows * n);
  for (let r = 0; r < rows; r++) out.set(source.subarray(r * np, r * np + n), r * n);
  return out;
}

const scratch = new Map<string, Float32Array>();

/** A float32 buffer of `length` values reused per `key` on this thread (contents undefined). */
export function scratchF32(key: string, length: number): Float32Array {
  let buffer = scratch.get(key);
  if (buffer === undefined || buffer.length < length) {
    buffer = new Float32Array(Math.max(length, Math.ceil((buffer?.length ?? 0) * 1.5)));
    scratch.set(key, buffer);
  }
  return buffer.subarray(0, length);
}
