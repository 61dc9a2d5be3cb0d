import { describe, it } from 'vitest';
import { runConformance } from '@multiproc/core/conformance';
import { memoryAdapter } from './memory-adapter.js';

runConformance({ name: 'memory', createAdapter: memoryAdapter }, { describe, it });
