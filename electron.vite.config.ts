import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

/**
 * `npm run build`: the desktop app's three bundles.
 * - main (out/main): the main process, the service's utility process entry, and the job worker
 *   and worker-thread entries the service starts by file name next to itself (jobs/spawn-worker,
 *   engine/parallel/unit-pool, formats/node/h5-reader). All land in one folder, shared chunks
 *   too, because those starters look beside their own file (__dirname). npm dependencies stay
 *   external (node_modules: better-sqlite3, tfjs, h5wasm load native and wasm files from there).
 * - preload (out/preload/index.js): one CommonJS file with everything bundled in, as the sandbox
 *   requires (a sandboxed preload can require only electron's renderer modules).
 * - renderer (out/renderer): the GUI, the same build as browser mode.
 * `--outDir DIR` moves all three (to DIR/main, DIR/preload, DIR/renderer).
 */
const root = __dirname;

export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: {
          index: resolve(root, 'src-main/electron/main/index.ts'),
          service: resolve(root, 'src-main/electron/service/index.ts'),
          'worker-main': resolve(root, 'src-main/jobs/worker-main.ts'),
          'unit-worker': resolve(root, 'src-main/engine/parallel/unit-worker.ts'),
          'h5-reader-worker': resolve(root, 'src-main/formats/node/h5-reader-worker.ts'),
          'render-worker': resolve(root, 'src-main/report/render-worker.ts'),
          'pooling-cost-worker': resolve(root, 'src-main/jobs/pooling-cost-worker.ts'),
          cli: resolve(root, 'src-main/cli/main.ts'),
        },
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    base: './',
    plugins: [react()],
    build: { rolldownOptions: { input: resolve(root, 'src-renderer/index.html') } },
  },
});
