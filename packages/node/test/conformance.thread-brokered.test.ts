// The synchronization areas of the conformance suite on worker threads with the
// brokered backend forced: every primitive goes through the parent's broker, as
// on child processes, so both backends are proven on one runtime. (The other
// areas do not depend on the backend and run in conformance.thread.test.ts.)
import { describe, it } from 'vitest';
import { runConformance, syncAreas } from '@multiproc/core/conformance';
import { forceBrokeredSync, threadAdapter } from '@multiproc/node';

runConformance({ name: 'node:thread (brokered)', createAdapter: () => forceBrokeredSync(threadAdapter), areas: syncAreas }, { describe, it });
