import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Builds the renderer on its own (browser mode); the Electron build will reuse it. */
export default defineConfig({
  root: __dirname,
  base: './',
  plugins: [react()],
  build: { outDir: '../out/renderer', emptyOutDir: true },
});
