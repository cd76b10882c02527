/** The sameness keys of the sources check: an article's address and its quoted text. */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArticle } from '../engine/corpus/articles';
import type { FileStamp } from '../engine/types';
import { findInSources, quotedTextHash, sameArticleUrl } from './sources';

const bytes = (text: string) => new TextEncoder().encode(text);
const BODY = 'The council voted seven to two on Thursday to build the bridge.\n\nWork starts in the spring, the mayor said.\n';

describe('the sources check', () => {
  it('compares article URLs without scheme, www, fragment or trailing slash', () => {
    expect(sameArticleUrl('https://www.ledger.example/a/', 'http://ledger.example/a#x')).toBe(true);
    expect(sameArticleUrl('https://ledger.example/a?id=1', 'https://ledger.example/a?id=2')).toBe(false);
  });

  it('hashes the quoted text alone: other front matter or spacing hash the same, another sentence does not', () => {
    const upload = parseArticle('a.md', bytes(`---\ntitle: Bridge approved\nadded_by: Ana (1)\n---\n${BODY}`));
    const again = parseArticle('b.md', bytes(`---\ntitle: Bridge approved\nurl: https://ledger.example/b\nadded_by: Ben (2)\n---\n${BODY.replace('seven to two', 'seven  to\ntwo')}`));
    const other = parseArticle('c.md', bytes(`---\ntitle: Bridge approved\n---\n${BODY.replace('spring', 'summer')}`));
    expect(quotedTextHash(again)).toBe(quotedTextHash(upload));
    expect(quotedTextHash(other)).not.toBe(quotedTextHash(upload));
  });
});

describe('findInSources', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'sources-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("replaces a file only when its bytes are from the same address: the engine's list may still describe a file since replaced", async () => {
    // bridge.md was loaded from a.example, then set aside, and another outlet's article saved under its name.
    await writeFile(path.join(dir, 'bridge.md'), `---\ntitle: Bridge approved\nurl: https://c.example/bridge\n---\n${BODY}`);
    const stale = [{ file: 'bridge.md', url: 'https://a.example/bridge', sentences: 2 }];
    const readded = parseArticle('new.md', bytes(`---\ntitle: Bridge approved\nurl: https://a.example/bridge\n---\n${BODY.replace('spring', 'summer')}`));
    expect(await findInSources(dir, readded, stale, 1 << 20)).toEqual({ sameUrl: [], sameText: null });
    const fromC = parseArticle('c.md', bytes(`---\ntitle: Bridge approved\nurl: https://c.example/bridge\n---\n${BODY.replace('spring', 'summer')}`));
    const listed = [{ file: 'bridge.md', url: 'https://c.example/bridge', sentences: 2 }];
    expect(await findInSources(dir, fromC, listed, 1 << 20)).toEqual({ sameUrl: ['bridge.md'], sameText: null });
  });

  it("takes the engine's word for a file still as it was loaded (same stamp), and reads one changed since", async () => {
    const ferry = 'The ferry will run twice a day from November, the operator said on Monday.\n';
    await writeFile(path.join(dir, 'ferry.md'), `---\ntitle: Ferry\nurl: https://a.example/ferry\n---\n${ferry}`);
    const { size, mtimeMs, ctimeMs, ino } = await stat(path.join(dir, 'ferry.md'));
    const copy = parseArticle('new.md', bytes(`---\ntitle: Ferry\nurl: https://b.example/ferry\n---\n${ferry}`));
    // Listed with 3 sentences: taken as true while the stamp holds, so the file is not read.
    const listed = (stamp: FileStamp) => [{ file: 'ferry.md', url: 'https://a.example/ferry', sentences: 3, stamp }];
    expect(await findInSources(dir, copy, listed({ size, mtimeMs, ctimeMs, ino }), 1 << 20)).toEqual({ sameUrl: [], sameText: null });
    expect(await findInSources(dir, copy, listed({ size: size - 1, mtimeMs, ctimeMs, ino }), 1 << 20)).toEqual({ sameUrl: [], sameText: 'ferry.md' });
    // Replaced with its time set back (rsync -t, cp -p): same size and time, another inode or change time.
    expect(await findInSources(dir, copy, listed({ size, mtimeMs, ctimeMs, ino: ino + 1 }), 1 << 20)).toEqual({ sameUrl: [], sameText: 'ferry.md' });
    expect(await findInSources(dir, copy, listed({ size, mtimeMs, ctimeMs: ctimeMs - 1, ino }), 1 << 20)).toEqual({ sameUrl: [], sameText: 'ferry.md' });
  });
});
