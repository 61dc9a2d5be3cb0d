/**
 * The published declarations compile in a plain Node project: no DOM lib,
 * `skipLibCheck: false` (issue #9, defect 15). test/no-dom is such a project;
 * it imports @multiproc/node, @multiproc/core and its conformance entry.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const project = fileURLToPath(new URL('./no-dom/tsconfig.json', import.meta.url));

describe('published declarations', () => {
  it('compile with lib ES2022, types node and skipLibCheck false', async () => {
    const result = await run(process.execPath, [tsc, '-p', project], { timeout: 120_000 }).then(
      () => ({ code: 0, output: '' }),
      (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: err.code ?? 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
    );
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 150_000);
});
