import { IF_KERNEL, PERMUTE_LAYER_KERNEL, PERMUTE_NEURON_KERNEL, TPP_CHARGE_KERNEL, TPP_FIRE_KERNEL, TRAIN_STATS_KERNEL, WORKGROUP } from './wgsl';

/**
 * Running the WGSL neuron kernels on a device: compiled pipelines, chunk plans that keep every
 * binding under the device's limits, and jobs that encode a layer's dispatches, copies and
 * read-backs into one submission checked with error scopes (a validation or out-of-memory error
 * fails the job: WebGPU would otherwise only log it, and a binding over the limit reads zeros).
 */
export type KernelName = 'if' | 'tppCharge' | 'tppFire' | 'permuteNeuron' | 'permuteLayer' | 'trainStats';

const SOURCES: Record<KernelName, string> = {
  if: IF_KERNEL,
  tppCharge: TPP_CHARGE_KERNEL,
  tppFire: TPP_FIRE_KERNEL,
  permuteNeuron: PERMUTE_NEURON_KERNEL,
  permuteLayer: PERMUTE_LAYER_KERNEL,
  trainStats: TRAIN_STATS_KERNEL,
};

export interface GpuLimits {
  /** Largest storage binding, bytes (maxStorageBufferBindingSize). */
  readonly bindingBytes: number;
  /** Storage binding offsets are multiples of this (minStorageBufferOffsetAlignment). */
  readonly alignBytes: number;
  /** maxComputeWorkgroupsPerDimension: more workgroups go into a 2-D dispatch. */
  readonly groupsPerDimension: number;
}

/** Neurons [n0, n0 + count) over steps [t0, t1). */
export interface Chunk {
  readonly n0: number;
  readonly count: number;
  readonly t0: number;
  readonly t1: number;
}

/** A window of a buffer as one binding: `at` is the element of the window's first wanted value. */
export interface Window {
  readonly buffer: GPUBuffer;
  readonly offset: number;
  readonly size: number;
  readonly at: number;
}

export const STORAGE_OUT = 0x0080 | 0x0004; // GPUBufferUsage.STORAGE | COPY_SRC (the globals exist only once Dawn is loaded)
const USAGE = { storage: 0x0080, copySrc: 0x0004, copyDst: 0x0008, uniform: 0x0040, mapRead: 0x0001 } as const;
const MAP_READ_MODE = 0x0001;
const UNIFORM_SLOT = 256; // minUniformBufferOffsetAlignment is at most 256

export class GpuKernels {
  readonly limits: GpuLimits;
  private readonly pipelines = new Map<KernelName, GPUComputePipeline>();

  /** `beforeSubmit` runs right before each job's submission (to submit what the job's inputs
   * still wait for, e.g. tfjs's pending uploads). */
  constructor(readonly device: GPUDevice, overrides: Partial<GpuLimits> = {}, readonly beforeSubmit: () => void = () => undefined) {
    const l = device.limits;
    this.limits = {
      bindingBytes: Math.min(overrides.bindingBytes ?? Infinity, l.maxStorageBufferBindingSize),
      alignBytes: Math.max(overrides.alignBytes ?? 0, l.minStorageBufferOffsetAlignment),
      groupsPerDimension: Math.min(overrides.groupsPerDimension ?? Infinity, l.maxComputeWorkgroupsPerDimension),
    };
    if (this.limits.bindingBytes < 4 * WORKGROUP + this.limits.alignBytes) throw new Error(`storage bindings of ${this.limits.bindingBytes} bytes are too small for the neuron kernels`);
  }

