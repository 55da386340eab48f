/**
 * Vite build of the renderer: root is this folder, output goes to dist/renderer, and `base: './'` makes
 * every asset URL relative so the same build loads from file:// in Electron and over HTTP from
 * `hostwatch serve`.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Desktop (Electron 45) and current browsers only.
    target: 'es2023',
    chunkSizeWarningLimit: 1200,
  },
});
