/** The sameness keys of the sources check: an article's address and its quoted text. */
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../engine/corpus/articles';
import { quotedTextHash, sameArticleUrl } from './sources';

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
