/**
 * The consumer proof: a tiny app that depends on @multiproc/browser like a
 * user's would (test/vite-app), built with `vite build` for production,
 * served on loopback and opened in headless Debian Chromium. It runs `map`
 * over two pools (a module-URL source and a worker-factory source) and shows
 * the results on the page. Served with COOP/COEP the page is cross-origin
 * isolated and has shared memory; served without, Pool work still runs and
 * shared memory is reported as unavailable. A worker makes a Queue that the
 * page, which imports no primitive, brokers when not isolated: Vite keeps the
 * primitives in a chunk of their own that loads only then. Screenshots go to
 * test/artifacts.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, type Browser } from '../support/launch.js';
import { serveStatic } from '../support/serve-static.js';

const appDir = fileURLToPath(new URL('../vite-app/', import.meta.url));
const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

interface AppResult {
  crossOriginIsolated: boolean;
  sharedMemory: boolean;
  squares: number[];
  fibs: number[];
  worker: string;
  queued: number[];
  error: { isClass: boolean; name: string; code: string } | null;
}

let browser: Browser;

beforeAll(async () => {
  // The CLI, as a user runs it: `vite build` in the app's folder, with the app's own vite.
  await promisify(execFile)(appDir + 'node_modules/.bin/vite', ['build', '--logLevel', 'warn'], { cwd: appDir });
  await mkdir(artifacts, { recursive: true });
  browser = await launch('chromium');
});

afterAll(async () => {
  await browser?.close();
});

async function openApp(isolated: boolean, screenshot: string): Promise<{ state: string; status: string; result: AppResult | null }> {
  const server = await serveStatic(appDir + 'dist', { isolated });
  const page = await browser.open(server.url);
  try {
    let state: unknown;
    for (const deadline = Date.now() + 60_000; state === undefined && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await page.evaluate('document.body.dataset.state');
    }
    await page.screenshot(artifacts + screenshot);
    const status = (await page.evaluate('document.getElementById("status").textContent')) as string;
    const text = (await page.evaluate('document.getElementById("result").value')) as string;
    if (state !== 'done') console.log(`the page is ${String(state)}: ${status}\npage console:\n${page.console().join('\n')}`);
    return { state: String(state), status, result: text ? (JSON.parse(text) as AppResult) : null };
  } finally {
    await page.close();
    await server.close();
  }
}

describe(`a vite build of a consumer app, in headless Chromium`, () => {
  it('served with COOP/COEP: runs map over both pools, shows the results, has shared memory', async () => {
    const { state, status, result } = await openApp(true, 'vite-app-isolated.png');
    expect(status).toBe('done');
    expect(state).toBe('done');
    expect(result).toEqual({
      crossOriginIsolated: true,
      sharedMemory: true,
      squares: [1, 4, 9, 16, 25, 36, 49, 64],
      fibs: [55, 6765, 75025],
      worker: expect.stringMatching(/^PoolWorker-\d+$/),
      queued: [41, 42],
      // The build is minified (vite.config.js): a library error still arrives as its class, with its name.
      error: { isClass: true, name: 'StateError', code: 'MP_STATE' },
    });
  });

  it('served without cross-origin isolation: Pool work still runs; shared memory is reported unavailable', async () => {
    const { state, status, result } = await openApp(false, 'vite-app-not-isolated.png');
    expect(status).toBe('done');
    expect(state).toBe('done');
    expect(result?.crossOriginIsolated).toBe(false);
    expect(result?.sharedMemory).toBe(false);
    expect(result?.squares).toEqual([1, 4, 9, 16, 25, 36, 49, 64]);
    expect(result?.fibs).toEqual([55, 6765, 75025]);
    expect(result?.queued).toEqual([41, 42]);
  });

  it("keeps the primitives out of the page's entry chunk, in a lazy chunk of their own", async () => {
    const assets = await readdir(appDir + 'dist/assets');
    const entry = (await readFile(appDir + 'dist/index.html', 'utf8')).match(/src="\/assets\/([^"]+\.js)"/)?.[1];
    expect(entry, 'the entry script of index.html').toBeDefined();
    const lazy = assets.filter((f) => /^all-kinds-.*\.js$/.test(f));
    expect(lazy).toHaveLength(1);
    const chunk = String(lazy[0]);
    const entryText = await readFile(`${appDir}dist/assets/${entry}`, 'utf8');
    // The entry loads the chunk by import(), never statically.
    expect(entryText).toContain(chunk);
    expect(entryText).not.toMatch(new RegExp(`import[^(]*["'][^"']*${chunk.replace('.', '\\.')}`));
  });
});
