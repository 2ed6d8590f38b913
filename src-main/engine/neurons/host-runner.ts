import { readTensorView, tensorFromView } from '../backend/host-io';
import { runIfLayer } from './if-layer';
import { heapKernels } from './kernels/heap-arena';
import { rasterOf } from './trace';
import type { Current, LayerRun } from './layer';
import { permuteSpikes } from './permute';
import type { NeuronRunner, SpikingRequest, SpikingResult } from './runner';
import { runTppLayer } from './tpp-layer';

/** The neuron kernels on the host (WebAssembly SIMD and JavaScript), for the wasm, cpu and
 * tensorflow backends: the current is read from the tensor (in place on wasm) and the spikes
 * become a new tensor. */
export const hostRunner: NeuronRunner = {
  run(request: SpikingRequest): SpikingResult {
    const { layer, input, shape } = request;
    const rows = [layer.T * layer.B, ...shape];
    const inPlace = ifInPlace(request, rows);
    if (inPlace !== undefined) return inPlace;
    const run = runHost(request, { kind: request.temporal ? 'temporal' : 'static', data: readTensorView(input) });
    run.trace.raster = rasterOf(run.spikes, layer.T, layer.B, layer.F);
    return { spikes: tensorFromView(run.spikes, rows), trace: run.trace };
  },
};

/**
 * IF without a probe on the wasm backend, when the layer is whole SIMD vectors: the kernel reads
 * the current where tfjs keeps it and writes the spikes into a tensor made for them, so neither
 * is copied. Otherwise undefined (the copying path).
 */
function ifInPlace(request: SpikingRequest, rows: readonly number[]): SpikingResult | undefined {
  const { layer, input } = request;
  if (request.neuron !== 'if' || request.permute !== undefined || (layer.B * layer.F) % 4 !== 0) return undefined;
  const kernels = heapKernels();
  const inputAt = kernels?.heap.address(input);
  if (kernels === undefined || inputAt === undefined) return undefined;
  const { tensor, at } = kernels.heap.allocate(rows);
  try {
    // the view after the allocation, which may have grown the heap and so detached earlier views
    const current = { kind: request.temporal ? 'temporal' : 'static', data: readTensorView(input) } as const;
    const run = runIfLayer(layer, current, request.checkpoints, request.ann, { arena: kernels.arena, current: inputAt, spikes: at });
    run.trace.raster = rasterOf(run.spikes, layer.T, layer.B, layer.F);
    return { spikes: tensor, trace: run.trace };
  } catch (error) {
    tensor.dispose();
    throw error;
  }
}

function runHost(request: SpikingRequest, current: Current): LayerRun {
  const { layer, keys, ann } = request;
  switch (request.neuron) {
    case 'if': {
      if (request.permute === undefined) return runIfLayer(layer, current, request.checkpoints, ann);
      const run = runIfLayer(layer, current, [layer.T], ann);
      const permuted = permuteSpikes(run.spikes, run.counts, layer, layer.theta, request.permute, keys, run.trace);
      return { spikes: permuted.spikes, counts: run.counts, trace: permuted.trace };
    }
    case 'tpp':
    case 'tpp-iid':
      return runTppLayer(layer, current, request.neuron, keys, ann);
    default: {
      const never: never = request.neuron;
      return never;
    }
  }
}
