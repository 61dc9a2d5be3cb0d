/**
 * The published declarations compile in a plain Node project: no DOM lib,
 * `skipLibCheck: false` (issue #9, defect 15). test/no-dom is such a project;
 * it imports @multiproc/node, @multiproc/core and its conformance entry.
 * And they show no internals: every `_member` is tagged `@internal` and the
 * build strips it (`stripInternal`, issue #10).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const project = fileURLToPath(new URL('./no-dom/tsconfig.json', import.meta.url));

/** `file: Class.member` for every class member whose name starts with `_` in a folder's .d.ts files. */
function underscoreMembers(dist: string): string[] {
  const found: string[] = [];
  for (const rel of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
    if (!rel.endsWith('.d.ts')) continue;
    const source = ts.createSourceFile(rel, readFileSync(join(dist, rel), 'utf8'), ts.ScriptTarget.Latest);
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node)) {
        for (const member of node.members) {
          const name = member.name !== undefined && !ts.isComputedPropertyName(member.name) ? member.name.getText(source) : '';
          if (name.startsWith('_')) found.push(`${rel}: ${node.name?.text ?? '(anonymous)'}.${name}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('published declarations', () => {
  it('compile with lib ES2022, types node and skipLibCheck false', async () => {
    const result = await run(process.execPath, [tsc, '-p', project], { timeout: 120_000 }).then(
      () => ({ code: 0, output: '' }),
      (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: err.code ?? 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
    );
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 150_000);

  it('declare no class member whose name starts with _ (core and node dist)', () => {
    const coreDist = join(dirname(createRequire(import.meta.url).resolve('@multiproc/core/package.json')), 'dist');
    const nodeDist = fileURLToPath(new URL('../dist', import.meta.url));
    const declarationFiles = (dist: string) => readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.d.ts')).length;
    expect(declarationFiles(coreDist)).toBeGreaterThan(10);
    expect(declarationFiles(nodeDist)).toBeGreaterThan(0);
    expect([...underscoreMembers(coreDist), ...underscoreMembers(nodeDist)]).toEqual([]);
  });
});
