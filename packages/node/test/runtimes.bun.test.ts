// The conformance suite under Bun (both contexts); see runtimes/conformance-under.ts.
import { conformanceUnder } from './runtimes/conformance-under.js';

conformanceUnder('bun');
