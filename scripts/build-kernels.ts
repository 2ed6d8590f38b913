/**
 * Assembles src-main/engine/neurons/kernels/neuron-kernels.wat into neuron-kernels.wasm.ts (the
 * module as base64), so the product needs no assembler at run time.
 *
 *   npm run build:kernels          write the module
 *   npm run build:kernels -- --check   exit 1 when the committed module is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assembleKernels, KERNEL_DIR, renderKernelModule } from './kernels-source';

async function main(): Promise<void> {
  const wasm = await assembleKernels();
  const target = join(KERNEL_DIR, 'neuron-kernels.wasm.ts');
  const text = renderKernelModule(wasm);
  if (process.argv.includes('--check')) {
    const current = readFileSync(target, 'utf8');
    if (current !== text) {
      console.error(`${target} is stale: run npm run build:kernels`);
      process.exit(1);
    }
    console.log('neuron kernels are up to date');
    return;
  }
  writeFileSync(target, text);
  console.log(`wrote ${target} (${wasm.length} bytes of wasm)`);
}

main().catch((error: unknown) => {
  console.error(`build-kernels: ${(error as Error).message}`);
  process.exit(1);
});
