import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../../src-main/common/ir/types';
import type { SnnModel } from '../../../src-main/common/snn';
import { GraphTensors } from '../../../src-main/engine/ann/graph-tensors';
import { runGraph } from '../../../src-main/engine/ann/run-graph';
import { collectActivationStats } from '../../../src-main/engine/calibrate/activation-stats';
import { convertToSnn, withNeuron } from '../../../src-main/engine/convert/convert';
import { prepareForConversion } from '../../../src-main/engine/prepare/prepare';
import { SnnSimulator } from '../../../src-main/engine/simulate/simulator';
import { decodeModel, encodeModel } from '../../../src-main/formats/model/tppw-model';
import { useBackend } from '../../helpers/backend';
import { randomImageSet } from '../../helpers/data';
import { smallCnn } from '../../helpers/graphs';

async function convert(graph: Graph, options: Partial<Parameters<typeof convertToSnn>[2]> = {}): Promise<SnnModel> {
  const prepared = prepareForConversion(graph, 'refuse').graph;
  const set = randomImageSet(64, [8, 8, 2], 5, 2);
  const stats = await collectActivationStats(prepared, set, Int32Array.from({ length: 64 }, (_, i) => i), { perChannel: false });
  return convertToSnn(prepared, stats, {
    method: { kind: 'max' }, perChannel: false, neuron: 'if', reset: 'subtract', v0: 'half', shift: false, encoding: 'direct', calibrationSamples: 64,
    ...options,
  }).model;
}

/** The prepared ANN's logits for the 6 samples `xs`. */
function annLogits(graph: Graph, xs: Float32Array): Float32Array {
  const prepared = prepareForConversion(graph, 'refuse').graph;
  const weights = new GraphTensors(prepared);
  const input = tf.tensor(xs, [6, 8, 8, 2]);
  const { output } = runGraph(prepared, weights, input);
  const ann = output.dataSync() as Float32Array;
  tf.dispose([input, output]);
  weights.dispose();
  return ann;
}

