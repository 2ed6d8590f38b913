import { invalidData } from '../errors';
import type { Graph, GraphSpec, IrNode, Pads, Pair, WeightTensor } from './types';

/**
 * Checks a graph spec and infers every node's per-sample output shape. Each problem is an
 * `invalid_data` error naming the node, its op and the numbers that disagree.
 */
export function buildGraph(spec: GraphSpec): Graph {
  const shapes = new Map<string, readonly number[]>();
  checkShape(spec.input.shape, `graph input '${spec.input.name}'`);
  shapes.set(spec.input.name, [...spec.input.shape]);
  for (const node of spec.nodes) {
    if (shapes.has(node.name)) {
      throw invalidData(`node '${node.name}' (${node.op}): the name is used twice in the graph`);
    }
    const inputShapes = node.inputs.map((input) => {
      const shape = shapes.get(input);
      if (shape === undefined) {
        throw invalidData(
          `node '${node.name}' (${node.op}): input '${input}' is not the graph input or an earlier node`,
        );
      }
      return shape;
    });
    shapes.set(node.name, inferShape(node, inputShapes, spec.weights));
  }
  if (!shapes.has(spec.output)) {
    throw invalidData(`graph output '${spec.output}' is not a node of the graph`);
  }
  return { ...spec, shapes };
}

function checkShape(shape: readonly number[], what: string): void {
  if (shape.length !== 1 && shape.length !== 3) {
    throw invalidData(`${what}: shape [${shape.join(', ')}] must be [H, W, C] or [F]`);
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d <= 0) {
      throw invalidData(`${what}: shape [${shape.join(', ')}] has a dimension that is not a positive integer`);
    }
  }
}

function arity(node: IrNode, inputs: readonly (readonly number[])[], expected: number): void {
  if (inputs.length !== expected) {
    throw invalidData(`node '${node.name}' (${node.op}): expects ${expected} input(s), got ${inputs.length}`);
  }
}

function where(node: IrNode): string {
  return `node '${node.name}' (${node.op})`;
}

function weightOf(
  weights: ReadonlyMap<string, WeightTensor>,
  node: IrNode,
  role: string,
  name: string,
  shape: readonly number[],
): WeightTensor {
  const w = weights.get(name);
  if (w === undefined) throw invalidData(`${where(node)}: ${role} weight '${name}' is missing`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i]) || w.data.length !== size) {
    throw invalidData(
      `${where(node)}: ${role} weight '${name}' has shape [${w.shape.join(', ')}] (${w.data.length} values), expected [${shape.join(', ')}]`,
    );
  }
  return w;
}

function spatial(node: IrNode, input: readonly number[]): readonly [number, number, number] {
  if (input.length !== 3) {
    throw invalidData(`${where(node)}: needs an [H, W, C] input, got [${input.join(', ')}]`);
  }
  return input as unknown as [number, number, number];
}

