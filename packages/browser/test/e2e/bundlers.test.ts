/**
 * The webpack and esbuild recipes of docs/bundlers.md, checked for real: a
 * tiny consumer app (test/bundler-app) with a module-URL pool and a
 * worker-factory pool, bundled for production (minified) with each bundler's
 * own interface (webpack's Node API with the app's webpack.config.js,
 * esbuild's CLI with the guide's flags), served on loopback with COOP/COEP (and
 * once without) and opened in headless Debian Chromium. The page writes its results as JSON and
 * sets `data-state` on <body>; the test waits for that attribute, never for a
 * fixed time.
 */
import { execFile } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, type Browser } from '../support/launch.js';
import { serveStatic } from '../support/serve-static.js';

const appDir = fileURLToPath(new URL('../bundler-app/', import.meta.url));
// esbuild is a devDependency of this package, not of the app: run this package's binary in the app's folder.
const esbuildBin = fileURLToPath(new URL('../../node_modules/.bin/esbuild', import.meta.url));

interface Failure {
  isRangeError: boolean;
  isStateError: boolean;
  name: string;
  code: string | null;
  message: string;
}

interface AppResult {
  crossOriginIsolated: boolean;
  squares: number[];
  squareError: Failure | null;
  fibs: number[];
  worker: string;
  stateError: Failure | null;
  rangeError: Failure | null;
  /** With ?lib-task: currentProcess().name inside a module-URL task module that imports the library. */
  libTaskWorker?: string;
}

/** What both pools must give in every build. */
const expected: AppResult = {
  crossOriginIsolated: true,
  squares: [1, 4, 9, 16, 25, 36, 49, 64],
  // A built-in error thrown by a module-URL task arrives as its class.
  squareError: { isRangeError: true, isStateError: false, name: 'RangeError', code: null, message: '7 is too big' },
  fibs: [55, 6765, 75025],
  worker: expect.stringMatching(/^PoolWorker-\d+$/) as unknown as string,
  // Minified: the library's class is renamed, its name and class survive.
  stateError: { isRangeError: false, isStateError: true, name: 'StateError', code: 'MP_STATE', message: 'bad state' },
  rangeError: { isRangeError: true, isStateError: false, name: 'RangeError', code: null, message: '3 is out of range' },
};

let browser: Browser;

beforeAll(async () => {
  browser = await launch('chromium');
});

afterAll(async () => {
  await browser?.close();
});

/** Serves `dir` (with index.html copied in), opens it, waits for `data-state` and returns the page's result. */
async function openApp(dir: string, query = '', isolated = true): Promise<{ state: string; status: string; result: AppResult | null; console: string[] }> {
  await copyFile(appDir + 'index.html', dir + 'index.html');
  const server = await serveStatic(dir, { isolated });
  const page = await browser.open(server.url + query);
  try {
    // Each call resolves as soon as the page sets data-state, or with null after 5 s (launch.js
    // fails a call after 20 s): asked again until 60 s have passed, for a loaded machine.
    let state: unknown = null;
    for (const deadline = Date.now() + 60_000; state === null && Date.now() < deadline; ) {
      state = await page.evaluate(`new Promise((resolve) => {
        const check = () => document.body.dataset.state && (observer.disconnect(), clearTimeout(timer), resolve(document.body.dataset.state));
        const observer = new MutationObserver(check);
        const timer = setTimeout(() => (observer.disconnect(), resolve(null)), 5000);
        observer.observe(document.body, { attributes: true });
        check();
      })`);
    }
    const status = (await page.evaluate('document.getElementById("status").textContent')) as string;
    const text = (await page.evaluate('document.getElementById("result").value')) as string;
    return { state: String(state), status, result: text ? (JSON.parse(text) as AppResult) : null, console: page.console() };
  } finally {
    await page.close();
    await server.close();
  }
}

