import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GpuAdapterInfo } from '../../src-main/engine/backend/webgpu';
import { initBackend } from '../../src-main/engine/backend/select';

/**
 * The webgpu backend for a test file, on whatever adapter Dawn finds: a hardware GPU, or (where
 * VK_ICD_FILENAMES is not set) the SwiftShader Vulkan driver that Debian's chromium package ships,
 * which is how CI runs these tests. Without an adapter the tests skip and say why; with
 * TPPW_GPU_REQUIRED=1 (the device check) they fail instead, and a fallback adapter fails too.
 */
export type GpuSetup = { readonly ok: true; readonly adapter: GpuAdapterInfo } | { readonly ok: false; readonly reason: string };

export async function useGpuBackend(): Promise<GpuSetup> {
  if (process.env.VK_ICD_FILENAMES === undefined) {
    const icd = swiftShaderIcd();
    if (icd !== undefined) process.env.VK_ICD_FILENAMES = icd;
  }
  // The Vulkan loader warns without a runtime directory; a private one keeps it quiet.
  process.env.XDG_RUNTIME_DIR = runtimeDir();
  const required = process.env.TPPW_GPU_REQUIRED === '1';
  try {
    const info = await initBackend('webgpu');
    if (required && info.adapter?.fallback) throw new Error(`TPPW_GPU_REQUIRED=1 but the adapter is a fallback: ${info.detail}`);
    console.log(`GPU tests on ${info.detail}`);
    return { ok: true, adapter: info.adapter! };
  } catch (error) {
    const reason = (error as Error).message;
    if (required) throw error;
    console.warn(`GPU tests skipped: ${reason}`);
    return { ok: false, reason };
  }
}

function swiftShaderIcd(): string | undefined {
  const known = '/usr/lib/chromium/vk_swiftshader_icd.json';
  if (existsSync(known)) return known;
  for (const pkg of ['chromium-common', 'chromium']) {
    try {
      const listed = execFileSync('dpkg', ['-L', pkg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const icd = listed.split('\n').find((line) => line.endsWith('vk_swiftshader_icd.json'));
      if (icd !== undefined && existsSync(icd)) return icd;
    } catch {
      // not a Debian system, or the package is not installed
    }
  }
  return undefined;
}

/**
 * The environment a child `tppw` process needs to run on webgpu here: the Vulkan driver to use
 * (VK_ICD_FILENAMES, SwiftShader where none is set) and a private runtime folder; undefined, with
 * a warning, when this machine has no Vulkan loader or driver (the test then skips and says so).
 */
export function gpuEnvironment(): Record<string, string> | undefined {
  // The device check (TPPW_GPU_REQUIRED=1) uses the machine's own Vulkan drivers.
  if (process.env.TPPW_GPU_REQUIRED === '1') return { XDG_RUNTIME_DIR: runtimeDir() };
  const icd = process.env.VK_ICD_FILENAMES ?? swiftShaderIcd();
  let loader = false;
  try {
    loader = /libvulkan\.so\.1 /.test(execFileSync('ldconfig', ['-p'], { encoding: 'utf8' }));
  } catch {
    loader = false;
  }
  if (icd === undefined || !loader) {
    console.warn(`webgpu conversion test skipped: ${loader ? 'no Vulkan driver (install chromium for its SwiftShader)' : 'no Vulkan loader (apt-get install libvulkan1)'}`);
    return undefined;
  }
  return { VK_ICD_FILENAMES: icd, XDG_RUNTIME_DIR: runtimeDir() };
}

/** The Vulkan loader's runtime folder: the one set, else a private one (it warns without). */
function runtimeDir(): string {
  return process.env.XDG_RUNTIME_DIR ?? mkdtempSync(join(tmpdir(), 'tppw-xdg-'));
}
