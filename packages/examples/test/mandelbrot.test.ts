/**
 * The browser example (web/): the Mandelbrot page built with `vite build`
 * for production, as a user ships it, served on loopback with COOP/COEP,
 * and opened in headless Debian Chromium. The page renders its tiles on a
 * Pool of Web Workers and reports a summary; the test recomputes the whole
 * image in Node with the page's own pure function (web/src/mandelbrot.ts)
 * and checks the canvas's SHA-256 and the iteration count against it, and
 * that every tile moved the progress bar. A screenshot goes to
 * test/artifacts/mandelbrot.png. Nothing is timed.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../../browser/test/support/chromium.js';
import { serveStatic } from '../../browser/test/support/serve-static.js';
import { renderPixels, tilesOf, type View } from '../web/src/mandelbrot.js';
import type { Summary } from '../web/src/main.js';

const examplesDir = fileURLToPath(new URL('../', import.meta.url));
const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));

// Small enough for a loaded 2-core machine: 480 × 320 pixels, 24 tiles of 80 × 80 (the page's default is 960 × 640).
const query = { width: 480, height: 320, tile: 80, maxIter: 300 };

/** The image the page must draw, computed here: every tile rendered and placed, then hashed. */
function expected(): { sha256: string; iterations: number; tiles: number } {
  const view: View = { width: query.width, height: query.height, centerX: -0.7453, centerY: 0.1127, scale: 0.012 / query.width, maxIter: query.maxIter };
  const image = new Uint8Array(query.width * query.height * 4);
  const tiles = tilesOf(query.width, query.height, query.tile);
  let iterations = 0;
  for (const tile of tiles) {
    const r = renderPixels(view, tile);
    iterations += r.iterations;
    for (let row = 0; row < tile.h; row++) {
      image.set(r.pixels.subarray(row * tile.w * 4, (row + 1) * tile.w * 4), ((tile.y + row) * query.width + tile.x) * 4);
    }
  }
  return { sha256: createHash('sha256').update(image).digest('hex'), iterations, tiles: tiles.length };
}

let browser: Browser;

beforeAll(async () => {
  // As a user builds it: the examples' own vite, `vite build web`.
  await promisify(execFile)(`${examplesDir}node_modules/.bin/vite`, ['build', 'web', '--logLevel', 'warn'], { cwd: examplesDir });
  await mkdir(artifacts, { recursive: true });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs, headless: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('web/: the Mandelbrot page, a production build in headless Chromium', () => {
  it('draws every tile from the workers (the canvas hashes as computed here), moving the progress bar once per tile, cross-origin isolated', async () => {
    const server = await serveStatic(`${examplesDir}web/dist`, { isolated: true });
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const logged: string[] = [];
    page.on('console', (m) => void logged.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (err) => void logged.push(`uncaught: ${err.message}`));
    try {
      await page.goto(`${server.url}?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`);
      await page.waitForSelector('body[data-state]', { timeout: 90_000 });
      await page.screenshot({ path: `${artifacts}mandelbrot.png` });
      const state = await page.evaluate(() => document.body.dataset.state);
      const status = await page.evaluate(() => document.getElementById('status')?.textContent);
      expect(state, `${status}\n${logged.join('\n')}`).toBe('done');
      const text = await page.evaluate(() => (document.getElementById('result') as HTMLOutputElement).value);
      const summary = JSON.parse(text) as Summary;
      const want = expected();
      expect(summary.crossOriginIsolated).toBe(true);
      expect(summary.sharedMemory).toBe(true);
      expect(summary.tiles).toBe(want.tiles);
      expect(summary.progressSteps).toBe(want.tiles);
      expect(await page.evaluate(() => (document.getElementById('progress') as HTMLProgressElement).value)).toBe(want.tiles);
      expect(summary.iterations).toBe(want.iterations);
      expect(summary.sha256).toBe(want.sha256);
      expect(summary.workersUsed.length).toBeGreaterThanOrEqual(1);
      expect(summary.workersUsed.length).toBeLessThanOrEqual(summary.workers);
      for (const w of summary.workersUsed) expect(w).toMatch(/^PoolWorker-\d+$/);
    } finally {
      await page.close();
      await server.close();
    }
  }, 120_000);
});
