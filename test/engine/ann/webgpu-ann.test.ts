import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../../src-main/common/ir/types';
import { makeRandom } from '../../../src-main/common/random';
import { GraphTensors } from '../../../src-main/engine/ann/graph-tensors';
import { runGraph } from '../../../src-main/engine/ann/run-graph';
import { initBackend } from '../../../src-main/engine/backend/select';
import { loadModelFile } from '../../../src-main/formats/node/load-model';
import { useGpuBackend } from '../../helpers/gpu';
import { smallCnn } from '../../helpers/graphs';
import { DEMO_MODEL_FILE } from '../../helpers/workbench';

/**
 * The ANN on tfjs-webgpu (Dawn) against tfjs-wasm, in one process: the same graphs, inputs and
 * weights; every captured activation and the output within 1e-4 of the largest value. On the
 * SwiftShader adapter here, on the hardware adapter in the device check.
 */
async function activations(graph: Graph, x: Float32Array, backend: 'wasm' | 'webgpu'): Promise<Map<string, Float32Array>> {
  if (backend === 'wasm') await initBackend('wasm');
  else await useGpuBackend();
  const weights = new GraphTensors(graph);
  try {
    const input = tf.tensor(x, [2, ...graph.input.shape]);
    const capture = new Set(graph.nodes.filter((n) => n.op !== 'softmax').map((n) => n.name));
    const { output, captured } = runGraph(graph, weights, input, capture);
    const out = new Map<string, Float32Array>([['output', (await output.data()) as Float32Array]]);
    for (const [name, t] of captured) out.set(name, (await t.data()) as Float32Array);
    tf.dispose([input, output, ...captured.values()]);
    return out;
  } finally {
    weights.dispose();
  }
}

const probe = await useGpuBackend();

describe.skipIf(!probe.ok)('the ANN on webgpu', () => {
  for (const [name, load] of [
    ['a small CNN (conv, batch norm, ReLU, average pool, dense, softmax)', async () => smallCnn(3)],
    ['the demo CNN', async () => (await loadModelFile(DEMO_MODEL_FILE)).graph],
  ] as const) {
    it(`${name}: every activation within 1e-4 of wasm's`, async () => {
      const graph = await load();
      const random = makeRandom(9, 1);
      const size = graph.input.shape.reduce((a, b) => a * b, 1);
      const x = Float32Array.from({ length: 2 * size }, () => random());
      const cpu = await activations(graph, x, 'wasm');
      const gpu = await activations(graph, x, 'webgpu');
      for (const [node, values] of cpu) {
        const other = gpu.get(node)!;
        let scale = 1e-6;
        let worst = 0;
        for (let i = 0; i < values.length; i++) {
          scale = Math.max(scale, Math.abs(values[i]!));
          worst = Math.max(worst, Math.abs(values[i]! - other[i]!));
        }
        expect(worst / scale, node).toBeLessThan(1e-4);
      }
    }, 120_000);
  }
});