  pipeline(name: KernelName): GPUComputePipeline {
    let p = this.pipelines.get(name);
    if (p === undefined) {
      const module = this.device.createShaderModule({ code: SOURCES[name], label: name });
      p = this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: name });
      this.pipelines.set(name, p);
    }
    return p;
  }

  /**
   * Chunks covering N neurons over steps [t0, t1), time outer (so every neuron's steps run in
   * order and a checkpoint after t1 sees all neurons), such that a window of a time-major
   * [rows, N] array over a chunk — (t1 − t0 − 1)·N + count elements, plus the alignment slack —
   * fits one binding. Whole rows at once when one row fits, else slices of one row.
   */
  chunks(N: number, t0: number, t1: number): Chunk[] {
    const maxElements = Math.floor(this.limits.bindingBytes / 4) - this.limits.alignBytes / 4;
    const perChunk = N <= maxElements ? N : Math.floor(maxElements / WORKGROUP) * WORKGROUP;
    const rows = perChunk === N ? Math.max(1, Math.floor((maxElements - N) / N) + 1) : 1;
    const out: Chunk[] = [];
    for (let t = t0; t < t1; t += rows) {
      for (let n0 = 0; n0 < N; n0 += perChunk) out.push({ n0, count: Math.min(perChunk, N - n0), t0: t, t1: Math.min(t1, t + rows) });
    }
    return out;
  }

  /** Whether `elements` values from element `first` fit one binding. */
  fits(first: number, elements: number): boolean {
    const slack = (first * 4) % this.limits.alignBytes;
    return slack + elements * 4 <= this.limits.bindingBytes;
  }

  /** The binding of elements [first, first + elements) of `buffer`, its offset aligned down. */
  window(buffer: GPUBuffer, first: number, elements: number): Window {
    const start = first * 4;
    const offset = start - (start % this.limits.alignBytes);
    const size = start + elements * 4 - offset;
    if (size > this.limits.bindingBytes) throw new Error(`internal: a ${size}-byte binding exceeds the ${this.limits.bindingBytes}-byte limit`);
    return { buffer, offset, size, at: (start - offset) / 4 };
  }

  /** A storage buffer of `bytes` (zero-filled, or holding `data`). */
  storage(bytes: number, data?: Uint32Array | Float32Array): GPUBuffer {
    const size = Math.max(4, Math.ceil(bytes / 4) * 4);
    const buffer = this.device.createBuffer({ size, usage: USAGE.storage | USAGE.copySrc | USAGE.copyDst, mappedAtCreation: data !== undefined });
    if (data !== undefined) {
      new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      buffer.unmap();
    }
    return buffer;
  }

  begin(label: string): GpuJob {
    return new GpuJob(this, label);
  }
}

interface Dispatch {
  readonly kernel: KernelName;
  readonly params: Uint32Array;
  readonly bindings: readonly Window[];
  readonly groups: readonly [number, number];
}

type Step = { readonly kind: 'dispatch'; readonly dispatch: Dispatch } | { readonly kind: 'copy'; readonly src: GPUBuffer; readonly srcOffset: number; readonly dst: GPUBuffer; readonly dstOffset: number; readonly size: number } | { readonly kind: 'read'; readonly src: GPUBuffer; readonly srcOffset: number; readonly size: number; readonly at: number };

/**
 * One layer's work: dispatches, buffer copies and read-backs, encoded in order and submitted at
 * once. `submit()` resolves with the bytes read back (one ArrayBuffer per `read`) once the GPU
 * is done, or rejects with the first validation or out-of-memory error.
 */
export class GpuJob {
  private readonly steps: Step[] = [];
  private readonly owned: GPUBuffer[] = [];
  private readBytes = 0;
  private readonly reads: { at: number; size: number }[] = [];

  constructor(private readonly kernels: GpuKernels, private readonly label: string) {}

  /** Destroyed once the job is submitted (buffers only this job uses). */
  own(buffer: GPUBuffer): GPUBuffer {
    this.owned.push(buffer);
    return buffer;
  }

