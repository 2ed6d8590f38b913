import * as tf from '@tensorflow/tfjs-core';
import type { LayerTrace } from '../../../common/units';
import { stepOrder } from '../permute';
import type { NeuronRunner, SpikingRequest, SpikingResult } from '../runner';
import { emptyTrace, rasterFromSteps, rasterNeurons, recordCheckpoint, retimedTrace } from '../trace';
import { reciprocals } from '../tpp-layer';
import { GpuKernels, type GpuJob, type GpuLimits } from './gpu-kernels';
import { bufferOf, flushTfjs, newTensor, tfjsDevice } from './tfjs-webgpu';

/**
 * The neuron kernels on tfjs's WebGPU device (wgsl.ts). The input current is read where tfjs's
 * convolution left it and the spikes are written into a new tfjs tensor, so spike trains stay on
 * the GPU between layers. Each layer is one submission; what comes back is the trace's raw
 * material only — per-step spike and first-spike counts, and each neuron's count and potential at
 * every checkpoint — from which the trace is summed on the host by the same code as the host
 * kernels' (recordCheckpoint), so both give the same trace bit for bit.
 */
export class GpuRunner implements NeuronRunner {
  readonly kernels: GpuKernels;

  constructor(overrides: Partial<GpuLimits> = {}) {
    this.kernels = new GpuKernels(tfjsDevice(), overrides, flushTfjs);
  }

  run(request: SpikingRequest): SpikingResult {
    const result = this.runNeurons(request);
    return { spikes: result.spikes, trace: withRaster(result.spikes, request.layer.T, request.layer.F, result.trace) };
  }

  private runNeurons(request: SpikingRequest): SpikingResult {
    switch (request.neuron) {
      case 'if': {
        const job = this.kernels.begin(request.permute === undefined ? 'IF' : `IF + Permute (${request.permute})`);
        const ifRun = this.encodeIf(job, request, request.permute === undefined ? request.checkpoints : [request.layer.T]);
        if (request.permute === undefined) return { spikes: ifRun.spikes, trace: job.submit().then(ifRun.trace) };
        const permuted = this.encodePermute(job, request, ifRun.spikes, ifRun.counts);
        const submitted = job.submit();
        ifRun.spikes.dispose();
        return { spikes: permuted.spikes, trace: submitted.then((bytes) => permuted.trace(bytes, ifRun.trace(bytes))) };
      }
      case 'tpp':
      case 'tpp-iid':
        return this.runTpp(request);
      default: {
        const never: never = request.neuron;
        return never;
      }
    }
  }

  /** IF over the window, the state read back at each checkpoint. */
  private encodeIf(job: GpuJob, request: SpikingRequest, checkpoints: readonly number[]): { spikes: tf.Tensor; counts: GPUBuffer; trace: (bytes: ArrayBuffer[]) => LayerTrace } {
    const { layer, ann } = request;
    const { T, B, F, theta } = layer;
    const N = B * F;
    const C = theta.length;
    const k = this.kernels;
    const cur = bufferOf(request.input);
    const out = newTensor([T * B, ...request.shape]);
    const v = job.own(k.storage(N * 4));
    const counts = job.own(k.storage(N * 4));
    const first = job.own(k.storage(N * 4));
    const shift = Array.from(theta, (t) => (layer.shift ? t / (2 * T) : 0));
    const bias = layer.bias ?? Float32Array.of(0);
    const offset = layer.v0Offset ?? new Float32Array(F);
    const chanLength = 2 * C + bias.length + F;
    const chan = job.own(k.storage(chanLength * 4, Float32Array.from([...theta, ...shift, ...bias, ...offset])));
    const hist = job.own(k.storage(2 * T * 4));
    const reads: { k: number; t: number; counts: number; v: number }[] = [];
    let t0 = 0;
    const segments = [...checkpoints.filter((t) => t < T), T];
    for (const [index, t1] of segments.entries()) {
      if (t1 > t0) {
        for (const c of k.chunks(N, t0, t1)) {
          const curWindow = request.temporal ? k.window(cur, c.t0 * N + c.n0, (c.t1 - c.t0 - 1) * N + c.count) : k.window(cur, c.n0, c.count);
          const outWindow = k.window(out.buffer, c.t0 * N + c.n0, (c.t1 - c.t0 - 1) * N + c.count);
          // Per-neuron windows start at the same element, so they share one `at`.
          const state = [k.window(v, c.n0, c.count), k.window(counts, c.n0, c.count), k.window(first, c.n0, c.count)];
          const params = Uint32Array.of(N, c.n0, c.count, c.t0, c.t1, T, C, layer.reset === 'zero' ? 1 : 0, request.temporal ? 1 : 0, layer.v0 === 'half' ? 1 : 0, curWindow.at, outWindow.at, state[0]!.at, bias.length, F, 0);
          job.dispatch('if', params, [curWindow, outWindow, ...state, k.window(chan, 0, chanLength), k.window(hist, 0, 2 * T)], c.count);
        }
        t0 = t1;
      }
      if (index < checkpoints.length && checkpoints[index] === t1) reads.push({ k: index, t: t1, counts: job.read(counts, 0, N * 4), v: job.read(v, 0, N * 4) });
    }
    const histRead = job.read(hist, 0, 2 * T * 4);
    const trace = (bytes: ArrayBuffer[]): LayerTrace => {
      const trace = emptyTrace(F, T, checkpoints, layer.positions);
      trace.samples = B;
      fillSteps(trace, new Uint32Array(bytes[histRead]!), T);
      for (const r of reads) recordCheckpoint(trace, r.k, r.t, theta, Uint16Array.from(new Uint32Array(bytes[r.counts]!)), new Float32Array(bytes[r.v]!), false, ann);
      return trace;
    };
    return { spikes: out.tensor, counts, trace };
  }

