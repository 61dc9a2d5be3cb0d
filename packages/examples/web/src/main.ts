/**
 * The page: renders the Mandelbrot set in tiles on a `Pool` of Web Workers
 * (one per CPU), taking the tiles with `imapUnordered` as they finish and
 * painting each at once, with a live progress bar. The tiles' pixels are
 * transferred, not copied. When done it prints a summary as JSON (what the
 * test reads) and marks `body[data-state=done]`.
 *
 * Query parameters shrink or change the picture: `width`, `height`, `tile`
 * (tile size in pixels), `maxIter`, `x`, `y` (the centre), `span` (width of
 * the view in complex units).
 */
import { browserAdapter, cpuCount, Pool } from '@multiproc/browser';
import { tilesOf, type View } from './mandelbrot.js';
import type { TileJob } from './tasks.js';

const params = new URLSearchParams(location.search);
const num = (name: string, fallback: number): number => {
  const v = params.get(name);
  return v === null || v === '' || !Number.isFinite(Number(v)) ? fallback : Number(v);
};

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new TypeError(`#${id} is missing`);
  return el;
}

const canvas = element('picture', HTMLCanvasElement);
const bar = element('progress', HTMLProgressElement);
const status = element('status', HTMLElement);
const output = element('result', HTMLOutputElement);

/** What the page reports when it is done (the test checks it). */
export interface Summary {
  readonly crossOriginIsolated: boolean;
  readonly sharedMemory: boolean;
  readonly workers: number;
  readonly workersUsed: string[];
  readonly tiles: number;
  readonly progressSteps: number;
  readonly iterations: number;
  readonly sha256: string;
  readonly ms: number;
}

async function main(): Promise<void> {
  const width = num('width', 960);
  const height = num('height', 640);
  // Seahorse valley, between the main cardioid and the bulb to its left.
  const view: View = { width, height, centerX: num('x', -0.7453), centerY: num('y', 0.1127), scale: num('span', 0.012) / width, maxIter: num('maxIter', 1000) };
  const tiles = tilesOf(width, height, num('tile', 64));
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('no 2d context');
  bar.max = tiles.length;
  bar.value = 0;

  const workers = cpuCount();
  // A worker factory, written literally, so that Vite bundles the worker script for production.
  await using pool = new Pool<typeof import('./tasks.js')>(() => new Worker(new URL('./mandelbrot.worker.ts', import.meta.url), { type: 'module' }), {
    processes: workers,
  });
  const jobs: TileJob[] = tiles.map((tile) => ({ view, tile }));
  const used = new Set<string>();
  let done = 0;
  let iterations = 0;
  const t0 = performance.now();
  for await (const r of pool.imapUnordered('renderTile', jobs)) {
    ctx.putImageData(new ImageData(new Uint8ClampedArray(r.pixels), r.tile.w, r.tile.h), r.tile.x, r.tile.y);
    iterations += r.iterations;
    used.add(r.worker);
    bar.value = ++done;
    status.textContent = `${done} / ${tiles.length} tiles on ${workers} workers`;
  }
  const ms = Math.round(performance.now() - t0);
  const image = ctx.getImageData(0, 0, width, height).data;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', image));
  const summary: Summary = {
    crossOriginIsolated,
    sharedMemory: browserAdapter.capabilities.sharedMemory,
    workers,
    workersUsed: [...used].sort(),
    tiles: tiles.length,
    progressSteps: done,
    iterations,
    sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''),
    ms,
  };
  status.textContent = `${tiles.length} tiles, ${iterations.toLocaleString('en-US')} iterations, in ${ms} ms on ${workers} workers`;
  output.value = JSON.stringify(summary, null, 2);
  document.body.dataset.state = 'done';
}

main().catch((err: unknown) => {
  status.textContent = `failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
  document.body.dataset.state = 'failed';
});
