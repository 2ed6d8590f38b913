import * as tf from '@tensorflow/tfjs-core';
import type { Conv2dNode, IrNode, Pads, PoolNode } from '../../common/ir/types';
import type { GraphTensors } from './graph-tensors';

/**
 * One IR node as tfjs ops on batched NHWC tensors (the batch axis may hold T·B rows during
 * simulation). Call inside `tf.tidy`.
 */
export function applyNode(node: IrNode, inputs: readonly tf.Tensor[], weights: GraphTensors): tf.Tensor {
  const x = inputs[0]!;
  switch (node.op) {
    case 'conv2d':
      return conv2d(node, x as tf.Tensor4D, weights);
    case 'dense': {
      const y = tf.matMul(x as tf.Tensor2D, weights.get(node.kernel) as tf.Tensor2D);
      return node.bias === undefined ? y : tf.add(y, weights.get(node.bias));
    }
    case 'batchNorm': {
      const scale = weights.derived(`${node.name}#scale`, () =>
        tf.div(weights.get(node.gamma), tf.sqrt(tf.add(weights.get(node.variance), node.epsilon))),
      );
      const shift = weights.derived(`${node.name}#shift`, () =>
        tf.sub(weights.get(node.beta), tf.mul(weights.get(node.mean), scale)),
      );
      return tf.add(tf.mul(x, scale), shift);
    }
    case 'relu':
      return tf.relu(x);
    case 'clip':
      return tf.clipByValue(x, node.min, node.max);
    case 'qcfs': {
      // λ·clip(floor(x·L/λ + 1/2)/L, 0, 1)
      const lambda = weights.get(node.lambda);
      const q = tf.div(tf.floor(tf.add(tf.div(tf.mul(x, node.levels), lambda), 0.5)), node.levels);
      return tf.mul(tf.clipByValue(q, 0, 1), lambda);
    }
    case 'avgPool':
    case 'maxPool':
      return pool(node, x as tf.Tensor4D);
    case 'globalAvgPool':
      return tf.mean(x, [1, 2]);
    case 'flatten':
      return tf.reshape(x, [x.shape[0]!, -1]);
    case 'add':
      return tf.addN(inputs as tf.Tensor[]);
    case 'concat':
      return inputs.length === 1 ? x.clone() : tf.concat(inputs as tf.Tensor[], -1);
    case 'softmax':
      return tf.softmax(x);
    case 'leakyRelu':
      return tf.leakyRelu(x, node.alpha);
    case 'pad':
      return padSpatial(x as tf.Tensor4D, node.pads);
    default: {
      const never: never = node;
      return never;
    }
  }
}

function padSpatial(x: tf.Tensor4D, pads: Pads, value = 0): tf.Tensor4D {
  if (pads.every((p) => p === 0)) return x;
  return tf.pad(x, [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]], value);
}

function conv2d(node: Conv2dNode, input: tf.Tensor4D, weights: GraphTensors): tf.Tensor {
  const x = padSpatial(input, node.pads);
  const kernel = weights.get(node.kernel) as tf.Tensor4D;
  const [kh, kw, kin, cout] = kernel.shape;
  const cin = x.shape[3];
  const strides = node.strides as [number, number];
  const dilations = node.dilations as [number, number];
  let y: tf.Tensor4D;
  if (node.groups === 1) {
    y = tf.conv2d(x, kernel, strides, 'valid', 'NHWC', dilations);
  } else if (node.groups === cin && kin === 1) {
    // Depthwise: output channel o = c·m + k belongs to input channel c, as in PyTorch groups.
    const depthwise = weights.derived(`${node.name}#depthwise`, () => tf.reshape(kernel, [kh, kw, cin, cout / cin])) as tf.Tensor4D;
    y = tf.depthwiseConv2d(x, depthwise, strides, 'valid', 'NHWC', dilations);
  } else {
    const xs = tf.split(x, node.groups, 3);
    const ks = tf.split(kernel, node.groups, 3);
    y = tf.concat(xs.map((xi, g) => tf.conv2d(xi as tf.Tensor4D, ks[g] as tf.Tensor4D, strides, 'valid', 'NHWC', dilations)), 3);
  }
  return node.bias === undefined ? y : tf.add(y, weights.get(node.bias));
}

function pool(node: PoolNode, input: tf.Tensor4D): tf.Tensor {
  const size = node.size as [number, number];
  const strides = node.strides as [number, number];
  if (node.op === 'maxPool') return tf.maxPool(padSpatial(input, node.pads, -Infinity), size, strides, 'valid');
  const padded = node.pads.some((p) => p > 0);
  const sum = tf.avgPool(padSpatial(input, node.pads), size, strides, 'valid');
  if (!padded || node.countIncludePad) return sum;
  // Divisor excludes padding: rescale by window area over the real elements in each window.
  const ones = tf.ones([1, input.shape[1], input.shape[2], 1]) as tf.Tensor4D;
  const share = tf.avgPool(padSpatial(ones, node.pads), size, strides, 'valid');
  return tf.div(sum, share);
}
