/**
 * The examples are tests too: each built example (dist/) runs as its own
 * process, as a user would run it, on Node, Bun and Deno, and its output is
 * checked (the same on all three). The
 * seed programs' sleeps are shortened with MULTIPROC_DEMO_SLEEP_MS. No
 * timing is asserted; interleaved worker output is checked as a multiset.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Run {
  status: number | null;
  lines: string[];
  stderr: string;
}

type Runtime = 'node' | 'bun' | 'deno';

/** Node, and Bun and Deno from npm (devDependencies), each run as a user runs it. */
function command(runtime: Runtime, path: string): [string, string[]] {
  if (runtime === 'node') return [process.execPath, [path]];
  const bin = fileURLToPath(new URL(`../node_modules/.bin/${runtime}`, import.meta.url));
  return runtime === 'deno' ? [bin, ['run', '-A', path]] : [bin, [path]];
}

/** Runs a built example with the command-line arguments `argv` (the new examples take sizes). */
function run(file: string, runtime: Runtime, argv: readonly string[] = []): Run {
  const path = fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
  if (!existsSync(path)) throw new Error(`${path} is missing: build the examples first (pnpm -s turbo run build)`);
  const [bin, args] = command(runtime, path);
  const r = spawnSync(bin, [...args, ...argv], {
    encoding: 'utf8',
    env: { ...process.env, MULTIPROC_DEMO_SLEEP_MS: '20', NO_COLOR: '1' },
    timeout: 50_000,
  });
  const lines = r.stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return { status: r.status, lines, stderr: r.stderr };
}

function count(lines: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}

/** Deterministic bytes that do not compress: SHA-256 in counter mode over a seed. */
function noise(seed: string, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; i * 32 < length; i++) blocks.push(createHash('sha256').update(`${seed}/${i}`).digest());
  return Buffer.concat(blocks).subarray(0, length);
}

/**
 * The tree 10-hash-compress runs on: files of varied sizes (empty to 1 MB;
 * text, zeros, noise) in nested folders, made in a temp dir. Returns what
 * `--list` must print, sorted by path as the example sorts them.
 */
function makeTree(root: string): { files: number; bytes: number; listing: string[] } {
  const files: [string, Buffer][] = [
    ['empty', Buffer.alloc(0)],
    ['one-byte', Buffer.from('x')],
    ['README.md', Buffer.from('# fixture\n\nA tree for the hash-compress example.\n')],
    ['notes with spaces.txt', Buffer.from('the quick brown fox jumps over the lazy dog\n'.repeat(500))],
    ['a/zeros.bin', Buffer.alloc(1_000_000)],
    ['a/noise.bin', noise('a', 300_007)],
    ['a/b/page-size.bin', noise('page', 4096)],
    ['a/b/c/deep.json', Buffer.from(JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ i, square: i * i }))))],
    ['a/b/c/d/e/leaf.txt', Buffer.from('leaf\n')],
    ['z/mixed.bin', Buffer.concat([noise('z', 65_536), Buffer.alloc(65_536, 7)])],
  ];
  for (const [rel, data] of files) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), data);
  }
  mkdirSync(join(root, 'empty-dir'));
  const listing = files.map(([rel, data]) => `${createHash('sha256').update(data).digest('hex')}  ${rel}`).sort((a, b) => {
    const [pa, pb] = [a.slice(66), b.slice(66)];
    return pa < pb ? -1 : pa > pb ? 1 : 0;
  });
  return { files: files.length, bytes: files.reduce((n, [, d]) => n + d.length, 0), listing };
}

let treeRoot = '';
let tree: ReturnType<typeof makeTree>;
beforeAll(() => {
  treeRoot = mkdtempSync(join(tmpdir(), 'multiproc-hash-compress-'));
  tree = makeTree(treeRoot);
});
afterAll(() => rmSync(treeRoot, { recursive: true, force: true }));

const helloLines = new Map(Array.from({ length: 10 }, (_, i) => [`hello ${i}`, 3] as const));