/** Output length of a windowed op along one axis (floor mode, as tfjs, ONNX and PyTorch default). */
function windowOut(size: number, padBefore: number, padAfter: number, kernel: number, stride: number, dilation = 1): number {
  return Math.floor((size + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride) + 1;
}

function checkWindow(node: IrNode, size: Pair, strides: Pair, pads: Pads, dilations: Pair = [1, 1]): void {
  const all = [...size, ...strides, ...dilations];
  if (all.some((v) => !Number.isInteger(v) || v <= 0) || pads.some((v) => !Number.isInteger(v) || v < 0)) {
    throw invalidData(
      `${where(node)}: window [${size.join(', ')}], strides [${strides.join(', ')}], pads [${pads.join(', ')}], dilations [${dilations.join(', ')}] must be positive integers (pads non-negative)`,
    );
  }
}

function windowShape(node: IrNode, h: number, w: number, size: Pair, strides: Pair, pads: Pads, dilations: Pair): [number, number] {
  const oh = windowOut(h, pads[0], pads[1], size[0], strides[0], dilations[0]);
  const ow = windowOut(w, pads[2], pads[3], size[1], strides[1], dilations[1]);
  if (oh <= 0 || ow <= 0) {
    throw invalidData(`${where(node)}: window [${size.join(', ')}] does not fit the ${h}x${w} input`);
  }
  return [oh, ow];
}

function inferShape(
  node: IrNode,
  inputs: readonly (readonly number[])[],
  weights: ReadonlyMap<string, WeightTensor>,
): readonly number[] {
  switch (node.op) {
    case 'conv2d': {
      arity(node, inputs, 1);
      const [h, w, cin] = spatial(node, inputs[0]!);
      const kernel = weights.get(node.kernel);
      if (kernel === undefined || kernel.shape.length !== 4) {
        throw invalidData(`${where(node)}: kernel weight '${node.kernel}' is missing or not 4-D`);
      }
      const [kh, kw, , cout] = kernel.shape as [number, number, number, number];
      if (!Number.isInteger(node.groups) || node.groups < 1 || cin % node.groups !== 0 || cout % node.groups !== 0) {
        throw invalidData(`${where(node)}: ${node.groups} groups do not divide ${cin} input and ${cout} output channels`);
      }
      weightOf(weights, node, 'kernel', node.kernel, [kh, kw, cin / node.groups, cout]);
      if (node.bias !== undefined) weightOf(weights, node, 'bias', node.bias, [cout]);
      checkWindow(node, [kh, kw], node.strides, node.pads, node.dilations);
      const [oh, ow] = windowShape(node, h, w, [kh, kw], node.strides, node.pads, node.dilations);
      return [oh, ow, cout];
    }
    case 'dense': {
      arity(node, inputs, 1);
      const input = inputs[0]!;
      if (input.length !== 1) {
        throw invalidData(`${where(node)}: needs a flat [F] input, got [${input.join(', ')}] (add a flatten node)`);
      }
      const kernel = weights.get(node.kernel);
      if (kernel === undefined || kernel.shape.length !== 2) {
        throw invalidData(`${where(node)}: kernel weight '${node.kernel}' is missing or not 2-D`);
      }
      const out = kernel.shape[1]!;
      weightOf(weights, node, 'kernel', node.kernel, [input[0]!, out]);
      if (node.bias !== undefined) weightOf(weights, node, 'bias', node.bias, [out]);
      return [out];
    }
    case 'batchNorm': {
      arity(node, inputs, 1);
      const input = inputs[0]!;
      const c = input[input.length - 1]!;
      for (const role of ['gamma', 'beta', 'mean', 'variance'] as const) weightOf(weights, node, role, node[role], [c]);
      if (!(node.epsilon >= 0)) throw invalidData(`${where(node)}: epsilon ${node.epsilon} must be >= 0`);
      return input;
    }
    case 'relu':
    case 'softmax':
      arity(node, inputs, 1);
      return inputs[0]!;
    case 'leakyRelu':
      arity(node, inputs, 1);
      if (!Number.isFinite(node.alpha)) throw invalidData(`${where(node)}: alpha ${node.alpha} is not a number`);
      return inputs[0]!;
    case 'pad': {
      arity(node, inputs, 1);
      const [h, w, c] = spatial(node, inputs[0]!);
      if (node.pads.some((p) => !Number.isInteger(p) || p < 0)) throw invalidData(`${where(node)}: pads [${node.pads.join(', ')}] must be non-negative integers`);
      return [h + node.pads[0] + node.pads[1], w + node.pads[2] + node.pads[3], c];
    }
    case 'clip':
      arity(node, inputs, 1);
      if (!(node.min < node.max)) throw invalidData(`${where(node)}: min ${node.min} must be below max ${node.max}`);
      return inputs[0]!;
    case 'qcfs': {
      arity(node, inputs, 1);
      const input = inputs[0]!;
      const lambda = weights.get(node.lambda);
      const c = input[input.length - 1]!;
      const n = lambda?.data.length;
      if (lambda === undefined || (n !== 1 && n !== c)) {
        throw invalidData(`${where(node)}: lambda '${node.lambda}' must hold 1 or ${c} values, has ${n ?? 'none'}`);
      }
      if (lambda.data.some((v) => !(v > 0))) throw invalidData(`${where(node)}: lambda values must be positive`);
      if (!Number.isInteger(node.levels) || node.levels < 1) {
        throw invalidData(`${where(node)}: levels ${node.levels} must be a positive integer`);
      }
      return input;
    }
    case 'avgPool':
    case 'maxPool': {
      arity(node, inputs, 1);
      const [h, w, c] = spatial(node, inputs[0]!);
      checkWindow(node, node.size, node.strides, node.pads);
      const [oh, ow] = windowShape(node, h, w, node.size, node.strides, node.pads, [1, 1]);
      return [oh, ow, c];
    }
    case 'globalAvgPool': {
      arity(node, inputs, 1);
      const [, , c] = spatial(node, inputs[0]!);
      return [c];
    }
    case 'flatten':
      arity(node, inputs, 1);
      return [inputs[0]!.reduce((a, b) => a * b, 1)];
    case 'add': {
      if (inputs.length < 2) throw invalidData(`${where(node)}: needs at least 2 inputs, got ${inputs.length}`);
      const first = inputs[0]!;
      for (const [i, s] of inputs.entries()) {
        if (s.length !== first.length || s.some((d, j) => d !== first[j])) {
          throw invalidData(
            `${where(node)}: input ${i} '${node.inputs[i]}' has shape [${s.join(', ')}], input 0 has [${first.join(', ')}]`,
          );
        }
      }
      return first;
    }
    case 'concat': {
      if (inputs.length < 1) throw invalidData(`${where(node)}: needs at least 1 input`);
      const first = inputs[0]!;
      let channels = 0;
      for (const [i, s] of inputs.entries()) {
        const same = s.length === first.length && s.slice(0, -1).every((d, j) => d === first[j]);
        if (!same) {
          throw invalidData(
            `${where(node)}: input ${i} '${node.inputs[i]}' has shape [${s.join(', ')}], which differs from [${first.join(', ')}] outside the channel axis`,
          );
        }
        channels += s[s.length - 1]!;
      }
      return [...first.slice(0, -1), channels];
    }
    default: {
      const never: never = node;
      throw invalidData(`unknown node op in ${JSON.stringify(never)}`);
    }
  }
}

/** Names of the nodes that read each node's output. */
export function consumersOf(graph: GraphSpec): Map<string, string[]> {
  const consumers = new Map<string, string[]>();
  for (const node of graph.nodes) {
    for (const input of node.inputs) {
      const list = consumers.get(input) ?? [];
      list.push(node.name);
      consumers.set(input, list);
    }
  }
  return consumers;
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
