/**
 * Assembles the WAT kernels (the neuron kernels, the event decoding kernels) into their
 * `.wasm.ts` modules (the module as base64), so the product needs no assembler at run time.
 *
 *   npm run build:kernels          write the modules
 *   npm run build:kernels -- --check   exit 1 when a committed module is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { assembleKernels, KERNEL_MODULES, kernelTarget, renderKernelModule } from './kernels-source';

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const kernels of KERNEL_MODULES) {
    const wasm = await assembleKernels(kernels);
    const target = kernelTarget(kernels);
    const text = renderKernelModule(kernels, wasm);
    if (!check) {
      writeFileSync(target, text);
      console.log(`wrote ${target} (${wasm.length} bytes of wasm)`);
    } else if (readFileSync(target, 'utf8') !== text) {
      console.error(`${target} is stale: run npm run build:kernels`);
      stale++;
    }
  }
  if (stale > 0) process.exit(1);
  if (check) console.log('kernels are up to date');
}

main().catch((error: unknown) => {
  console.error(`build-kernels: ${(error as Error).message}`);
  process.exit(1);
});