  /** `params`: the kernel's uniform struct, 32-bit fields in order; `neurons` invocations. */
  dispatch(kernel: KernelName, params: Uint32Array, bindings: readonly Window[], neurons: number): void {
    const groups = Math.ceil(neurons / WORKGROUP);
    const x = Math.max(1, Math.min(groups, this.kernels.limits.groupsPerDimension));
    const y = Math.ceil(groups / x);
    if (y > this.kernels.limits.groupsPerDimension) throw new Error(`a layer of ${neurons} neurons needs more workgroups than the adapter dispatches`);
    this.steps.push({ kind: 'dispatch', dispatch: { kernel, params, bindings, groups: [x, Math.max(1, y)] } });
  }

  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, size: number): void {
    this.steps.push({ kind: 'copy', src, srcOffset, dst, dstOffset, size });
  }

  /** Reads `size` bytes of `src` back after the steps so far; returns the read's index. */
  read(src: GPUBuffer, srcOffset: number, size: number): number {
    const at = this.readBytes;
    this.readBytes += Math.ceil(size / 4) * 4;
    this.reads.push({ at, size });
    this.steps.push({ kind: 'read', src, srcOffset, size, at });
    return this.reads.length - 1;
  }

  async submit(): Promise<ArrayBuffer[]> {
    const { device } = this.kernels;
    const dispatches = this.steps.filter((s): s is Extract<Step, { kind: 'dispatch' }> => s.kind === 'dispatch');
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let staging: GPUBuffer | undefined;
    let uniforms: GPUBuffer | undefined;
    try {
      if (dispatches.length > 0) {
        uniforms = device.createBuffer({ size: dispatches.length * UNIFORM_SLOT, usage: USAGE.uniform, mappedAtCreation: true });
        const bytes = new Uint8Array(uniforms.getMappedRange());
        dispatches.forEach((s, k) => bytes.set(new Uint8Array(s.dispatch.params.buffer, s.dispatch.params.byteOffset, s.dispatch.params.byteLength), k * UNIFORM_SLOT));
        uniforms.unmap();
      }
      if (this.readBytes > 0) staging = device.createBuffer({ size: this.readBytes, usage: USAGE.mapRead | USAGE.copyDst });
      this.kernels.beforeSubmit();
      const encoder = device.createCommandEncoder({ label: this.label });
      let slot = 0;
      for (const step of this.steps) {
        switch (step.kind) {
          case 'dispatch': {
            const d = step.dispatch;
            const pipeline = this.kernels.pipeline(d.kernel);
            const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: uniforms!, offset: slot * UNIFORM_SLOT, size: d.params.byteLength } }];
            d.bindings.forEach((w, b) => entries.push({ binding: b + 1, resource: { buffer: w.buffer, offset: w.offset, size: w.size } }));
            const group = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
            const pass = encoder.beginComputePass();
            pass.setPipeline(pipeline);
            pass.setBindGroup(0, group);
            pass.dispatchWorkgroups(d.groups[0], d.groups[1]);
            pass.end();
            slot++;
            break;
          }
          case 'copy':
            encoder.copyBufferToBuffer(step.src, step.srcOffset, step.dst, step.dstOffset, step.size);
            break;
          case 'read':
            encoder.copyBufferToBuffer(step.src, step.srcOffset, staging!, step.at, Math.ceil(step.size / 4) * 4);
            break;
          default: {
            const never: never = step;
            return never;
          }
        }
      }
      device.queue.submit([encoder.finish()]);
    } finally {
      const validation = device.popErrorScope();
      const memory = device.popErrorScope();
      uniforms?.destroy();
      for (const b of this.owned) b.destroy();
      this.scopes = Promise.all([validation, memory]);
    }
    const errors = await this.scopes;
    const error = errors.find((e) => e !== null);
    if (error) {
      staging?.destroy();
      throw new Error(`GPU error in the ${this.label} kernels: ${error.message}`);
    }
    if (staging === undefined) return [];
    await staging.mapAsync(MAP_READ_MODE);
    const all = staging.getMappedRange().slice(0);
    staging.unmap();
    staging.destroy();
    return this.reads.map((r) => all.slice(r.at, r.at + r.size));
  }

  private scopes: Promise<(GPUError | null)[]> = Promise.resolve([]);
}
