// The synchronization areas on the in-memory adapter without Atomics.waitAsync,
// proving the polling fallback that runtimes lacking it use.
import { describe, it } from 'vitest';
import { runConformance, syncAreas } from '@multiproc/core/conformance';
import { memoryAdapter } from './memory-adapter.js';

runConformance({ name: 'memory (no waitAsync)', createAdapter: memoryAdapter, areas: syncAreas, waitAsync: false }, { describe, it });
