import * as tf from '@tensorflow/tfjs-core';
import { invalidData } from '../../common/errors';
import type { Graph } from '../../common/ir/types';

/**
 * The graph's weights as tfjs tensors, created on first use and kept until `dispose()`, so a
 * simulation that runs the same layer T times uploads each weight once.
 */
export class GraphTensors {
  private readonly cache = new Map<string, tf.Tensor>();

  constructor(private readonly graph: Graph) {}

  get(name: string): tf.Tensor {
    let t = this.cache.get(name);
    if (t === undefined) {
      const w = this.graph.weights.get(name);
      if (w === undefined) throw invalidData(`weight '${name}' is missing from graph '${this.graph.name}'`);
      t = tf.keep(tf.tensor(w.data, [...w.shape], 'float32'));
      this.cache.set(name, t);
    }
    return t;
  }

  /** A derived tensor (e.g. a reshaped kernel), cached under `key`. */
  derived(key: string, make: () => tf.Tensor): tf.Tensor {
    let t = this.cache.get(key);
    if (t === undefined) {
      t = tf.keep(tf.tidy(make));
      this.cache.set(key, t);
    }
    return t;
  }

  dispose(): void {
    for (const t of this.cache.values()) t.dispose();
    this.cache.clear();
  }
}
