import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { invalidArgument } from '../../common/errors';
import { adapterLabel, loadWebGpu, type GpuAdapterInfo } from './webgpu';

/**
 * Compute backend selection, in DESIGN.md's order: a hardware GPU — `webgpu` (Dawn, an adapter
 * that is not a fallback adapter) or `tensorflow` through tfjs-node-gpu (CUDA) — then
 * `tensorflow` through tfjs-node (CPU), then `wasm` (SIMD, always available), then `cpu`.
 * `--backend webgpu` also takes a software adapter (SwiftShader, lavapipe: how CI tests the GPU
 * kernels). The `webgpu` package and tfjs-node-gpu are optional dependencies, loaded with
 * guarded dynamic imports and skipped when absent.
 */
export const BACKEND_PREFERENCES = ['auto', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];

export interface BackendInfo {
  /** The tfjs backend name in use. */
  readonly name: string;
  /** What runs it, e.g. `tfjs-node-gpu (CUDA)`, `tfjs-backend-wasm (SIMD)`, or for webgpu the
   * adapter: `WebGPU (Dawn, Vulkan): nvidia hopper (NVIDIA H200)`. */
  readonly detail: string;
  /** The WebGPU adapter, on `webgpu`. */
  readonly adapter?: GpuAdapterInfo;
  /** Why earlier candidates were passed over. */
  readonly skipped: readonly string[];
}

let current: BackendInfo | undefined;

async function tryNative(pkg: string): Promise<string | undefined> {
  try {
    await import(pkg);
    return tf.findBackend('tensorflow') ? undefined : `${pkg} loaded without registering a backend`;
  } catch (error) {
    return `${pkg} not available (${firstLine((error as Error).message)})`;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 160);
}

export async function initBackend(preference: BackendPreference = 'auto'): Promise<BackendInfo> {
  if (current !== undefined && (preference === 'auto' || current.name === preference)) return current;
  const skipped: string[] = [];
  const attempt = async (name: string, detail: string, adapter?: GpuAdapterInfo): Promise<BackendInfo | undefined> => {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        current = { name, detail, skipped, ...(adapter !== undefined ? { adapter } : {}) };
        return current;
      }
      skipped.push(`${name}: failed to initialise`);
    } catch (error) {
      skipped.push(`${name}: ${firstLine((error as Error).message)}`);
    }
    return undefined;
  };
  // Probing Dawn writes the Vulkan loader's and Dawn's own warnings to this process's stderr, which
  // breaks the one-line contract of the CLI on machines without a GPU: `auto` probes WebGPU only
  // when TPPW_WEBGPU=1 asks for it (or with --backend webgpu) until the probe runs in a child.
  const probeWebGpu = preference === 'webgpu' || (preference === 'auto' && process.env['TPPW_WEBGPU'] === '1');
  if (preference === 'auto' && !probeWebGpu) skipped.push('webgpu: not probed by auto (set TPPW_WEBGPU=1 or pass --backend webgpu)');
  if (probeWebGpu) {
    try {
      const { adapter } = await loadWebGpu();
      if (adapter.fallback && preference === 'auto') {
        skipped.push(`webgpu: ${adapterLabel(adapter)} is a fallback adapter (ask for it with --backend webgpu)`);
      } else {
        const found = await attempt('webgpu', `WebGPU (Dawn): ${adapterLabel(adapter)}`, adapter);
        if (found) return found;
      }
    } catch (error) {
      skipped.push(`webgpu: ${firstLine((error as Error).message)}`);
    }
    if (preference === 'webgpu') throw invalidArgument(`backend 'webgpu' is not available here: ${skipped.join('; ')}`);
  }
  if (preference === 'auto' || preference === 'tensorflow') {
    for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
      const why = await tryNative(pkg);
      if (why !== undefined) {
        skipped.push(why);
        continue;
      }
      const found = await attempt('tensorflow', pkg.endsWith('gpu') ? `${pkg} (CUDA)` : `${pkg} (CPU)`);
      if (found) return found;
    }
    if (preference === 'tensorflow') {
      throw invalidArgument(`backend 'tensorflow' is not available here: ${skipped.join('; ')}`);
    }
  }
  if (preference === 'auto' || preference === 'wasm') {
    const found = await attempt('wasm', 'tfjs-backend-wasm (SIMD, single-threaded)');
    if (found) return found;
  }
  const found = await attempt('cpu', 'tfjs-backend-cpu (plain JavaScript)');
  if (found) return found;
  throw invalidArgument(`no compute backend could be initialised: ${skipped.join('; ')}`);
}

export function backendInfo(): BackendInfo {
  if (current === undefined) throw new Error('initBackend() has not been called');
  return current;
}
