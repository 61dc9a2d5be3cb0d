// Which public exports of the published packages lack TSDoc with an `@example`.
// "Public" means what a user can import: every entry point in a published
// (non-private) package.json `exports` that has a `types` condition, read from
// the built declarations, so `@internal` exports (stripped from the .d.ts) are
// left out and re-exports (`export *` from core) resolve to the declaration
// users actually see. Needs the packages built (`pnpm turbo run build`).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** The `types` files of every published package's `exports`: `{ specifier, key, packageDir, file }[]`. */
export function publishedEntryPoints(root) {
  const out = [];
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const manifest = join(root, 'packages', dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    if (pkg.private) continue;
    for (const [key, target] of Object.entries(pkg.exports ?? {})) {
      // Plain string targets (`./bin`, `./package.json`, fixture globs) carry no types.
      if (typeof target !== 'object' || typeof target.types !== 'string') continue;
      const packageDir = join(root, 'packages', dir);
      out.push({ specifier: pkg.name + key.slice(1), key, packageDir, file: resolve(packageDir, target.types) });
    }
  }
  return out;
}

/** True when one of the symbol's declarations has a doc comment with an `@example` tag. */
function hasExample(declarations) {
  return declarations.some((d) => ts.getJSDocTags(d).some((t) => t.tagName.text === 'example'));
}

/**
 * Every exported name of the entry points whose declaration has no `@example`,
 * one record per declaration: `{ name, where, exportedBy: string[] }`, where
 * `where` is the source file (the .d.ts mapped back to src/ when it exists).
 */
export function missingExamples(root, entries) {
  const program = ts.createProgram(
    entries.map((e) => e.file),
    // Only symbols are needed, not diagnostics, so the options need only resolve imports the way users do.
    { noEmit: true, skipLibCheck: true, types: [], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext },
  );
  const checker = program.getTypeChecker();
  const missing = new Map();
  for (const { specifier, file } of entries) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`${specifier}: ${relative(root, file)} is missing; build the packages first`);
    // An unresolved `export * from '@multiproc/core'` would silently export nothing: refuse instead.
    // (Diagnostics would not say: skipLibCheck leaves .d.ts files unchecked, and the types are not needed.)
    for (const statement of source.statements) {
      const from = ts.isExportDeclaration(statement) ? statement.moduleSpecifier : undefined;
      if (from !== undefined && checker.getSymbolAtLocation(from) === undefined) throw new Error(`${specifier}: Cannot find module ${from.getText(source)}`);
    }
    const module = checker.getSymbolAtLocation(source);
    for (const exported of module ? checker.getExportsOfModule(module) : []) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declarations = symbol.declarations ?? [];
      if (hasExample(declarations)) continue;
      const declared = declarations[0]?.getSourceFile().fileName ?? file;
      const key = `${exported.name}\0${declared}`;
      const record = missing.get(key) ?? { name: exported.name, where: sourceOf(root, declared), exportedBy: [] };
      record.exportedBy.push(specifier);
      missing.set(key, record);
    }
  }
  return [...missing.values()].sort((a, b) => a.where.localeCompare(b.where) || a.name.localeCompare(b.name));
}

/** `packages/x/dist/a/b.d.ts` → `packages/x/src/a/b.ts` when that file exists: where a fix goes. */
function sourceOf(root, declarationFile) {
  const src = declarationFile.replace(/\/dist\/(.*)\.d\.ts$/, '/src/$1.ts');
  return relative(root, existsSync(src) ? src : declarationFile);
}

/** Convenience for the CLI: the project root's missing examples. */
export function checkExamples(root) {
  return missingExamples(root, publishedEntryPoints(root));
}
