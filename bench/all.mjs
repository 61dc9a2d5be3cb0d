// `npm run bench`: the Node bench (run.js, every argument passed on), then the browser bench
// (browser/run.mjs, Chromium; --quick passed on) unless the run was narrowed (--only, --pools,
// --out, --help) or --no-browser is given. Exits with the first failure's code.
//
//   node all.mjs [--quick] [--no-browser] [run.js's arguments]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const node = (script, argv) => spawnSync(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), ...argv], { stdio: 'inherit' }).status ?? 1;

const narrowed = args.some((a) => /^(--only|--pools|--out|--help|-h)(=|$)/.test(a));
const status = node('./run.js', args.filter((a) => a !== '--no-browser'));
if (status !== 0 || narrowed || args.includes('--no-browser')) process.exit(status);
process.exit(node('./browser/run.mjs', args.includes('--quick') ? ['--quick'] : []));
