// Broken relative links in the repository's markdown: a link to a file or
// folder that does not exist, or a `#anchor` that matches no heading of the
// target (slugs made the way GitHub makes them, so what passes here works
// when the file is read on GitHub or npm). Links with a scheme (https:,
// mailto:) are not followed: the check runs offline.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

/** Markdown lines with fenced code blocks blanked out (line numbers kept), since `#` and `[x](y)` in code are not markdown. */
function withoutFences(text) {
  let fence = null;
  return text.split('\n').map((line) => {
    const open = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null && open) {
      fence = open[1];
      return '';
    }
    if (fence !== null) {
      if (line.trim().startsWith(fence)) fence = null;
      return '';
    }
    return line;
  });
}

/**
 * GitHub's heading slug: the rendered text lower-cased, everything but
 * letters, digits, spaces, `-` and `_` dropped, spaces made `-`.
 */
export function slug(heading) {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link or image shows its text
    .replace(/<[^>]+>/g, '') // inline HTML shows nothing of its tags
    // Code spans show their text as written; outside them _emphasis_ loses its marks (snake_case keeps them).
    .split(/(`+[^`]*`+)/)
    .map((part, i) => (i % 2 === 1 ? part.replace(/`/g, '') : part.replace(/(^|[^\p{L}\p{N}])_+([^_]+?)_+(?=[^\p{L}\p{N}]|$)/gu, '$1$2')))
    .join('');
  return text.trim().toLowerCase().replace(/[^\p{L}\p{N}\p{M} _-]/gu, '').replace(/ /g, '-');
}

/** The anchors a markdown file defines: its headings' slugs (repeats get -1, -2…) and explicit `id`/`name` attributes. */
export function anchors(text) {
  const seen = new Map();
  const out = new Set();
  const lines = withoutFences(text);
  lines.forEach((line, i) => {
    let heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+\s*)?$/.exec(line)?.[1];
    if (heading === undefined && /^\s{0,3}(=+|-+)\s*$/.test(lines[i + 1] ?? '') && line.trim() !== '') heading = line.trim();
    if (heading !== undefined) {
      const base = slug(heading);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      out.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/\b(?:id|name)\s*=\s*["']([^"']+)["']/g)) out.add(m[1]);
  });
  return out;
}

/** The link targets of a markdown file with their line numbers: inline `[x](target)`, images, and `[x]: target` definitions. */
export function links(text) {
  const out = [];
  withoutFences(text).forEach((raw, i) => {
    // Brackets inside code spans are not links.
    const line = raw.replace(/`+[^`]*`+/g, (code) => code.replace(/[[\]()]/g, ' '));
    for (const m of line.matchAll(/\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ target: m[1], line: i + 1 });
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(line);
    if (definition) out.push({ target: definition[1], line: i + 1 });
  });
  return out;
}

/** Every broken relative link in the given markdown files: `{ file, line, target, reason }[]`, paths relative to root. */
export function brokenLinks(root, files) {
  const anchorCache = new Map();
  const anchorsOf = (path) => {
    if (!anchorCache.has(path)) anchorCache.set(path, anchors(readFileSync(path, 'utf8')));
    return anchorCache.get(path);
  };
  const broken = [];
  for (const file of files) {
    for (const { target, line } of links(readFileSync(file, 'utf8'))) {
      if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
      const hash = target.indexOf('#');
      const pathPart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
      const anchor = hash === -1 ? null : decodeURIComponent(target.slice(hash + 1));
      const path = pathPart === '' ? file : resolve(pathPart.startsWith('/') ? root : dirname(file), pathPart.replace(/^\//, ''));
      const where = { file: relative(root, file), line, target };
      if (!existsSync(path)) {
        broken.push({ ...where, reason: `no such file: ${relative(root, path)}` });
      } else if (anchor !== null && /\.md$/i.test(path) && statSync(path).isFile() && !anchorsOf(path).has(anchor)) {
        broken.push({ ...where, reason: `no heading with anchor #${anchor} in ${relative(root, path)}` });
      }
    }
  }
  return broken;
}
