// The webpack recipe of docs/bundlers.md, as a user writes it: a production build (minified
// with terser) and nothing else; the test passes an output folder of its own.
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  context: fileURLToPath(new URL('.', import.meta.url)),
  entry: './src/main.js',
  output: { path: fileURLToPath(new URL('./dist/webpack/', import.meta.url)), clean: true },
};
