/**
 * The documentation's relative links lead somewhere: every link and image in README.md and docs/*.md that is not a
 * web address names a file that exists, and an `#anchor` names a heading of the linked Markdown file (GitHub's
 * heading ids). Section names written in italics are prose, not links, and are not checked.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');

/** The Markdown without fenced code blocks and inline code, whose brackets are not links. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's id for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2… */
function headingIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  const withoutCode = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const [, text] of withoutCode.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = text
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  return ids;
}

/** Each broken relative link of one Markdown file, as "file: target (why)". */
function brokenLinks(file: string): string[] {
  const broken: string[] = [];
  const text = prose(readFileSync(file, 'utf8'));
  for (const [, target] of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const hash = target.indexOf('#');
    const linkPath = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
    const anchor = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
    const resolved = linkPath === '' ? file : path.resolve(path.dirname(file), linkPath);
    const name = `${path.relative(ROOT, file)}: ${target}`;
    if (!existsSync(resolved)) {
      broken.push(`${name} (no such file)`);
    } else if (anchor !== null) {
      if (!resolved.endsWith('.md')) broken.push(`${name} (an anchor into a file that is not Markdown)`);
      else if (!headingIds(readFileSync(resolved, 'utf8')).has(anchor)) broken.push(`${name} (no such heading)`);
    }
  }
  return broken;
}

/** README.md and the Markdown files of docs/. */
function documentation(root: string): string[] {
  const docs = path.join(root, 'docs');
  const inDocs = existsSync(docs) ? readdirSync(docs).filter((f) => f.endsWith('.md')).map((f) => path.join(docs, f)) : [];
  return [path.join(root, 'README.md'), ...inDocs];
}

describe('the documentation links', () => {
  it('finds every link of README.md and docs/*.md, and each leads to a file and heading that exist', () => {
    const files = documentation(ROOT);
    expect(files.length).toBeGreaterThan(1);
    expect(files.flatMap(brokenLinks)).toEqual([]);
  });

  it('links the README to every docs page, and every docs page back', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const file of documentation(ROOT).slice(1)) {
      expect(readme, `README.md links ${path.basename(file)}`).toContain(`](docs/${path.basename(file)})`);
    }
  });

  it('reports a missing file, a missing heading and a same-file anchor, and ignores code and web links', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'docs-links-'));
    mkdirSync(path.join(dir, 'docs'));
    writeFileSync(path.join(dir, 'docs', 'a.md'), '# A page\n\n## Set-up: two `commands` (here)\n\n## Set-up: two commands (here)\n');
    const readme = path.join(dir, 'README.md');
    writeFileSync(
      readme,
      [
        '# Title',
        '[fine](docs/a.md) [fine](docs/a.md#set-up-two-commands-here) [repeat](docs/a.md#set-up-two-commands-here-1)',
        '[gone](docs/b.md) [no heading](docs/a.md#measured) [self](#title) [self, wrong](#nothing)',
        '[web](https://example.com/x.md) `[code](docs/none.md)` ![image](docs/a.md)',
        '```',
        '[in a block](docs/none.md)',
        '```',
      ].join('\n'),
    );
    expect(brokenLinks(readme).map((b) => b.replace(/^.*?: /, ''))).toEqual([
      'docs/b.md (no such file)',
      'docs/a.md#measured (no such heading)',
      '#nothing (no such heading)',
    ]);
  });

  it('gives headings the ids GitHub gives them', () => {
    const ids = headingIds('## Articles added from Discord (`src/intake/`)\n### Why `@huggingface/transformers` rather than `@xenova/transformers`\n```\n# not a heading\n```\n');
    expect([...ids]).toEqual(['articles-added-from-discord-srcintake', 'why-huggingfacetransformers-rather-than-xenovatransformers']);
  });
});
