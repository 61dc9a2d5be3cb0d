// The conformance suite on worker threads with the brokered backend forced:
// every primitive goes through the parent's broker, as on child processes,
// so both backends are proven on one runtime.
import { describe, it } from 'vitest';
import { runConformance } from '@multiproc/core/conformance';
import { forceBrokeredSync, threadAdapter } from '@multiproc/node';

runConformance({ name: 'node:thread (brokered)', createAdapter: () => forceBrokeredSync(threadAdapter) }, { describe, it });
