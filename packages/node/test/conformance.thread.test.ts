import { describe, it } from 'vitest';
import { runConformance } from '@multiproc/core/conformance';
import { threadAdapter } from '@multiproc/node';

runConformance({ name: 'node:thread', createAdapter: () => threadAdapter }, { describe, it });
