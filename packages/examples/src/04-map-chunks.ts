/**
 * The map family on a typed pool. The tasks live in their own module
 * (`tasks.ts`), so this file needs no `isMainProcess()` guard, and
 * `Pool<typeof import('./tasks.js')>` checks names, arguments and results.
 *
 * Shows: `map` with `chunksize` and `onProgress`, `starmap` (one argument
 * tuple per item), `imap` over a lazy async source (results in input order,
 * the source is pulled as results are consumed), `imapUnordered`
 * (completion order) and `mapAsync` with a callback. The pool lives in an
 * `await using` block, which terminates it at the end, as Python's
 * `with Pool() as pool:`.
 */
import { Pool } from '@multiproc/node';

type Tasks = typeof import('./tasks.js');

async function* lines(): AsyncGenerator<string> {
  const text = ['the quick brown fox', 'jumps over', 'the lazy dog', '', 'multiproc for javascript'];
  for (const line of text) {
    await new Promise((resolve) => setTimeout(resolve, 5)); // as if read from a file
    yield line;
  }
}

{
  // `await using` terminates the pool when the block ends, as Python's `with Pool() as pool:`.
  await using pool = new Pool<Tasks>(new URL('./tasks.js', import.meta.url), { processes: 4 });
  const numbers = Array.from({ length: 10 }, (_, i) => i + 1);
  let progress = '';
  const squares = await pool.map('square', numbers, {
    chunksize: 3,
    onProgress: (done, total) => {
      if (done === total) progress = `${done}/${total}`;
    },
  });
  console.log(`map('square', 1..10, { chunksize: 3 }) -> [${squares.join(', ')}] (progress ${progress})`);

  const sums = await pool.starmap('add', [
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  console.log(`starmap('add', [[1, 2], [3, 4], [5, 6]]) -> [${sums.join(', ')}]`);

  console.log("imap('wordCount', lines()):");
  let n = 0;
  for await (const count of pool.imap('wordCount', lines())) {
    console.log(`  line ${++n}: ${count} word(s)`);
  }

  const unordered: number[] = [];
  for await (const value of pool.imapUnordered('square', numbers, { chunksize: 2 })) unordered.push(value);
  // Completion order varies from run to run; the set of results does not.
  const total = unordered.reduce((a, b) => a + b, 0);
  console.log(`imapUnordered('square', 1..10) -> ${unordered.length} results, sum ${total}`);

  const result = pool.mapAsync('square', [7, 8, 9], {
    callback: (values) => console.log(`mapAsync callback -> [${values.join(', ')}]`),
  });
  await result.wait();
  console.log(`mapAsync result.successful() -> ${result.successful()}`);
}
console.log('Pool terminated.');
