/**
 * How every test here launches Debian's Chromium: its path (CHROMIUM_PATH or
 * /usr/bin/chromium) and the flags that keep it off the network. Playwright's
 * own flags still let Debian's Chromium resolve Google hosts; mapping every
 * host but loopback to NOTFOUND stops that (TOOLING.md §5).
 */

/** @returns {string} */
export function chromiumPath() {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-default-apps',
  '--disable-extensions',
  '--metrics-recording-only',
  '--no-default-browser-check',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
];
