import * as tf from '@tensorflow/tfjs-core';
import type { Conv2dNode, Graph } from '../../common/ir/types';
import { readTensorView, tensorFromView } from '../backend/host-io';
import { compactRows, kernelArena, padded } from '../neurons/kernels/arena';
import { heapKernels } from '../neurons/kernels/heap-arena';

/**
 * A convolution of spike trains driven by the spikes (the `spike_conv` kernel): its cost follows
 * the nonzero inputs, not the input's size, so at the few-percent firing rates of a converted
 * network it does a small part of a dense convolution's work. Only the order of each sum differs
 * from the dense convolution (every term is rounded the same way), so results agree to float32
 * rounding. For ungrouped, undilated convolutions on the host backends; the simulator picks it
 * when the input's measured density is below SPIKE_CONV_MAX_DENSITY.
 */
export const SPIKE_CONV_MAX_DENSITY = 0.2;

export function spikeConvApplies(node: Conv2dNode): boolean {
  return node.groups === 1 && node.dilations[0] === 1 && node.dilations[1] === 1;
}

/** Per node: the kernel HWIO, then the bias, with the output channels padded to whole SIMD
 * vectors (zeros in the padding; a zero bias when the node has none). */
const paddedWeights = new WeakMap<Graph, Map<string, Float32Array>>();

function paddedKernelAndBias(graph: Graph, node: Conv2dNode): Float32Array {
  let byNode = paddedWeights.get(graph);
  if (byNode === undefined) paddedWeights.set(graph, (byNode = new Map()));
  let k = byNode.get(node.name);
  if (k === undefined) {
    const w = graph.weights.get(node.kernel)!;
    const cout = w.shape[3]!;
    const rows = w.data.length / cout;
    const coutp = padded(cout);
    k = new Float32Array((rows + 1) * coutp);
    for (let r = 0; r < rows; r++) k.set(w.data.subarray(r * cout, (r + 1) * cout), r * coutp);
    if (node.bias !== undefined) k.set(graph.weights.get(node.bias)!.data, rows * coutp);
    byNode.set(node.name, k);
  }
  return k;
}

/**
 * For each input index i along one axis (table rows from `row`): the first kernel tap k0 and
 * output o0 it reaches and how many, the taps stepping by the stride while the output falls by
 * one: o·stride + k = i + pad, 0 ≤ k < size, 0 ≤ o < limit.
 */
function reach(tab: Int32Array, row: number, n: number, pad: number, stride: number, size: number, limit: number): void {
  for (let i = 0; i < n; i++) {
    let k = (i + pad) % stride;
    let o = (i + pad - k) / stride;
    if (o >= limit) {
      const skip = o - limit + 1;
      k += skip * stride;
      o -= skip;
    }
    let count = 0;
    for (let kk = k, oo = o; kk < size && oo >= 0; kk += stride, oo--) count++;
    tab.set([k, o, count], 3 * (row + i));
  }
}

/**
 * The convolution of `input` (NHWC, [rows, h, w, cin]) by `node`, bias added. On the wasm
 * backend, with whole SIMD vectors of output channels, the kernel reads the input where tfjs
 * keeps it and writes the output tensor in place; otherwise both are copied through this
 * thread's kernel memory.
 */
export function spikeConv2d(graph: Graph, node: Conv2dNode, input: tf.Tensor): tf.Tensor {
  const [rows, h, w, cin] = input.shape as [number, number, number, number];
  const [kh, kw, , cout] = graph.weights.get(node.kernel)!.shape as [number, number, number, number];
  const [ho, wo] = graph.shapes.get(node.name)! as [number, number, number];
  const coutp = padded(cout);
  const kernel = paddedKernelAndBias(graph, node);
  const inputs = rows * h * w * cin;
  const outputs = rows * ho * wo * coutp;
  const shape = [rows, ho, wo, cout];
  const kernels = cout === coutp ? heapKernels() : undefined;
  // a tensor's address is an offset into tfjs's heap: growing the heap detaches views, not addresses
  const inputAt = kernels?.heap.address(input);
  const inPlace = inputAt !== undefined ? kernels : undefined;
  const output = inPlace?.heap.allocate(shape);
  try {
    const arena = inPlace?.arena ?? kernelArena();
    const [kAt, tabAt, inCopyAt, outCopyAt] = arena.reserve([kernel.length * 4, (h + w) * 12, ...(inPlace ? [] : [inputs * 4, outputs * 4])]) as [number, number, number?, number?];
    const inAt = inputAt ?? inCopyAt!;
    const outAt = output?.at ?? outCopyAt!;
    if (!inPlace) arena.f32(inAt, inputs).set(readTensorView(input).subarray(0, inputs));
    arena.f32(kAt, kernel.length).set(kernel);
    const tab = arena.i32(tabAt, 3 * (h + w));
    reach(tab, 0, h, node.pads[0], node.strides[0], kh, ho);
    reach(tab, h, w, node.pads[2], node.strides[1], kw, wo);
    const biasAt = kAt + (kernel.length - coutp) * 4;
    arena.exports.spike_conv(inAt, rows, h, w, cin, kAt, coutp, kh, kw, node.strides[0], node.strides[1], ho, wo, outAt, tabAt, biasAt);
    return output?.tensor ?? tensorFromView(compactRows(arena.f32(outAt, outputs), rows * ho * wo, cout, coutp), shape);
  } catch (error) {
    output?.tensor.dispose();
    throw error;
  }
}
