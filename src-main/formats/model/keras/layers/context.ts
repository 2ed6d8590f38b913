import { invalidData, unsupported } from '../../../../common/errors';
import type { IrBuilder } from '../../common/ir-builder';
import type { LayerSpec } from '../model-config';
import type { WeightSource } from '../weights';
import type { LayerContext, Value } from './handler';

/** What the importer holds for the whole model; handlers reach it through their context. */
export interface ModelState {
  readonly b: IrBuilder;
  readonly weights: WeightSource;
  readonly channelsFirst: boolean;
  readonly flipKernels: boolean;
  /** The model input's value: a layer reading it directly can be preprocessing. */
  readonly input: Value;
  recordPreprocessing(p: { scale: number; offset: number }): void;
}

export function layerContext(state: ModelState, layer: LayerSpec, ins: readonly Value[]): LayerContext {
  const where = `layer '${layer.name}' (${layer.className})`;
  const fail = (message: string) => unsupported(`${where}: ${message}`);
  const invalid = (message: string) => invalidData(`${where}: ${message}`);
  return {
    name: layer.name,
    className: layer.className,
    config: layer.config,
    ins,
    b: state.b,
    where,
    channelsFirst: state.channelsFirst,
    flipKernels: state.flipKernels,
    readsModelInput: layer.inbound.length === 0 || ins[0] === state.input,
    one() {
      if (ins.length !== 1) throw invalid(`expects one input, got ${ins.length}`);
      return ins[0]!;
    },
    map(v) {
      if (v.kind !== 'map') throw fail('needs an image-shaped input, got a vector');
      return v;
    },
    weight(role, index, ...aliases) {
      // Keras 3 calls the depthwise kernel 'kernel'.
      const w = state.weights.weightsOf(layer.name);
      const found = [role, ...aliases].map((r) => w.named.get(r)).find((x) => x !== undefined) ?? (w.named.size === 0 ? w.ordered[index] : undefined);
      if (found === undefined) throw invalid(`weight '${role}' is missing from the file`);
      return found;
    },
    pair(key, fallback) {
      const v = layer.config[key];
      if (typeof v === 'number') return [v, v];
      if (Array.isArray(v) && v.length === 2) return [Number(v[0]), Number(v[1])];
      return fallback;
    },
    recordPreprocessing: (p) => state.recordPreprocessing(p),
    unsupported: fail,
    invalid,
  };
}
