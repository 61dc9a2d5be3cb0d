import { describe, it } from 'vitest';
import { runConformance } from '@multiproc/core/conformance';
import { browserAdapter } from '@multiproc/browser';

// The browser's name goes into every test name, so the report says which browser ran.
const name = `browser:${navigator.userAgent.includes('Firefox/') ? 'firefox' : 'chromium'}`;

runConformance({ name, createAdapter: () => browserAdapter }, { describe, it });
