import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src-main/common/ir/graph';
import type { SnnModel } from '../../../src-main/common/snn';
import { SnnSimulator } from '../../../src-main/engine/simulate/simulator';
import { decodeNpy } from '../../../src-main/formats/arrays/npy';
import { snnToNir } from '../../../src-main/formats/model/nir/from-ir';
import { isGroup, type H5Dataset, type H5Group } from '../../../src-main/formats/model/nir/tree';
import { importNirFile } from '../../../src-main/formats/node/nir-file';
import { useBackend } from '../../helpers/backend';
import { HAVE_FIXTURES, REPO_ROOT, fixture } from '../../helpers/fixtures';

/**
 * NIR's IF spike is 1; the workbench's is worth θ (its rate times θ stands for the ANN
 * activation). Import and export must move θ into the weights that read the spikes, or every layer
 * after the first sees the wrong current. Oracles: a hand-derived export of a two-layer network,
 * and a real sinabs file run by NIR's own equations and by sinabs (make_nir_oracle.py).
 */
const generated = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'nir');
const npy = (name: string): { shape: readonly number[]; data: Float32Array } => {
  const a = decodeNpy(new Uint8Array(readFileSync(join(generated, name))), name);
  return { shape: a.shape, data: Float32Array.from(a.data as ArrayLike<number>) };
};
const dataset = (g: H5Group, path: string): H5Dataset => {
  let e: H5Group | H5Dataset = g;
  for (const part of path.split('/')) {
    if (!isGroup(e)) throw new Error(`${path}: ${part} is below a dataset`);
    e = e.group[part]!;
  }
  if (isGroup(e)) throw new Error(`${path} is a group`);
  return e;
};

beforeAll(() => useBackend('wasm'));

describe('NIR', () => {
  it('export: the weights after a spiking layer carry its θ per channel, the first layer is as it was', () => {
    // x[2] → dense W1 [2 → 3] → IF θ = (1, 2, 4) per channel → dense W2 [3 → 1] = (1, 1, 1).
    // A spike of neuron c is worth θ_c in the workbench, 1 in NIR: NIR's W2 must be (1, 2, 4).
    const weights = new Map([
      ['d1/k', { shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) }],
      ['d1/b', { shape: [3], data: Float32Array.of(0.5, 0, -0.5) }],
      ['d2/k', { shape: [3, 1], data: Float32Array.of(1, 1, 1) }],
      ['r/threshold', { shape: [3], data: Float32Array.of(1, 2, 4) }],
    ]);
    const graph = buildGraph({
      name: 'two-layer',
      input: { name: 'x', shape: [2] },
      nodes: [
        { name: 'd1', op: 'dense', inputs: ['x'], kernel: 'd1/k', bias: 'd1/b' },
        { name: 'r', op: 'relu', inputs: ['d1'] },
        { name: 'd2', op: 'dense', inputs: ['r'], kernel: 'd2/k' },
      ],
      output: 'd2',
      weights,
    });
    const model: SnnModel = {
      graph,
      snn: {
        layers: [{ node: 'r', neuron: 'if', threshold: 'r/threshold', reset: 'subtract', v0: 'zero', shift: false }],
        encoding: 'direct',
        readout: 'mean',
        thresholds: { method: { kind: 'max' }, perChannel: true, calibrationSamples: 0 },
      },
    };
    const { file } = snnToNir(model, { method: 'if', timesteps: 4, source: 'test' });
    expect(Array.from(dataset(file, 'node/nodes/d1/weight').data as Float32Array)).toEqual([1, 4, 2, 5, 3, 6]); // [out, in]: W1ᵀ
    expect(Array.from(dataset(file, 'node/nodes/r/v_threshold').data as Float32Array)).toEqual([1, 2, 4]);
    expect(Array.from(dataset(file, 'node/nodes/d2/weight').data as Float32Array)).toEqual([1, 2, 4]);
  });

  it.skipIf(!HAVE_FIXTURES)("import: sinabs's SCNN gives the output spikes NIR's equations and sinabs give on the same input", async () => {
    const model = await importNirFile(fixture('models/sinabs_scnn_mnist.nir'));
    const input = npy('sinabs_scnn.input.npy'); // [4, 2, 34, 34], NCHW
    const expected = npy('sinabs_scnn.output.npy'); // [4, 10] spikes summed over 16 steps
    const [B, C, H, W] = input.shape as [number, number, number, number];
    const nhwc = new Float32Array(input.data.length);
    for (let b = 0; b < B; b++) for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) nhwc[((b * H + y) * W + x) * C + c] = input.data[((b * C + c) * H + y) * W + x]!;
    const sim = new SnnSimulator({ graph: model.graph, snn: model.snn! });
    const out = await sim.runBatch(nhwc, Int32Array.from({ length: B }, (_, i) => i), { T: 16, checkpoints: [16], seed: 0 });
    const got = Array.from(out.outputSums[0]!, (v) => Math.round(v * 1e4) / 1e4);
    expect(got).toEqual(Array.from(expected.data));
  });
});