// The seed's pool program on a Redis context with two worker hosts, one command (issue 14): Node.
describe('node: Redis', () => {
  it('08-redis-hosts: the hello lines from hosts a and b, the results in order, both hosts used', () => {
    const r = run('08-redis-hosts.js', 'node');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const hosts = r.lines.filter((l) => /^hello \d \(host [ab]\)$/.test(l));
    expect(hosts.map((l) => l.slice(0, 7)).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `hello ${i}`));
    const rest = r.lines.filter((l) => !hosts.includes(l));
    expect(rest).toEqual([...Array.from({ length: 10 }, (_, i) => `done hello ${i}`), 'hosts used: a, b', 'Sub-process(es) done.']);
  });
});

// The same programs, with the same output, on Node, Bun and Deno (issue 13).
for (const runtime of ['node', 'bun', 'deno'] as const) {
  describe(runtime, () => {
    describe('seed programs', () => {
      it('01-process: hello three times, then "Sub-process done."', () => {
        const r = run('seed/01-process.js', runtime);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.lines).toEqual(['hello', 'hello', 'hello', 'Sub-process done.']);
      });

      it('02-pool: each "hello i" three times (interleaved), then "Sub-process(es) done."', () => {
        const r = run('seed/02-pool.js', runtime);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.lines).toHaveLength(31);
        expect(r.lines.at(-1)).toBe('Sub-process(es) done.');
        expect(count(r.lines.slice(0, 30))).toEqual(helloLines);
      });

      it('03-pool-results: the hello lines, then "done hello 0" … "done hello 9" in order, then "Sub-process(es) done."', () => {
        const r = run('seed/03-pool-results.js', runtime);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.lines).toHaveLength(41);
        expect(count(r.lines.slice(0, 30))).toEqual(helloLines);
        expect(r.lines.slice(30)).toEqual([...Array.from({ length: 10 }, (_, i) => `done hello ${i}`), 'Sub-process(es) done.']);
      });
    });

    describe('more examples', () => {
      it('04-map-chunks: map, starmap, imap, imapUnordered, mapAsync', () => {
        const r = run('04-map-chunks.js', runtime);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.lines).toEqual([
          "map('square', 1..10, { chunksize: 3 }) -> [1, 4, 9, 16, 25, 36, 49, 64, 81, 100] (progress 10/10)",
          "starmap('add', [[1, 2], [3, 4], [5, 6]]) -> [3, 7, 11]",
          "imap('wordCount', lines()):",
          '  line 1: 4 word(s)',
          '  line 2: 2 word(s)',
          '  line 3: 3 word(s)',
          '  line 4: 0 word(s)',
          '  line 5: 3 word(s)',
          "imapUnordered('square', 1..10) -> 10 results, sum 385",
          'mapAsync callback -> [49, 64, 81]',
          'mapAsync result.successful() -> true',
          'Pool terminated.',
        ]);
      });

      it('05-errors: task errors, WorkerExitedError, timeouts, aborts', () => {
        const r = run('05-errors.js', runtime);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.lines).toEqual([
          '1. task error: RangeError: cannot take the square root of -4 (instanceof RangeError: true)',
          '2. worker died: WorkerExitedError (MP_WORKER_EXITED), exitCode 3, task "crash"',
          '   the pool replaced it: square(7) -> 49',
          '3. task timeout: TimeoutError (MP_TIMEOUT)',
          '4. get({ timeout: 10 }): TimeoutError, ready() -> false',
          '   later get() -> slept 200 ms',
          '5. aborted: AbortError, cause "user pressed cancel"',
          '6. map with a bad item: RangeError: cannot take the square root of -9',
          '   imap keeps going: [1, 2, <RangeError>, 4]',
          'Pool terminated.',
        ]);
      });

      it('06-process-lifecycle: exit codes, initializer, maxTasksPerChild', () => {
        const r = run('06-process-lifecycle.js', runtime);
        expect(r.status).toBe(0);
        // Python prints "Process <name>:" and the traceback on the failing child's stderr.
        expect(r.stderr).toMatch(/^Process Worker-fail:\nError: something went wrong in the child\n/);
        expect(r.lines).toEqual([
          'ok: running in Worker-ok',
          'three: running in Worker-three',
          'Worker-ok exitCode 0; Worker-three exitCode 3',
          'Worker-fail exitCode 1 (its stack went to stderr)',
          'Worker-sleeper isAlive() true',
          'Worker-sleeper after terminate(): isAlive() false, exitCode -15',
          'bonjour, ada (from a pool worker, parent MainProcess)',
          'bonjour, alan (from a pool worker, parent MainProcess)',
          'bonjour, grace (from a pool worker, parent MainProcess)',
          'bonjour, linus (from a pool worker, parent MainProcess)',
          '4 tasks ran in 4 different workers (maxTasksPerChild: 1)',
          'back in MainProcess',
        ]);
      });

      it('07-futures-progress: a progress bar step per finished future, results in submission order, map in input order, a cancelled future', () => {
        const r = run('07-futures-progress.js', runtime);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.lines).toEqual([
          'submitted 8 futures to 4 workers',
          '[###.................] 1/8',
          '[#####...............] 2/8',
          '[########............] 3/8',
          '[##########..........] 4/8',
          '[#############.......] 5/8',
          '[###############.....] 6/8',
          '[##################..] 7/8',
          '[####################] 8/8',
          'results in submission order: slept 120 ms, slept 30 ms, slept 90 ms, slept 10 ms, slept 60 ms, slept 150 ms, slept 20 ms, slept 80 ms',
          "map('square', 1..5) in input order -> 1, 4, 9, 16, 25",
          'cancel() of a queued future -> true; result() -> CancelledError',
          'Executor shut down: every submitted future is done.',
        ]);
      });
    });

    describe('new examples (issue 15)', () => {
      it('09-bounded-search: the word found on 1 and on 2 workers; the ranges after it never started', () => {
        const r = run('09-bounded-search.js', runtime, ['--secret', 'hunt', '--workers', '2', '--ranges', '64']);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.lines.slice(0, 3)).toEqual([
          `target SHA-256: ${createHash('sha256').update('hunt').digest('hex')}`,
          'keyspace: 456,976 words of 4 lowercase letters, in 64 ranges of up to 7,141',
          '1 worker:',
        ]);
        expect(r.lines).toContain('2 workers:');
        // hunt = h(7)·26³ + u(20)·26² + n(13)·26 + t(19) = 136,909, in range ⌊136,909 / 7,141⌋ + 1 = 20.
        expect(r.lines.filter((l) => l.startsWith('  found '))).toEqual(Array(2).fill('  found "hunt" at key 136,909 (range 20 of 64)'));
        const tallies = r.lines.flatMap((l) => {
          const m = /^ {2}ranges: (\d+) of 64 started \((\d+) ran to the end or found it, (\d+) stopped early\), (\d+) never started$/.exec(l);
          return m === null ? [] : [m.slice(1).map(Number)];
        });
        expect(tallies).toHaveLength(2);
        for (const [started = 0, finished = 0, stopped = 0, never = 0] of tallies) {
          // The abort stopped the search: the ranges after the answer's (and a worker's next) never started.
          expect(started).toBeLessThan(64);
          expect(never).toBeGreaterThan(0);
          expect(finished + stopped).toBe(started);
          expect(started + never).toBe(64);
          expect(finished).toBeGreaterThanOrEqual(1);
        }
        expect(r.lines.filter((l) => /^ {2}[\d,]+ words hashed in \d+\.\d\d s \([\d,]+ words\/s\)$/.test(l))).toHaveLength(2);
        expect(r.lines.at(-1)).toMatch(/^speedup over one worker: \d+\.\dx$/);
      });

      it('10-hash-compress: every file of a temp tree counted once, its SHA-256 as node:crypto computes it, the three runs agreeing', () => {
        const r = run('10-hash-compress.js', runtime, [treeRoot, '--workers', '2', '--quality', '4', '--list']);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        const fmt = (n: number): string => n.toLocaleString('en-US');
        expect(r.lines[0]).toBe(`${tree.files} files, ${fmt(tree.bytes)} bytes under ${treeRoot}; gzip and brotli (quality 4)`);
        // Each run: its heading, then progress lines ending at every file.
        for (const heading of ['main thread:', '1 worker:', '2 workers:']) {
          const at = r.lines.indexOf(heading);
          expect(at).toBeGreaterThan(0);
          const after = r.lines.slice(at + 1);
          const steps = after.slice(0, after.findIndex((l) => !l.startsWith('  processed ')));
          expect(steps.at(-1)).toBe(`  processed ${tree.files}/${tree.files} files`);
        }
        const listing = r.lines.filter((l) => /^[0-9a-f]{64} {2}/.test(l));
        expect(listing).toEqual(tree.listing);
        expect(r.lines).toContain(`files: ${tree.files}; the 3 runs agree on every digest and size`);
        const sizes = r.lines.find((l) => l.startsWith('bytes in: '));
        expect(sizes).toMatch(new RegExp(`^bytes in: ${fmt(tree.bytes)}; gzip out: [\\d,]+ \\(\\d+\\.\\d%\\); brotli out: [\\d,]+ \\(\\d+\\.\\d%\\)$`));
        const digest = createHash('sha256').update(tree.listing.map((l) => `${l}\n`).join('')).digest('hex');
        expect(r.lines).toContain(`tree digest (SHA-256 of the sorted sha256sum lines): ${digest}`);
        expect(r.lines.at(-1)).toMatch(/^speedup of 2 workers: \d+\.\dx over one worker, \d+\.\dx over the main thread$/);
      });

      it('11-producer-consumer: the counter equals the items put, each item processed once, every process exits 0 after the stop event', () => {
        const r = run('11-producer-consumer.js', runtime, ['--producers', '3', '--consumers', '4', '--items', '200', '--maxsize', '16']);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        const consumers = r.lines.filter((l) => l.startsWith('Consumer-'));
        const rest = r.lines.filter((l) => !l.startsWith('Consumer-'));
        expect(rest).toEqual([
          '3 producers x 200 items, 4 consumers, queue maxsize 16',
          'producers done: Producer-1 exitCode 0, Producer-2 exitCode 0, Producer-3 exitCode 0',
          'queue joined: every item was marked done',
          'consumers exited: Consumer-1 exitCode 0, Consumer-2 exitCode 0, Consumer-3 exitCode 0, Consumer-4 exitCode 0',
          'counter: 600 (expected 600)',
          'every item processed exactly once (600 flags set to 1)',
        ]);
        // Each consumer says how many it took, after the queue was joined and before the consumers' exit line.
        expect(r.lines.indexOf(consumers[0] ?? '')).toBeGreaterThan(r.lines.indexOf('queue joined: every item was marked done'));
        expect(r.lines.indexOf(consumers.at(-1) ?? '')).toBeLessThan(r.lines.findIndex((l) => l.startsWith('consumers exited: ')));
        const taken = consumers.map((l) => /^Consumer-(\d): processed (\d+) items, saw the stop event, exiting$/.exec(l));
        expect(taken.map((m) => m?.[1]).sort()).toEqual(['1', '2', '3', '4']);
        expect(taken.reduce((n, m) => n + Number(m?.[2]), 0)).toBe(600);
      });
    });

    describe('demo', () => {
      it('runs every example and exits 0', () => {
        const r = run('demo.js', runtime);
        expect(r.status).toBe(0);
        const headers = r.lines.filter((l) => l.startsWith('=== '));
        expect(headers.map((h) => h.slice(4, h.indexOf(':')))).toEqual([
          'seed/01-process.js',
          'seed/02-pool.js',
          'seed/03-pool-results.js',
          '04-map-chunks.js',
          '05-errors.js',
          '06-process-lifecycle.js',
          '07-futures-progress.js',
          '09-bounded-search.js',
          '10-hash-compress.js',
          '11-producer-consumer.js',
        ]);
        expect(r.lines.at(-1)).toBe('All 10 examples ran.');
      });
    });
  });
}
