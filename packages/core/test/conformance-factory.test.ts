// The conformance suite's factory case builds two adapters from the factory it
// is given and checks that they do not share state. Here it is run against a
// factory whose adapters do share some (one pid counter per adapter, so two
// adapters hand out the same pids): the case must fail for it, and pass for
// the memory adapter's own factory.
import { describe, expect, it } from 'vitest';
import type { RuntimeAdapter } from '@multiproc/core';
import { conformanceCases } from '@multiproc/core/conformance';
import { memoryAdapter } from './memory-adapter.js';

/** Memory adapters whose pids come from a counter each adapter starts afresh: a second adapter reuses the first one's pids. */
function collidingPids(): RuntimeAdapter {
  const inner = memoryAdapter();
  let nextPid = 1;
  return { ...inner, spawn: (options, sink) => ({ ...inner.spawn(options, sink), pid: nextPid++ }) };
}

function factoryCase(createAdapter: () => RuntimeAdapter) {
  const cases = conformanceCases({ name: 'factory check', createAdapter, areas: ['Adapter factory'] });
  expect(cases.length).toBe(1);
  return cases[0];
}

describe('the conformance factory case', () => {
  it('passes for a factory of independent adapters', async () => {
    await factoryCase(memoryAdapter).run();
  });

  it('fails for a factory whose adapters share state', async () => {
    await expect(factoryCase(collidingPids).run()).rejects.toThrow(/distinct pids/);
  });
});
