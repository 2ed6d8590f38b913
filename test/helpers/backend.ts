import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src-main/engine/backend/select';

/** Switches to a tfjs backend for a test file (wasm unless a test asks otherwise). */
export async function useBackend(name: 'wasm' | 'cpu' = 'wasm'): Promise<void> {
  await initBackend(name);
  if (tf.getBackend() !== name) throw new Error(`backend ${name} is not active`);
}
