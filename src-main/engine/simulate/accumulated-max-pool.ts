import * as tf from '@tensorflow/tfjs-core';
import type { PoolNode } from '../../common/ir/types';
import { applyNode } from '../ann/apply-node';
import type { GraphTensors } from '../ann/graph-tensors';

/**
 * Max pooling of spike trains by accumulated count (`--maxpool spiking`). With n_i(t) the spikes
 * input i of a window fired in steps 1..t, the output fires at step t when max_i n_i(t) grows:
 *
 *   N(t) = max_i n_i(t),   out(t) = θ·(N(t) − N(t − 1)) ∈ {0, θ}
 *
 * N grows by at most one per step (each n_i does), so the output is a spike train again; its count
 * over steps 1..t is the largest input count, so its rate is exactly the max of the input rates —
 * what the ANN's max pool computes on the rates — at every t (anytime readout holds). It is the
 * count-gated max pool of Rueckauer et al. 2017 (the input that has fired most so far passes its
 * spikes) in the form whose count is exactly the max; counting in integers keeps it exact on every
 * backend.
 *
 * `spikes`: time-major [T·B, H, W, C] spike values of one spiking layer (θ where it fired, else 0);
 * `theta`: that layer's thresholds, [1] or per channel [C], which the output spikes carry.
 */
export function accumulatedMaxPool(node: PoolNode, spikes: tf.Tensor, T: number, theta: Float32Array, weights: GraphTensors): tf.Tensor {
  return tf.tidy(() => {
    const shape = spikes.shape;
    const fired = tf.cast(tf.greater(spikes, 0), 'float32');
    const counts = tf.reshape(tf.cumsum(tf.reshape(fired, [T, -1]), 0), shape);
    const pooled = applyNode(node, [counts], weights);
    const flat = tf.reshape(pooled, [T, -1]);
    const before = T === 1 ? tf.zerosLike(flat) : tf.concat([tf.zeros([1, flat.shape[1]!]), tf.slice(flat, [0, 0], [T - 1, -1])], 0);
    return tf.mul(tf.reshape(tf.sub(flat, before), pooled.shape), tf.tensor1d(theta));
  });
}
