import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The front-desk dashboard. `base: './'` keeps every asset URL relative, so the same
 * build works served by the engine at http://127.0.0.1:8081/ and from file:// in the
 * desktop shell.
 */
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    assetsDir: 'assets',
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    // `vite dev` against a running engine on 8081: open the engine's login link once (the
    // cookie is per host, not per port), then use http://127.0.0.1:5173/. The engine refuses
    // other origins, so the proxy presents the engine's own.
    proxy: {
      '/api': {
        target: 'http://127.0.0.1:8081',
        ws: true,
        configure(proxy) {
          const origin = 'http://127.0.0.1:8081';
          proxy.on('proxyReq', (req) => req.setHeader('origin', origin));
          proxy.on('proxyReqWs', (req) => req.setHeader('origin', origin));
        },
      },
    },
  },
});
