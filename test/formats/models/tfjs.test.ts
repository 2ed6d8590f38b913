import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src-main/common/ir/graph';
import type { Graph, IrNode } from '../../../src-main/common/ir/types';
import { importTfjsLayers } from '../../../src-main/formats/model/tfjs/tfjs-layers';
import { exportTfjsLayers } from '../../../src-main/formats/model/tfjs/write-tfjs-layers';
import { useBackend } from '../../helpers/backend';
import { randomWeight, smallCnn } from '../../helpers/graphs';
import { forward, maxAbsDiff } from '../../helpers/models';

/** A model tfjs-layers builds, saved the way tfjs-layers saves it, as files in memory. */
async function saved(model: tfl.LayersModel): Promise<{ json: unknown; shard: Uint8Array }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const a = artifacts!;
  const shard = new Uint8Array(a.weightData as ArrayBuffer);
  return { json: { modelTopology: a.modelTopology, format: 'layers-model', weightsManifest: [{ paths: ['./w.bin'], weights: a.weightSpecs }] }, shard };
}

function randomInput(shape: number[], n: number, seed: number): tf.Tensor {
  return tf.randomUniform([n, ...shape], -1, 1, 'float32', seed);
}

async function compareImported(model: tfl.LayersModel, shape: number[]): Promise<Graph> {
  const { json, shard } = await saved(model);
  const graph = importTfjsLayers(json, (path) => {
    expect(path).toBe('./w.bin');
    return shard;
  }, 'memory');
  const x = randomInput(shape, 4, 3);
  const want = (model.predict(x) as tf.Tensor).dataSync();
  expect(maxAbsDiff(forward(graph, x.dataSync() as Float32Array, 4), want)).toBeLessThan(1e-4);
  x.dispose();
  return graph;
}

describe('TensorFlow.js layers models built by tfjs-layers, imported', () => {
  beforeAll(() => useBackend('wasm'));

  it('Sequential: padding, conv with activation, batch norm, pooling, flatten, dense, softmax', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.zeroPadding2d({ inputShape: [9, 10, 2], padding: [[1, 0], [2, 1]] }),
        tfl.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }),
        tfl.layers.batchNormalization(),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same' }),
        tfl.layers.reLU({ maxValue: 6 }),
        tfl.layers.averagePooling2d({ poolSize: 2, padding: 'same' }),
        tfl.layers.flatten(),
        tfl.layers.dropout({ rate: 0.5 }),
        tfl.layers.dense({ units: 6, activation: 'softmax' }),
      ],
    });
    // Batch-norm statistics that are not the identity.
    const bn = model.layers[2]!;
    bn.setWeights(bn.getWeights().map((w, i) => tf.add(tf.mul(tf.randomUniform(w.shape, 0.5, 1.5, 'float32', i), i === 1 || i === 2 ? 0.3 : 1), i === 1 || i === 2 ? -0.15 : 0)));
    const g = await compareImported(model, [9, 10, 2]);
    expect(g.nodes.filter((n) => n.op === 'relu')).toHaveLength(1);
  });

  it('functional: depthwise conv, add, concatenate, leaky ReLU, global average pooling', async () => {
    const input = tfl.input({ shape: [8, 8, 3] });
    const a = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false }).apply(input) as tfl.SymbolicTensor;
    const b = tfl.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', activation: 'relu' }).apply(a) as tfl.SymbolicTensor;
    const s = tfl.layers.add().apply([a, b]) as tfl.SymbolicTensor;
    const c = tfl.layers.concatenate().apply([s, a]) as tfl.SymbolicTensor;
    const l = tfl.layers.leakyReLU({ alpha: 0.2 }).apply(c) as tfl.SymbolicTensor;
    const g = tfl.layers.globalAveragePooling2d({}).apply(l) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 3 }).apply(g) as tfl.SymbolicTensor;
    await compareImported(tfl.model({ inputs: input, outputs: out }), [8, 8, 3]);
  });
});

/** Every IR op TF.js can express, in one graph. */
function exportable(): Graph {
  const base = smallCnn(21);
  const weights = new Map(base.weights);
  weights.set('dw/k', randomWeight([3, 3, 1, 8], 22));
  weights.set('fc2/k', randomWeight([5, 4], 23));
  const nodes: IrNode[] = [
    ...base.nodes.filter((n) => n.op !== 'softmax'),
    { name: 'lr', op: 'leakyRelu', inputs: ['d'], alpha: 0.1 },
    { name: 'fc2', op: 'dense', inputs: ['lr'], kernel: 'fc2/k' },
    { name: 'sm', op: 'softmax', inputs: ['fc2'] },
  ];
  // a padded average pool counted with zeros, a pad node, a depthwise conv, a capped ReLU
  const extra: IrNode[] = [
    { name: 'pad', op: 'pad', inputs: ['p1'], pads: [1, 0, 0, 1] },
    { name: 'dw', op: 'conv2d', inputs: ['pad'], kernel: 'dw/k', strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], groups: 4 },
    { name: 'r6', op: 'clip', inputs: ['dw'], min: 0, max: 6 },
    { name: 'ap', op: 'avgPool', inputs: ['r6'], size: [2, 2], strides: [1, 1], pads: [1, 0, 1, 0], countIncludePad: true },
    { name: 'gap', op: 'globalAvgPool', inputs: ['ap'] },
  ];
  weights.set('fc3/k', randomWeight([8, 4], 24));
  const tail: IrNode[] = [
    { name: 'fc3', op: 'dense', inputs: ['gap'], kernel: 'fc3/k' },
    { name: 'both', op: 'concat', inputs: ['lr', 'fc3'] },
  ];
  weights.set('fc4/k', randomWeight([9, 3], 25));
  const nodes2: IrNode[] = [...nodes.slice(0, -2), ...extra, ...tail, { name: 'fc4', op: 'dense', inputs: ['both'], kernel: 'fc4/k' }];
  return buildGraph({ ...base, nodes: nodes2, output: 'fc4', weights });
}

describe('IR → TensorFlow.js layers export', () => {
  beforeAll(() => useBackend('wasm'));

  it('loads in tfjs-layers with the same outputs, and imports back to the same outputs', async () => {
    const graph = exportable();
    const { modelJson, weights } = exportTfjsLayers(graph, 'model.weights.bin');
    const model = await tfl.loadLayersModel(tf.io.fromMemory({
      modelTopology: modelJson.modelTopology as tf.io.ModelJSON['modelTopology'],
      weightSpecs: modelJson.weightsManifest[0]!.weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }));
    const x = randomInput([8, 8, 2], 5, 9);
    const xs = x.dataSync() as Float32Array;
    const ours = forward(graph, xs, 5);
    const theirs = (model.predict(x) as tf.Tensor).dataSync();
    expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-4);
    const back = importTfjsLayers(JSON.parse(JSON.stringify(modelJson)), () => weights, 'round trip');
    expect(maxAbsDiff(forward(back, xs, 5), ours)).toBeLessThan(1e-5);
    x.dispose();
  });

  it('names the nodes TF.js cannot express', () => {
    const graph = smallCnn(1);
    const q = buildGraph({ ...graph, nodes: graph.nodes.map((n) => (n.name === 'r2' ? { name: 'r2', op: 'qcfs' as const, inputs: n.inputs, lambda: 'lam', levels: 4 } : n)), weights: new Map([...graph.weights, ['lam', { shape: [1], data: Float32Array.of(1) }]]) });
    expect(() => exportTfjsLayers(q)).toThrow(/'r2' \(QCFS activation\) have no Keras layer/);
  });
});