  /** Permute on IF's spikes and counts (same job); the counts-based trace sums carry over. */
  private encodePermute(job: GpuJob, request: SpikingRequest, spikes: tf.Tensor, counts: GPUBuffer): { spikes: tf.Tensor; trace: (bytes: ArrayBuffer[], original: LayerTrace) => LayerTrace } {
    const { layer, keys } = request;
    const { T, B, F, theta } = layer;
    const N = B * F;
    const C = theta.length;
    const k = this.kernels;
    const out = newTensor([T * B, ...request.shape]);
    const hist = job.own(k.storage(2 * T * 4));
    const input = bufferOf(spikes);
    if (request.permute === 'neuron') {
      const left = job.own(k.storage(N * 4));
      const consts = job.own(k.storage((C + B) * 4, Uint32Array.from([...words(theta), ...keys])));
      for (const c of k.chunks(N, 0, T)) {
        const outWindow = k.window(out.buffer, c.t0 * N + c.n0, (c.t1 - c.t0 - 1) * N + c.count);
        const state = [k.window(counts, c.n0, c.count), k.window(left, c.n0, c.count)];
        const params = Uint32Array.of(N, c.n0, c.count, c.t0, c.t1, T, C, F, outWindow.at, state[0]!.at, C, 0);
        job.dispatch('permuteNeuron', params, [...state, outWindow, k.window(consts, 0, C + B), k.window(hist, 0, 2 * T)], c.count);
      }
    } else {
      const order = stepOrder(keys, T);
      if (k.fits(0, T * N)) {
        const orderBuffer = job.own(k.storage(order.length * 4, order));
        const whole = k.window(input, 0, T * N);
        for (const c of k.chunks(N, 0, T)) {
          const outWindow = k.window(out.buffer, c.t0 * N + c.n0, (c.t1 - c.t0 - 1) * N + c.count);
          const params = Uint32Array.of(N, c.n0, c.count, c.t0, c.t1, T, F, whole.at + c.n0, outWindow.at, 0, 0, 0);
          job.dispatch('permuteLayer', params, [whole, outWindow, k.window(orderBuffer, 0, order.length)], c.count);
        }
      } else {
        // The spikes do not fit one binding: move each sample's rows with copies instead.
        for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) job.copy(input, (order[b * T + t]! * N + b * F) * 4, out.buffer, (t * N + b * F) * 4, F * 4);
      }
      const first = job.own(k.storage(N * 4));
      for (const c of k.chunks(N, 0, T)) {
        const spikesWindow = k.window(out.buffer, c.t0 * N + c.n0, (c.t1 - c.t0 - 1) * N + c.count);
        const firstWindow = k.window(first, c.n0, c.count);
        const params = Uint32Array.of(N, c.n0, c.count, c.t0, c.t1, T, spikesWindow.at, firstWindow.at);
        job.dispatch('trainStats', params, [spikesWindow, firstWindow, k.window(hist, 0, 2 * T)], c.count);
      }
    }
    const histRead = job.read(hist, 0, 2 * T * 4);
    const trace = (bytes: ArrayBuffer[], original: LayerTrace): LayerTrace => {
      const trace = retimedTrace(original, T);
      fillSteps(trace, new Uint32Array(bytes[histRead]!), T);
      return trace;
    };
    return { spikes: out.tensor, trace };
  }

  /** TPP: phase 1 (charge), then phase 2 (fire); counts and leftover charge read back. */
  private runTpp(request: SpikingRequest): SpikingResult {
    const { layer, keys, ann } = request;
    const { T, B, F, theta } = layer;
    const N = B * F;
    const C = theta.length;
    const k = this.kernels;
    const job = k.begin(request.neuron === 'tpp' ? 'TPP' : 'TPP-iid');
    const cur = bufferOf(request.input);
    const out = newTensor([T * B, ...request.shape]);
    const charge = job.own(k.storage(N * 4));
    const left = job.own(k.storage(N * 4));
    const counts = job.own(k.storage(N * 4));
    const stay = job.own(k.storage(N * 4));
    const hist = job.own(k.storage(2 * T * 4));
    const corrected = layer.bias !== undefined || layer.v0Offset !== undefined;
    const bias = layer.bias ?? Float32Array.of(0);
    const offset = layer.v0Offset ?? new Float32Array(F);
    const chanLength = C + bias.length + F;
    const chan = job.own(k.storage(chanLength * 4, Float32Array.from([...reciprocals(theta), ...bias, ...offset])));
    const perRemaining = Float32Array.from({ length: T }, (_, t) => 1 / (T - t));
    const consts = job.own(k.storage((C + T + B) * 4, Uint32Array.from([...words(theta), ...words(perRemaining), ...keys])));
    const share = (layer.v0 === 'half' ? 0.5 : 0) + (layer.shift ? 0.5 : 0);
    const rows = request.temporal ? T : 1;
    for (const c of k.chunks(N, 0, rows)) {
      const curWindow = k.window(cur, c.t0 * N + c.n0, (c.t1 - c.t0 - 1) * N + c.count);
      const acc = k.window(charge, c.n0, c.count);
      const params = new Uint32Array(16);
      params.set([N, c.n0, c.count, c.t0, c.t1, T, C, request.temporal ? 1 : 0, c.t1 === rows ? 1 : 0, curWindow.at, acc.at, 0, 0, bias.length, F, corrected ? 1 : 0]);
      new Float32Array(params.buffer).set([share], 12);
      job.dispatch('tppCharge', params, [curWindow, acc, k.window(chan, 0, chanLength)], c.count);
    }
    for (const c of k.chunks(N, 0, T)) {
      const outWindow = k.window(out.buffer, c.t0 * N + c.n0, (c.t1 - c.t0 - 1) * N + c.count);
      const state = [k.window(charge, c.n0, c.count), k.window(left, c.n0, c.count), k.window(counts, c.n0, c.count), k.window(stay, c.n0, c.count)];
      const params = Uint32Array.of(N, c.n0, c.count, c.t0, c.t1, T, C, F, request.neuron === 'tpp-iid' ? 1 : 0, outWindow.at, state[0]!.at, C, C + T, 0, 0, 0);
      job.dispatch('tppFire', params, [...state, outWindow, k.window(consts, 0, C + T + B), k.window(hist, 0, 2 * T)], c.count);
    }
    const countsRead = job.read(counts, 0, N * 4);
    const leftRead = job.read(left, 0, N * 4);
    const histRead = job.read(hist, 0, 2 * T * 4);
    const trace = job.submit().then((bytes) => {
      const trace = emptyTrace(F, T, [T], layer.positions);
      trace.samples = B;
      fillSteps(trace, new Uint32Array(bytes[histRead]!), T);
      recordCheckpoint(trace, 0, T, theta, Uint16Array.from(new Uint32Array(bytes[countsRead]!)), new Float32Array(bytes[leftRead]!), true, ann);
      return trace;
    });
    return { spikes: out.tensor, trace };
  }
}

