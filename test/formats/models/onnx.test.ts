import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src-main/formats/model/onnx/to-ir';
import { useBackend } from '../../helpers/backend';
import { REPO_ROOT } from '../../helpers/fixtures';
import { forward, maxAbsDiff, nchwToNhwc, readNpy } from '../../helpers/models';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'onnx');

/** Imports NAME.onnx and compares its output on NAME.input.npy with onnx's reference evaluator. */
function check(name: string, tolerance = 1e-4) {
  const graph = importOnnx(new Uint8Array(readFileSync(join(DIR, `${name}.onnx`))), `${name}.onnx`);
  const x = readNpy(join(DIR, `${name}.input.npy`));
  const want = readNpy(join(DIR, `${name}.output.npy`));
  const got = forward(graph, nchwToNhwc(x.data, x.shape), x.shape[0]!);
  expect(maxAbsDiff(got, want.data)).toBeLessThan(tolerance);
  return graph;
}

describe('ONNX importer against the ONNX reference evaluator', () => {
  beforeAll(() => useBackend('wasm'));

  it('conv, batch norm, max pool, SAME_UPPER, channel-first flatten into Gemm(transB, alpha, beta), softmax', () => {
    const g = check('cnn_gemm');
    expect(g.nodes.map((n) => n.op)).toEqual(['conv2d', 'batchNorm', 'relu', 'maxPool', 'conv2d', 'relu', 'flatten', 'dense', 'softmax']);
  });

  it('pad, grouped and depthwise conv, add, concat, average pools with and without padding in the divisor, GAP, reshape, MatMul + Add', () => {
    const g = check('branches');
    const ops = g.nodes.map((n) => n.op);
    expect(ops).toContain('pad');
    expect(ops.filter((o) => o === 'dense')).toHaveLength(1); // MatMul and Add became one dense layer
    expect(g.nodes.find((n) => n.op === 'dense' && n.bias !== undefined)).toBeDefined();
  });

  it('recognises the QCFS pattern a PyTorch export produces, with its λ and L', () => {
    const g = check('qcfs');
    const qcfs = g.nodes.filter((n) => n.op === 'qcfs');
    expect(qcfs).toHaveLength(2);
    const lambdas = qcfs.map((n) => (n.op === 'qcfs' ? [g.weights.get(n.lambda)!.data[0]!, n.levels] : []));
    expect(lambdas[0]![0]).toBeCloseTo(1.7, 5);
    expect(lambdas[0]![1]).toBe(4);
    expect(lambdas[1]![0]).toBeCloseTo(0.9, 5);
    expect(lambdas[1]![1]).toBe(8);
    expect(g.nodes.some((n) => (n.op as string) === 'floor')).toBe(false);
  });

  it('older idioms: per-channel Sub/Div, Clip attributes, Dropout, Identity, LeakyRelu, a Shape/Gather/Concat flatten', () => {
    const g = check('legacy');
    expect(g.nodes.map((n) => n.op)).toEqual(['batchNorm', 'batchNorm', 'conv2d', 'clip', 'leakyRelu', 'flatten', 'dense']);
  });
});
