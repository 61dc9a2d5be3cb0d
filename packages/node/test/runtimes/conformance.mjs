// The conformance suite without a test runner, for Bun and Deno (which run the
// built @multiproc/node unchanged): `bun conformance.mjs thread` or
// `deno run -A conformance.mjs process`. Prints every case and a closing
// `N passed, N failed, N skipped` line; exits 1 if any case failed.
import { runConformancePlain } from '@multiproc/core/conformance';
import { processAdapter, threadAdapter } from '@multiproc/node';

const context = (globalThis.Deno?.args ?? process.argv.slice(2))[0] ?? 'thread';
const only = (globalThis.Deno?.args ?? process.argv.slice(2)).slice(1);
const runtime = globalThis.Deno !== undefined ? 'deno' : globalThis.Bun !== undefined ? 'bun' : 'node';
const adapter = context === 'process' ? processAdapter : threadAdapter;
const report = await runConformancePlain({ name: `${runtime}:${context}`, createAdapter: () => adapter, ...(only.length > 0 ? { areas: only } : {}) });
for (const f of report.failures) console.log(`FAILED ${f.name}\n  ${f.error.split('\n').join('\n  ')}`);
process.exit(report.failed === 0 ? 0 : 1);
