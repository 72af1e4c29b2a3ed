import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w @loopline/web` serves the UI with hot reload and proxies the API to a running
// `loopline serve` (LOOPLINE_URL, default http://127.0.0.1:4318). `vite build` writes dist/, which the
// build copies next to the CLI bundle so `loopline serve` serves it at /.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1200 },
  server: {
    proxy: { '/api': process.env.LOOPLINE_URL ?? 'http://127.0.0.1:4318' },
  },
});
