import { describe, it } from 'vitest';
import { runConformance } from '@multiproc/core/conformance';
import { processAdapter } from '@multiproc/node';

runConformance({ name: 'node:process', createAdapter: () => processAdapter }, { describe, it });
