import { describe, it } from 'vitest';
import { browserCases } from './browser-cases.js';

describe('browser adapter', () => {
  for (const c of browserCases()) it(c.name, () => c.run());
});