/**
 * The trace with its spike raster (rasterOf's neurons of sample 0), gathered from the spike
 * trains on the GPU once the layer's submission is queued (so after its writes): T × 32 values
 * come back, not the trains.
 */
function withRaster(spikes: tf.Tensor, T: number, F: number, trace: LayerTrace | Promise<LayerTrace>): Promise<LayerTrace> {
  const neurons = rasterNeurons(F);
  const picked = tf.tidy(() => tf.gather(tf.reshape(spikes, [T, -1]), tf.tensor1d(neurons, 'int32'), 1));
  return Promise.all([trace, picked.data()]).then(
    ([layerTrace, values]) => {
      layerTrace.raster = rasterFromSteps(neurons, T, (t, i) => values[t * neurons.length + i]!);
      picked.dispose();
      return layerTrace;
    },
    (error: unknown) => {
      picked.dispose();
      throw error;
    },
  );
}

/** The raw bits of float32 values, for u32 constant buffers. */
function words(x: Float32Array): Uint32Array {
  return new Uint32Array(x.buffer, x.byteOffset, x.length);
}

function fillSteps(trace: LayerTrace, hist: Uint32Array, T: number): void {
  for (let t = 0; t < T; t++) {
    trace.spikesPerStep[t] = hist[t]!;
    trace.firstSpikesPerStep[t] = hist[T + t]!;
  }
}
