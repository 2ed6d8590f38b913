import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '../../src-main/formats/model/tppw-model';
import type { SnnSpec } from '../../src-main/common/snn';
import { smallCnn } from '../helpers/graphs';

const snn: SnnSpec = {
  layers: [{ node: 'r1', neuron: 'tpp', threshold: 'c1/b', reset: 'subtract', v0: 'half', shift: true }],
  encoding: 'direct',
  readout: 'mean',
  thresholds: { method: { kind: 'percentile', percentile: 99.9 }, perChannel: false, calibrationSamples: 256 },
};

describe('.tppw model file', () => {
  it('round-trips graph, weights and SNN spec bit-exactly', () => {
    const graph = smallCnn(3);
    // values whose float32 bits must survive: subnormal, negative zero, extremes
    graph.weights.get('c1/b')!.data.set([1.4e-45, -0, 3.4028234663852886e38, -1e-7]);
    const bytes = encodeModel({ graph, snn });
    const back = decodeModel(bytes, 'm.tppw');
    expect(back.graph.nodes).toEqual(graph.nodes);
    expect(back.graph.shapes).toEqual(graph.shapes);
    expect(back.snn).toEqual(snn);
    for (const [name, w] of graph.weights) {
      const got = back.graph.weights.get(name)!;
      expect(got.shape).toEqual(w.shape);
      expect(new Uint32Array(got.data.buffer)).toEqual(new Uint32Array(w.data.buffer));
    }
    expect(encodeModel(back)).toEqual(bytes);
  });

  it('refuses every truncation of a file with a clear error, never a crash', () => {
    const bytes = encodeModel({ graph: smallCnn(4) });
    for (let cut = 0; cut < bytes.length; cut += 97) {
      expect(() => decodeModel(bytes.subarray(0, cut), 'cut.tppw')).toThrow(/^cut.tppw: /);
    }
  });

  it('names the problem in a corrupt header', () => {
    const bytes = encodeModel({ graph: smallCnn(5) });
    const text = new TextDecoder().decode(bytes);
    const broken = new TextEncoder().encode(text.replace('"op":"relu"', '"op":"gelu"'));
    expect(() => decodeModel(broken, 'bad.tppw')).toThrow(/bad.tppw: invalid model header/);
    const wrongShape = new TextEncoder().encode(text.replace('"shape":[3,3,2,4]', '"shape":[3,3,2,5]'));
    expect(() => decodeModel(wrongShape, 'shape.tppw')).toThrow(/shape.tppw/);
  });
});
