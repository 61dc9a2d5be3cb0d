// The conformance suite under Deno (both contexts); see runtimes/conformance-under.ts.
import { conformanceUnder } from './runtimes/conformance-under.js';

conformanceUnder('deno');