/** Runs webpack with the app's own webpack.config.js; resolves with the build's warnings. */
async function buildWithWebpack(): Promise<string[]> {
  const { default: config } = (await import(appDir + 'webpack.config.js')) as { default: webpack.Configuration };
  return new Promise((resolve, reject) => {
    webpack(config, (err, stats) => {
      if (err || !stats) return reject(err ?? new Error('webpack gave no stats'));
      const info = stats.toJson({ all: false, errors: true, warnings: true });
      if (stats.hasErrors()) return reject(new Error(`webpack failed:\n${info.errors?.map((e) => e.message).join('\n')}`));
      resolve((info.warnings ?? []).map((w) => w.message));
    });
  });
}

describe('a webpack 5 production build of a consumer app, in headless Chromium', () => {
  let warnings: string[];
  beforeAll(async () => {
    warnings = await buildWithWebpack();
  });

  it('builds without warnings: webpack leaves the worker import() of the task module to the browser', () => {
    expect(warnings).toEqual([]);
  });

  it('runs both pools, module URL and worker factory, and errors keep their class', async () => {
    const { state, status, result, console } = await openApp(appDir + 'dist/webpack/');
    expect({ state, status }, console.join('\n')).toEqual({ state: 'done', status: 'done' });
    expect(result).toEqual(expected);
  });

  it('served without COOP/COEP: the same, in a page that is not cross-origin isolated', async () => {
    const { state, status, result, console } = await openApp(appDir + 'dist/webpack/', '', false);
    expect({ state, status }, console.join('\n')).toEqual({ state: 'done', status: 'done' });
    expect(result).toEqual({ ...expected, crossOriginIsolated: false });
  });
});

/** The guide's esbuild command: the page, the task modules, the worker script and the adapter's worker entry, as entries. */
async function buildWithEsbuild(outdir: string, splitting: boolean): Promise<void> {
  const entries = ['src/main.js', 'src/tasks.js', 'src/tasks-lib.js', 'src/tasks.worker.js', 'entry/worker=node_modules/@multiproc/browser/dist/entry/worker.js'];
  const flags = ['--bundle', ...(splitting ? ['--splitting'] : []), '--format=esm', '--minify', `--outdir=${outdir}`, '--log-level=warning'];
  await promisify(execFile)(esbuildBin, [...entries, ...flags], { cwd: appDir });
}

describe('an esbuild bundle (--bundle --minify --format=esm) of the same app, in headless Chromium', () => {
  it('with --splitting: runs both pools, errors keep their class, and a task module that imports the library shares the worker\'s copy', async () => {
    await buildWithEsbuild('dist/esbuild', true);
    const { state, status, result, console } = await openApp(appDir + 'dist/esbuild/', '?lib-task');
    expect({ state, status }, console.join('\n')).toEqual({ state: 'done', status: 'done' });
    expect(result).toEqual({ ...expected, libTaskWorker: expect.stringMatching(/^PoolWorker-\d+$/) });
    // The same build served without COOP/COEP.
    const plain = await openApp(appDir + 'dist/esbuild/', '?lib-task', false);
    expect({ state: plain.state, status: plain.status }, plain.console.join('\n')).toEqual({ state: 'done', status: 'done' });
    expect(plain.result).toEqual({ ...expected, crossOriginIsolated: false, libTaskWorker: expect.stringMatching(/^PoolWorker-\d+$/) });
  });

  it('without --splitting: the pools still work, but a task module that imports the library gets a copy of its own', async () => {
    await buildWithEsbuild('dist/esbuild-separate', false);
    const { state, status, result, console } = await openApp(appDir + 'dist/esbuild-separate/', '?lib-task');
    expect({ state, status }, console.join('\n')).toEqual({ state: 'done', status: 'done' });
    // Its own copy of the library was never told it runs in a worker (docs/bundlers.md, esbuild).
    expect(result).toEqual({ ...expected, libTaskWorker: 'MainProcess' });
  });
});
