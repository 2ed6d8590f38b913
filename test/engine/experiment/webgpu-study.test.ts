import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src-main/common/results';
import { tppw } from '../../helpers/cli';
import { gpuEnvironment } from '../../helpers/gpu';

/**
 * A whole conversion on `--backend webgpu` (tfjs-webgpu for the ANN, the WGSL neuron kernels for
 * the spiking layers) against the same one on wasm: per-seed accuracies equal, TPP's stochastic
 * ones included (both draw the same counter-based random streams). On a software adapter here
 * (SwiftShader, about 15× slower than wasm), so the study is small.
 */
const env = gpuEnvironment();

describe.skipIf(env === undefined)('a conversion on webgpu', () => {
  it('gives the wasm accuracies exactly, seed by seed, and records the adapter', () => {
    const args = ['demo', '--limit', '16', '--calibration', '32', '--timesteps', '2,4', '--method', 'if,tpp', '--seeds', '2', '--json'];
    const run = (backend: string): RunResult => {
      const r = tppw([...args, '--backend', backend], env ?? {});
      if (r.code !== 0) throw new Error(`tppw demo --backend ${backend} failed: ${r.stderr}`);
      return JSON.parse(r.stdout) as RunResult;
    };
    const gpu = run('webgpu');
    const wasm = run('wasm');
    expect(gpu.backend).toBe('webgpu');
    expect(gpu.backendDetail).toMatch(/^WebGPU \(Dawn\): /);
    if (process.env.TPPW_GPU_REQUIRED === '1') expect(gpu.backendDetail).not.toMatch(/fallback/);
    expect(gpu.ann.accuracy).toBe(wasm.ann.accuracy);
    expect(gpu.results.map((r) => [r.method, r.T, r.perSeed])).toEqual(wasm.results.map((r) => [r.method, r.T, r.perSeed]));
    // the spike rasters too: the same neurons fire at the same steps
    const rasters = (result: RunResult) => result.results.map((r) => r.perLayer.map((l) => l.raster));
    expect(rasters(gpu).flat().every((raster) => raster !== undefined)).toBe(true);
    expect(rasters(gpu).flat().some((raster) => raster!.steps.some((s) => s.length > 0))).toBe(true);
    expect(rasters(gpu)).toEqual(rasters(wasm));
  }, 300_000);
});
