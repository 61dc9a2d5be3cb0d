/**
 * Vite config of the Mandelbrot page: the two headers that make the page
 * cross-origin isolated (so `SharedArrayBuffer` and the shared-memory
 * primitives exist), on the dev server and on `vite preview` alike.
 */
import { defineConfig } from 'vite';

const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  server: { headers: isolation },
  preview: { headers: isolation },
  build: { target: 'es2022' },
});
