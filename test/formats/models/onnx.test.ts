import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeOnnx, type OnnxModel, type OnnxNode } from '../../../src-main/formats/model/onnx/onnx-proto';
import { importOnnx, onnxToIr } from '../../../src-main/formats/model/onnx/to-ir';
import type { Graph } from '../../../src-main/common/ir/types';
import { useBackend } from '../../helpers/backend';
import { REPO_ROOT } from '../../helpers/fixtures';
import { forward, maxAbsDiff, nchwToNhwc, readNpy } from '../../helpers/models';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'onnx');

/**
 * Imports NAME.onnx and compares its output on NAME.input.npy with NAME.output.npy (onnx's
 * reference evaluator, or Keras for a tf2onnx export, whose inputs are NHWC like the IR's).
 */
function check(name: string, tolerance = 1e-4, layout: 'nchw' | 'nhwc' = 'nchw', graph = importOnnx(readModel(name), `${name}.onnx`)) {
  const x = readNpy(join(DIR, `${name}.input.npy`));
  const want = readNpy(join(DIR, `${name}.output.npy`));
  const got = forward(graph, layout === 'nchw' ? nchwToNhwc(x.data, x.shape) : x.data, x.shape[0]!);
  expect(maxAbsDiff(got, want.data)).toBeLessThan(tolerance);
  return graph;
}

function readModel(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(DIR, `${name}.onnx`)));
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

/** A Transpose node as the decoder gives it. */
function transpose(name: string, input: string, perm: number[]): OnnxNode {
  return { name, opType: 'Transpose', domain: '', inputs: [input], outputs: [name], attributes: new Map([['perm', { name: 'perm', ints: perm, floats: [] }]]) };
}

/** The model with `nodes` inserted after the node named `after`, its readers rewired to the last. */
function insertAfter(model: OnnxModel, after: string, nodes: OnnxNode[]): OnnxModel {
  const at = model.graph.nodes.findIndex((n) => n.name === after);
  const from = model.graph.nodes[at]!.outputs[0]!;
  const to = nodes[nodes.length - 1]!.outputs[0]!;
  const rest = model.graph.nodes.slice(at + 1).map((n) => ({ ...n, inputs: n.inputs.map((i) => (i === from ? to : i)) }));
  const [first, ...more] = nodes;
  return { ...model, graph: { ...model.graph, nodes: [...model.graph.nodes.slice(0, at + 1), { ...first!, inputs: [from] }, ...more, ...rest] } };
}

const ops = (g: Graph) => g.nodes.map((n) => n.op);

describe('ONNX importer on tf2onnx exports of Keras CNNs, against Keras predictions', () => {
  beforeAll(() => useBackend('wasm'));

  it('absorbs the leading NHWC → NCHW Transpose and the Transpose back before the flatten (no dense reorder)', () => {
    const g = check('tf2onnx_cnn', 1e-5, 'nhwc');
    expect(g.input.shape).toEqual([12, 12, 3]);
    expect(ops(g)).toEqual(['conv2d', 'relu', 'maxPool', 'conv2d', 'relu', 'flatten', 'dense', 'relu', 'dense', 'softmax']);
  });

  it('a Rescaling (Mul, Add) before the leading Transpose, batch norms folded and kept, average pooling', () => {
    const g = check('tf2onnx_cnn_bn', 1e-5, 'nhwc');
    expect(g.input.shape).toEqual([10, 10, 2]);
    expect(ops(g)).toEqual(['batchNorm', 'batchNorm', 'conv2d', 'relu', 'conv2d', 'relu', 'batchNorm', 'avgPool', 'flatten', 'dense']);
  });

  it('one channel: the Reshape to [N, 1, H, W] that tf2onnx writes instead of the Transpose', () => {
    const g = check('tf2onnx_gray', 1e-5, 'nhwc');
    expect(g.input.shape).toEqual([9, 9, 1]);
    expect(ops(g)).toEqual(['conv2d', 'relu', 'maxPool', 'flatten', 'dense']);
  });

  it('folds transpose pairs that cancel anywhere in the graph: the outputs stay those of Keras', () => {
    const model = decodeOnnx(readModel('tf2onnx_cnn'), 'tf2onnx_cnn.onnx');
    const [relu, pool] = model.graph.nodes.filter((n) => n.opType === 'Relu' || n.opType === 'MaxPool').map((n) => n.name);
    // H ↔ W twice after the first ReLU; NCHW → NHWC → NCHW after the pooling.
    let edited = insertAfter(model, relu!, [transpose('swap_a', '', [0, 1, 3, 2]), transpose('swap_b', 'swap_a', [0, 1, 3, 2])]);
    edited = insertAfter(edited, pool!, [transpose('to_nhwc', '', [0, 2, 3, 1]), transpose('to_nchw', 'to_nhwc', [0, 3, 1, 2])]);
    expect(edited.graph.nodes.filter((n) => n.opType === 'Transpose')).toHaveLength(6);
    const g = check('tf2onnx_cnn', 1e-5, 'nhwc', onnxToIr(edited, 'edited.onnx'));
    expect(ops(g)).toEqual(['conv2d', 'relu', 'maxPool', 'conv2d', 'relu', 'flatten', 'dense', 'relu', 'dense', 'softmax']);
  });

  it('refuses a Transpose that nothing cancels (a Keras Permute), naming the node', () => {
    const model = decodeOnnx(readModel('tf2onnx_permute'), 'tf2onnx_permute.onnx');
    const permute = model.graph.nodes.find((n) => n.opType === 'Transpose' && n.attributes.get('perm')?.ints.join() === '0,1,3,2')!;
    expect(() => importOnnx(readModel('tf2onnx_permute'), 'tf2onnx_permute.onnx')).toThrow(
      `tf2onnx_permute.onnx: 1 node(s) cannot be imported: node '${permute.name}' (Transpose): perm [0, 1, 3, 2] of [N, C, H, W] = [N, 3, 6, 6]; only NHWC ↔ NCHW (perm [0, 3, 1, 2] and [0, 2, 3, 1]) and pairs of transposes that cancel are supported`,
    );
  });
});
