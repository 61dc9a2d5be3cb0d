/**
 * Two vitest projects: `chromium` runs the conformance suite and the
 * browser-only tests inside real headless Debian Chromium (vitest browser
 * mode, cross-origin isolated through COOP/COEP), `types` type-checks the
 * tests and the type tests, and `e2e` runs Node-side tests that build and
 * serve real pages (the Vite consumer app).
 * Firefox runs the same suite through test/page-runner (see package.json).
 */
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { chromiumArgs, chromiumPath } from './test/support/chromium.js';

const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  test: {
    projects: [
      {
        server: { headers: isolationHeaders },
        // Pre-bundled up front, so the dev server never reloads the page mid-run when a worker first imports it.
        optimizeDeps: { include: ['comlink'] },
        test: {
          name: 'chromium',
          include: ['test/**/*.browser.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            instances: [{ browser: 'chromium' }],
            provider: playwright({ launchOptions: { executablePath: chromiumPath(), args: chromiumArgs } }),
          },
        },
      },
      {
        test: {
          name: 'types',
          include: [],
          typecheck: { enabled: true, only: true, include: ['test/**/*.test-d.ts'], tsconfig: './test/tsconfig.json' },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
