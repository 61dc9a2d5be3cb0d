// A typedoc plugin for `npm run docs`: names each module of the API reference
// by the specifier users import it with (`@multiproc/core/conformance`)
// instead of its path (`core/dist/conformance`), which typedoc derives from
// the entry point's location, and puts each package's README.md under its
// main module, so the root README's links to them land on a rendered page.
// The entry points are the published packages' built declarations, the same
// list the docs check reads; one missing from typedoc.json is an error.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Converter, MinimalSourceFile, ReflectionKind } from 'typedoc';
import { publishedEntryPoints } from './docs-check/tsdoc-examples.mjs';

/** @param {import('typedoc').Application} app */
export function load(app) {
  const entries = new Map(publishedEntryPoints(process.cwd()).map((e) => [e.file, e]));
  app.converter.on(Converter.EVENT_BEGIN, () => {
    const configured = new Set(app.options.getValue('entryPoints').map((p) => resolve(p)));
    for (const { specifier, file } of entries.values()) {
      if (!configured.has(file)) app.logger.error(`typedoc.json's entryPoints miss ${specifier} (${file})`);
    }
  });
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const file = context.getSymbolFromReflection(reflection)?.declarations?.[0]?.getSourceFile().fileName;
    const entry = file === undefined ? undefined : entries.get(file);
    if (entry === undefined) return;
    reflection.name = entry.specifier;
    if (entry.key === '.') {
      const readme = resolve(entry.packageDir, 'README.md');
      app.converter.addDocument(reflection, new MinimalSourceFile(readFileSync(readme, 'utf8'), readme), 'README');
    }
  });
}
