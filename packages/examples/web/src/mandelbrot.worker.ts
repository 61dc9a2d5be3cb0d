/**
 * The worker script: Vite bundles it (and what it imports) for production,
 * which is why the page starts its workers with a factory,
 * `() => new Worker(new URL('./mandelbrot.worker.ts', import.meta.url), { type: 'module' })`,
 * written out literally so the bundler sees it.
 */
import { expose } from '@multiproc/browser';
import * as tasks from './tasks.js';

expose(tasks);