describe('layer-wise SNN simulation', () => {
  beforeAll(() => useBackend('wasm'));
  const set = randomImageSet(6, [8, 8, 2], 5, 9);
  const indices = Int32Array.from({ length: 6 }, (_, i) => i);

  it('IF: the anytime readout at every t equals a separate run with T = t', async () => {
    const model = await convert(smallCnn(5));
    const sim = new SnnSimulator(model);
    const T = 12;
    const checkpoints = Array.from({ length: T }, (_, i) => i + 1);
    const x = set.read(indices);
    const full = await sim.runBatch(x, indices, { T, checkpoints, seed: 0 });
    for (const t of checkpoints) {
      const alone = await sim.runBatch(x, indices, { T: t, checkpoints: [t], seed: 0 });
      expect(full.outputSums[t - 1]).toEqual(alone.outputSums[0]);
      for (const [node, trace] of alone.traces) {
        const whole = full.traces.get(node)!;
        expect(whole.residualSum[t - 1]).toBe(trace.residualSum[0]);
        expect(Array.from(whole.spikesPerStep.subarray(0, t))).toEqual(Array.from(trace.spikesPerStep));
      }
    }
    sim.dispose();
  });

  it('IF converges to the ANN: the time-averaged logits approach the ANN logits as T grows', async () => {
    const graph = smallCnn(6, false);
    const model = await convert(graph);
    const xs = set.read(indices);
    const ann = annLogits(graph, xs);
    const sim = new SnnSimulator(model);
    const error = async (T: number): Promise<number> => {
      const sums = (await sim.runBatch(xs, indices, { T, checkpoints: [T], seed: 0 })).outputSums[0]!;
      let e = 0;
      for (let i = 0; i < ann.length; i++) e += Math.abs(sums[i]! / T - ann[i]!);
      return e / ann.length;
    };
    const e8 = await error(8);
    const e256 = await error(256);
    sim.dispose();
    expect(e256).toBeLessThan(e8);
    expect(e256).toBeLessThan(0.02);
  });

  it('the attribution cut: with no spiking layer it is the ANN, with all of them the SNN', async () => {
    const graph = smallCnn(6, false);
    const model = await convert(graph);
    const xs = set.read(indices);
    const ann = annLogits(graph, xs);
    const sim = new SnnSimulator(model);
    const T = 6;
    // l = 0: every layer the ANN's activation on a constant input: the output is the ANN's logits
    // at every step (its sum over T steps is T times them)
    const none = await sim.runBatch(xs, indices, { T, checkpoints: [T], seed: 0, spikingLayers: 0 });
    for (let i = 0; i < ann.length; i++) expect(none.outputSums[0]![i]! / T).toBeCloseTo(ann[i]!, 5);
    expect(none.traces.size).toBe(0);
    // l = L: the whole SNN, spike for spike
    const all = await sim.runBatch(xs, indices, { T, checkpoints: [T], seed: 0, spikingLayers: model.snn.layers.length });
    const plain = await sim.runBatch(xs, indices, { T, checkpoints: [T], seed: 0 });
    expect(all.outputSums).toEqual(plain.outputSums);
    expect(all.stepPredictions).toEqual(plain.stepPredictions);
    // l = 1: the first layer spikes (its trace is there), the second does not
    const one = await sim.runBatch(xs, indices, { T, checkpoints: [T], seed: 0, spikingLayers: 1 });
    expect([...one.traces.keys()]).toEqual([model.snn.layers[0]!.node]);
    sim.dispose();
  });

  it('the class at every step is the argmax of the output summed so far', async () => {
    const model = await convert(smallCnn(5));
    const sim = new SnnSimulator(model);
    const T = 5;
    const checkpoints = [1, 2, 3, 4, 5];
    const run = await sim.runBatch(set.read(indices), indices, { T, checkpoints, seed: 0 });
    const K = 5;
    for (let t = 0; t < T; t++) {
      const sums = run.outputSums[t]!;
      const byHand = Array.from({ length: indices.length }, (_, b) => {
        let best = 0;
        for (let c = 1; c < K; c++) if (sums[b * K + c]! > sums[b * K + best]!) best = c;
        return best;
      });
      expect(Array.from(run.stepPredictions[t]!)).toEqual(byHand);
    }
    sim.dispose();
  });

  it('stochastic methods are reproducible per seed and differ across seeds', async () => {
    const model = withNeuron(await convert(smallCnn(7)), 'tpp');
    const sim = new SnnSimulator(model);
    const x = set.read(indices);
    const a = await sim.runBatch(x, indices, { T: 4, checkpoints: [4], seed: 1 });
    const b = await sim.runBatch(x, indices, { T: 4, checkpoints: [4], seed: 1 });
    const c = await sim.runBatch(x, indices, { T: 4, checkpoints: [4], seed: 2 });
    expect(a.outputSums[0]).toEqual(b.outputSums[0]);
    expect(a.outputSums[0]).not.toEqual(c.outputSums[0]);
    // and independent of the batch a sample lands in
    const single = await sim.runBatch(set.read([3]), Int32Array.of(3), { T: 4, checkpoints: [4], seed: 1 });
    expect(Array.from(single.outputSums[0]!)).toEqual(Array.from(a.outputSums[0]!.subarray(15, 20)));
    sim.dispose();
  });

  it('leaves no tensors behind', async () => {
    const model = await convert(smallCnn(8));
    const before = tf.memory().numTensors;
    const sim = new SnnSimulator(model);
    for (const neuron of ['if', 'tpp', 'tpp-iid'] as const) {
      const s = new SnnSimulator(withNeuron(model, neuron));
      await s.runBatch(set.read(indices), indices, { T: 3, checkpoints: [3], seed: 0, ...(neuron === 'if' ? { permute: 'neuron' as const } : {}) });
      s.dispose();
    }
    sim.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a converted network saved and loaded back simulates identically', async () => {
    const model = withNeuron(await convert(smallCnn(12), { perChannel: false, v0: 'zero' }), 'tpp');
    const back = decodeModel(encodeModel(model), 'saved.tppw');
    const loaded = { graph: back.graph, snn: back.snn! };
    expect(loaded.snn).toEqual(model.snn);
    const x = set.read(indices);
    const a = new SnnSimulator(model);
    const b = new SnnSimulator(loaded);
    expect((await b.runBatch(x, indices, { T: 6, checkpoints: [6], seed: 4 })).outputSums).toEqual((await a.runBatch(x, indices, { T: 6, checkpoints: [6], seed: 4 })).outputSums);
    a.dispose();
    b.dispose();
  });

  it('rate coding feeds Bernoulli input spikes', async () => {
    const model = await convert(smallCnn(10), { encoding: 'rate' });
    const sim = new SnnSimulator(model);
    const x = set.read(indices);
    const a = await sim.runBatch(x, indices, { T: 8, checkpoints: [8], seed: 1 });
    const b = await sim.runBatch(x, indices, { T: 8, checkpoints: [8], seed: 2 });
    expect(a.outputSums[0]).not.toEqual(b.outputSums[0]);
    sim.dispose();
  });
});
