import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// No inline scripts or styles in the output: the server's CSP forbids them.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0, modulePreload: { polyfill: false }, sourcemap: false },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
