import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import type { Graph } from '../../src-main/common/ir/types';
import { decodeNpy } from '../../src-main/formats/arrays/npy';
import { GraphTensors } from '../../src-main/engine/ann/graph-tensors';
import { runGraph } from '../../src-main/engine/ann/run-graph';

/** A .npy test array as float32 with its shape. */
export function readNpy(path: string): { shape: readonly number[]; data: Float32Array } {
  const a = decodeNpy(new Uint8Array(readFileSync(path)), path);
  return { shape: a.shape, data: Float32Array.from(a.data) };
}

/** NCHW → NHWC for a [N, C, H, W] array. */
export function nchwToNhwc(data: Float32Array, [n, c, h, w]: readonly number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < n!; i++) for (let ch = 0; ch < c!; ch++) for (let p = 0; p < h! * w!; p++) out[(i * h! * w! + p) * c! + ch] = data[(i * c! + ch) * h! * w! + p]!;
  return out;
}

/** The IR graph's output for a batch given NHWC. */
export function forward(graph: Graph, x: Float32Array, batch: number): Float32Array {
  const weights = new GraphTensors(graph);
  const input = tf.tensor(x, [batch, ...graph.input.shape]);
  const { output } = runGraph(graph, weights, input);
  const data = output.dataSync() as Float32Array;
  tf.dispose([input, output]);
  weights.dispose();
  return data;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
