import { readTensorView, tensorFromView } from '../backend/host-io';
import { runIfLayer } from './if-layer';
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
    const run = runHost(request, { kind: request.temporal ? 'temporal' : 'static', data: readTensorView(input) });
    run.trace.raster = rasterOf(run.spikes, layer.T, layer.B, layer.F);
    return { spikes: tensorFromView(run.spikes, [layer.T * layer.B, ...shape]), trace: run.trace };
  },
};

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
