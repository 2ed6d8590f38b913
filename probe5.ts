import { loadDemoMnist } from './src-main/datasets/demo-mnist';
import { initBackend } from './src-main/engine/backend/select';
import { collectActivationStats } from './src-main/engine/calibrate/activation-stats';
import { convertToSnn } from './src-main/engine/convert/convert';
import { prepareForConversion } from './src-main/engine/prepare/prepare';
import { SnnSimulator } from './src-main/engine/simulate/simulator';
import { DEMO_MODEL } from './src-main/cli/commands/demo';
import { loadModelFile } from './src-main/formats/node/load-model';
async function main() {
  await initBackend('wasm');
  const { graph } = loadModelFile(DEMO_MODEL);
  const test = loadDemoMnist('test', graph.preprocessing);
  const prepared = prepareForConversion(graph, 'refuse').graph;
  const stats = collectActivationStats(prepared, test, Int32Array.from({ length: 128 }, (_, i) => 9000 + i), { perChannel: false });
  const m = convertToSnn(prepared, stats, { method: { kind: 'percentile', percentile: 99.9 }, perChannel: false, neuron: 'if', reset: 'subtract', v0: 'zero', shift: false, encoding: 'direct', calibrationSamples: 128 }).model;
  const idx = Int32Array.from({ length: 32 }, (_, i) => i);
  const x = test.read(idx);
  const sim = new SnnSimulator(m);
  for (let r = 0; r < 10; r++) sim.runBatch(x, idx, { T: 64, checkpoints: [64], seed: 0 });
}
main();
