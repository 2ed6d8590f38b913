import { NEURON_KERNELS_WASM_BASE64 } from './neuron-kernels.wasm';

/**
 * The neuron kernels' WebAssembly instance and its memory, one per thread. A layer lays out its
 * arrays with `reserve` (16-byte aligned regions from offset 0, memory grown as needed) and
 * reads and writes them through typed-array views, which stay valid until the next `reserve`.
 */
interface KernelExports {
  readonly memory: WebAssembly.Memory;
  if_steps(
    cur: number, curStep: number, v: number, theta: number, shift: number, out: number, counts: number,
    fired: number, hist: number, first: number, n: number, t0: number, t1: number, hard: number,
  ): void;
  sum_steps(cur: number, curStep: number, acc: number, n: number, steps: number): void;
  spike_conv(
    input: number, rows: number, h: number, w: number, cin: number, kernel: number, coutp: number, kh: number, kw: number,
    sh: number, sw: number, ho: number, wo: number, out: number, table: number,
  ): void;
}

const PAGE = 65536;

export class KernelArena {
  readonly exports: KernelExports;

  constructor() {
    const bytes = Uint8Array.from(atob(NEURON_KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
    this.exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as KernelExports;
  }

  /** Byte offsets of regions of the given byte sizes, laid out back to back. */
  reserve(sizes: readonly number[]): number[] {
    const offsets: number[] = [];
    let end = 0;
    for (const size of sizes) {
      offsets.push(end);
      end += Math.ceil(size / 16) * 16;
    }
    const memory = this.exports.memory;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    return offsets;
  }

  f32(offset: number, length: number): Float32Array {
    return new Float32Array(this.exports.memory.buffer, offset, length);
  }

  i32(offset: number, length: number): Int32Array {
    return new Int32Array(this.exports.memory.buffer, offset, length);
  }
}

let arena: KernelArena | undefined;

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
