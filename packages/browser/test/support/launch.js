/**
 * Starts a headless browser from Debian's packages and opens pages in it,
 * behind one small interface: Chromium through playwright-core (with the
 * no-network flags), Firefox ESR through puppeteer-core over WebDriver BiDi
 * (playwright cannot drive a stock Firefox, and there is no geckodriver
 * package: TOOLING.md §9), with prefs that keep it off the network.
 */
import { chromiumArgs, chromiumPath } from './chromium.js';

const firefoxPrefs = {
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'app.update.enabled': false,
  'extensions.update.enabled': false,
  'toolkit.telemetry.enabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'remote-settings.server': 'http://127.0.0.1:1/',
};

/**
 * @typedef {object} OpenPage
 * @property {(fn: string) => Promise<unknown>} evaluate evaluates an expression in the page
 * @property {(path: string) => Promise<void>} screenshot
 * @property {() => string[]} console what the page logged so far (console messages and uncaught errors)
 * @property {() => Promise<void>} close
 *
 * @typedef {object} Browser
 * @property {string} name `chromium` or `firefox`
 * @property {string} version
 * @property {(url: string) => Promise<OpenPage>} open
 * @property {() => Promise<void>} close
 */

/** Page calls have no timeout of their own: a stuck page must fail the test, not hang it. */
const CALL_LIMIT_MS = 20_000;

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {string} what
 * @returns {Promise<T>}
 */
function bounded(promise, what) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the browser did not answer within ${CALL_LIMIT_MS} ms: ${what}`)), CALL_LIMIT_MS);
  });
  return /** @type {Promise<T>} */ (Promise.race([promise, limit]).finally(() => clearTimeout(timer)));
}

/**
 * @param {'chromium' | 'firefox'} kind
 * @returns {Promise<Browser>}
 */
export async function launch(kind) {
  if (kind === 'firefox') {
    const { default: puppeteer } = await import('puppeteer-core');
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
      headless: true,
      extraPrefsFirefox: firefoxPrefs,
    });
    const version = (await browser.version()).replace(/^firefox\//i, '');
    return {
      name: 'firefox',
      version,
      async open(url) {
        const page = await browser.newPage();
        /** @type {string[]} */
        const logged = [];
        page.on('console', (m) => void logged.push(`${m.type()}: ${m.text()}`));
        page.on('pageerror', (err) => {
          logged.push(`uncaught: ${err.message}`);
          console.log(`[browser log] uncaught in the page or a worker: ${err.message}`);
        });
        await page.goto(url);
        return {
          evaluate: (expr) => bounded(page.evaluate(expr), `evaluate ${expr}`),
          screenshot: async (path) => void (await page.screenshot({ path })),
          console: () => logged,
          close: () => page.close(),
        };
      },
      close: () => browser.close(),
    };
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs, headless: true });
  return {
    name: 'chromium',
    version: browser.version(),
    async open(url) {
      const page = await browser.newPage();
      /** @type {string[]} */
      const logged = [];
      page.on('console', (m) => void logged.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (err) => {
        logged.push(`uncaught: ${err.message}`);
        console.log(`[browser log] uncaught in the page or a worker: ${err.message}`);
      });
      await page.goto(url);
      return {
        evaluate: (expr) => bounded(page.evaluate(expr), `evaluate ${expr}`),
        screenshot: async (path) => void (await page.screenshot({ path })),
        console: () => logged,
        close: () => page.close(),
      };
    },
    close: () => browser.close(),
  };
}
