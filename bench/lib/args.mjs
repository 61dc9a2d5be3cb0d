// Command-line arguments of bench/run.js.

export const USAGE = `usage: node run.js [--quick] [--reps N] [--timeout S] [--only W1,W2,...|limits|primitives] [--pools id,id] [--out FILE] [--no-report]
  --quick      fewer items and 1 repetition (under a minute); every result is still checked
  --reps N     repetitions (default 3; --quick: 1)
  --timeout S  seconds allowed per measured run (default 120)
  --only LIST  run only these sections: workload ids (W1..W6), 'limits', 'primitives'
  --pools LIST run only these pools (ids as printed); multiproc is always included
  --out FILE   where the JSON goes (default results/latest.json; --quick: results/quick.json)
  --no-report  do not regenerate docs/benchmarks.md after a full run`;

/** Parses argv into options; throws on anything unknown. */
export function parseArgs(argv) {
  const opts = { quick: false, reps: undefined, timeout: 120, only: null, pools: null, out: null, report: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? a.split(/=(.*)/s, 2) : [a, undefined];
    const value = () => inline ?? argv[++i];
    const int = () => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got ${v}`);
      return n;
    };
    if (flag === '--quick') opts.quick = true;
    else if (flag === '--reps') opts.reps = int();
    else if (flag === '--timeout') opts.timeout = int();
    else if (flag === '--only') opts.only = value().split(',');
    else if (flag === '--pools') opts.pools = value().split(',');
    else if (flag === '--out') opts.out = value();
    else if (flag === '--no-report') opts.report = false;
    else if (flag === '--help' || flag === '-h') opts.help = true;
    else throw new Error(`unknown argument ${a} (try --help)`);
  }
  opts.reps ??= opts.quick ? 1 : 3;
  return opts;
}
