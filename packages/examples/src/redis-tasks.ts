/**
 * The task module the Redis example's worker hosts serve (module id `seed`):
 * the seed's `func`, which also says which host ran it.
 */
// At least 100 ms, so each host (two jobs at a time) has work while the other takes the rest.
const sleepMs = Math.max(100, Number(process.env.MULTIPROC_DEMO_SLEEP_MS ?? 1000) || 0);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function func(msg: string): Promise<{ line: string; host: string }> {
  const host = process.env.HOST_NAME ?? String(process.pid);
  console.log(`${msg} (host ${host})`);
  await sleep(sleepMs);
  return { line: `done ${msg}`, host };
}
