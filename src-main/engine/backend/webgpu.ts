/**
 * WebGPU in Node through Dawn (the optional `webgpu` package), with tfjs-backend-webgpu running
 * the ANN ops on it. Loaded on demand with guarded dynamic imports, so a machine without the
 * package, without a Vulkan loader or without an adapter simply has no `webgpu` backend.
 *
 * Dawn's `create()` returns the GPU object: it stays referenced for the life of the process
 * (when it is garbage-collected, Dawn aborts the process). tfjs-backend-webgpu looks for
 * `navigator.gpu` when it is imported, so the shim goes in first.
 */

/** The adapter a result ran on, as WebGPU reports it. */
export interface GpuAdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** A software or otherwise fallback adapter (SwiftShader, lavapipe): correct, but slow. */
  readonly fallback: boolean;
}

export interface WebGpuLoad {
  readonly adapter: GpuAdapterInfo;
}

interface DawnModule {
  create(options: string[]): GPU;
  globals: object;
}

let gpu: GPU | undefined;
let loaded: Promise<WebGpuLoad> | undefined;

/** Loads Dawn and describes its adapter (the one tfjs will pick: high performance). Rejects with
 * a one-line reason when there is none. Does not switch tfjs to it. */
export function loadWebGpu(): Promise<WebGpuLoad> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<WebGpuLoad> {
  const pkg = 'webgpu';
  let dawn: DawnModule;
  try {
    dawn = (await import(pkg)) as DawnModule;
  } catch (error) {
    throw new Error(`the webgpu package is not available (${(error as Error).message.split('\n')[0]})`);
  }
  if (gpu === undefined) {
    Object.assign(globalThis, dawn.globals);
    gpu = dawn.create([]);
    const host = globalThis as { navigator?: { gpu?: GPU } };
    if (host.navigator === undefined) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
    else if (host.navigator.gpu === undefined) Object.defineProperty(host.navigator, 'gpu', { value: gpu, configurable: true });
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) throw new Error('Dawn found no WebGPU adapter (no Vulkan driver, or VK_ICD_FILENAMES points nowhere)');
  await import('@tensorflow/tfjs-backend-webgpu');
  return { adapter: describeAdapter(adapter) };
}

function describeAdapter(adapter: GPUAdapter): GpuAdapterInfo {
  // The fallback flag moved from the adapter to its info in newer WebGPU; Dawn reports it there.
  const info = (adapter as unknown as { info: GPUAdapterInfo & { isFallbackAdapter?: boolean } }).info;
  const legacy = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    fallback: info.isFallbackAdapter === true || legacy === true,
  };
}

/** `vendor architecture (description)`, skipping what the adapter leaves empty. */
export function adapterLabel(info: GpuAdapterInfo): string {
  const name = [info.vendor, info.architecture].filter((s) => s !== '').join(' ') || 'unknown adapter';
  const description = info.description !== '' ? ` (${info.description})` : '';
  return `${name}${description}${info.fallback ? ', software fallback' : ''}`;
}
