/** A layer's weights: by name suffix (`kernel`, `bias`, `gamma`, …) where the file names them, else in order. */
export interface LayerWeights {
  readonly named: ReadonlyMap<string, { shape: readonly number[]; values: Float32Array }>;
  readonly ordered: readonly { shape: readonly number[]; values: Float32Array }[];
}

/** Where the Keras importer finds each layer's weights; only this differs between file formats. */
export interface WeightSource {
  weightsOf(layerName: string): LayerWeights;
}

/**
 * A WeightSource over weights named like Keras does (`conv2d_1/kernel:0`, `model/dense/bias`):
 * the role is the last segment without `:0`; the layer is the entry's `layer` where the file
 * says it (an HDF5 layer group, whose name may itself hold '/'), else the path segment before
 * the role.
 */
export function namedWeightSource(entries: Iterable<{ name: string; layer?: string; shape: readonly number[]; values: Float32Array }>, layerNames: readonly string[]): WeightSource {
  type Weight = { shape: readonly number[]; values: Float32Array };
  const byLayer = new Map<string, { named: Map<string, Weight>; ordered: Weight[] }>();
  const known = new Set(layerNames);
  for (const entry of entries) {
    const parts = entry.name.replace(/:\d+$/, '').split('/');
    const role = parts[parts.length - 1]!;
    // the innermost segment that names a layer (names can repeat as scopes: conv2d_1/conv2d_1/kernel)
    const layer = entry.layer ?? [...parts.slice(0, -1)].reverse().find((p) => known.has(p)) ?? parts[parts.length - 2] ?? '';
    const slot = byLayer.get(layer) ?? { named: new Map<string, Weight>(), ordered: [] as Weight[] };
    const value = { shape: entry.shape, values: entry.values };
    slot.named.set(role, value);
    slot.ordered.push(value);
    byLayer.set(layer, slot);
  }
  return {
    weightsOf(layerName: string): LayerWeights {
      return byLayer.get(layerName) ?? { named: new Map(), ordered: [] };
    },
  };
}

/** Layer names of a Keras model config (Sequential or functional), for matching weights. */
export function layerNamesOf(modelConfig: unknown): string[] {
  const top = (modelConfig as { model_config?: unknown }).model_config ?? modelConfig;
  const config = (top as { config?: unknown }).config;
  const list = Array.isArray(config) ? config : ((config as { layers?: unknown[] } | undefined)?.layers ?? []);
  return list.map((l) => {
    const o = l as { name?: string; config?: { name?: string } };
    return String(o.config?.name ?? o.name);
  });
}
