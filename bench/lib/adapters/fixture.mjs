// Paths of the worker files in bench/fixtures, and the hand-chunked map every anchor uses for W6c.

/** URL of a file in bench/fixtures. */
export const fixtureUrl = (name) => new URL(`../../fixtures/${name}`, import.meta.url);

/** Absolute path of a file in bench/fixtures. */
export const fixturePath = (name) => fixtureUrl(name).pathname;

/** An ordered map done by hand: one task per chunk of `size` items, results concatenated. */
export async function handChunked(xs, size, runChunk) {
  const runs = [];
  for (let i = 0; i < xs.length; i += size) runs.push(runChunk(xs.slice(i, i + size)));
  return (await Promise.all(runs)).flat();
}
