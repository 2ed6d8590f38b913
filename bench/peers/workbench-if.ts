import { readFileSync, writeFileSync } from 'node:fs';
import { initBackend } from '../../src-main/engine/backend/select';
import { SnnSimulator } from '../../src-main/engine/simulate/simulator';
import { decodeIdx } from '../../src-main/formats/images/idx';
import { decodeModel } from '../../src-main/formats/model/tppw-model';

/**
 * The workbench's own IF predictions for the NIR interop proof (bench/peers/run.sh): a converted
 * network (.tppw, as `tppw convert --save-snn` writes it) simulated at T steps on the first N
 * digits of an MNIST IDX test set, one argmax per digit, written as JSON for nir_sinabs.py.
 *
 *   tsx bench/peers/workbench-if.ts SNN.tppw IMAGES.idx.gz OUT.json T N
 */
async function main(): Promise<void> {
  const [snnPath, imagesPath, outPath, tArg, nArg] = process.argv.slice(2);
  if (snnPath === undefined || imagesPath === undefined || outPath === undefined) throw new Error('usage: workbench-if.ts SNN.tppw IMAGES OUT.json T N');
  const T = Number(tArg ?? 32);
  const N = Number(nArg ?? 500);
  const model = decodeModel(new Uint8Array(readFileSync(snnPath)), snnPath);
  if (model.snn === undefined) throw new Error(`${snnPath} holds no converted network`);
  const images = decodeIdx(new Uint8Array(readFileSync(imagesPath)), imagesPath);
  const [, h, w] = images.dims as [number, number, number];
  const { scale, offset } = model.graph.preprocessing ?? { scale: 1, offset: 0 };
  await initBackend('wasm');
  const sim = new SnnSimulator({ graph: model.graph, snn: model.snn });
  const predictions: number[] = [];
  const batch = 50;
  for (let start = 0; start < N; start += batch) {
    const B = Math.min(batch, N - start);
    const x = new Float32Array(B * h * w);
    for (let i = 0; i < x.length; i++) x[i] = Number(images.data[start * h * w + i]) * scale + offset;
    const out = await sim.runBatch(x, Int32Array.from({ length: B }, (_, k) => start + k), { T, checkpoints: [T], seed: 0 });
    const sums = out.outputSums[0]!;
    const K = sums.length / B;
    for (let b = 0; b < B; b++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (sums[b * K + k]! > sums[b * K + best]!) best = k;
      predictions.push(best);
    }
  }
  sim.dispose();
  writeFileSync(outPath, `${JSON.stringify({ T, samples: N, scale, offset, predictions })}\n`);
  process.stdout.write(`workbench IF at T = ${T}: ${N} predictions → ${outPath}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`workbench-if: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
