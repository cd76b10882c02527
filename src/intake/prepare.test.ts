import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../engine/corpus/articles';
import { randomWordSoup } from '../../test/word-soup';
import { refusal } from './test-helpers';
import { frontMatterValue, nameToReadUnder, prepareArticle, READ_HERE_MAX_BYTES, withFrontMatter } from './prepare';

const DATA = path.join(__dirname, '../../data');
const NEWS_PAGE = readFileSync(path.join(__dirname, 'fixtures', 'news-page.html'));
const OPTIONS = { maxFileBytes: 1024 * 1024, addedBy: 'Ana (900000000000000001)', addedAt: new Date('2026-11-26T12:00:00Z') };
const utf8 = (s: string) => new TextEncoder().encode(s);


describe('prepareArticle', () => {
  it('saves an HTML page as a Markdown article the engine reads back, every sentence verbatim', async () => {
    const prepared = await prepareArticle({ bytes: NEWS_PAGE, pageUrl: 'https://ledger.example/news/2024/03/harbour-bridge-approved' }, OPTIONS);
    expect(prepared.layout).toBe('html');
    expect(prepared.extension).toBe('.md');
    expect(prepared.text.split('\n---\n')[0]).toBe(
      [
        '---',
        'title: Harbour bridge approved after eight-year fight',
        'url: https://ledger.example/news/2024/03/harbour-bridge-approved',
        'source: The Coastal Ledger',
        'author: Dana Whitfield',
        'published: 2024-03-14T18:30:00Z',
        'added_by: Ana (900000000000000001)',
        'added_at: 2026-11-26T12:00:00.000Z',
      ].join('\n'),
    );
    // What the bot will serve is what the engine reads from the written text, and nothing of the page around it.
    const reread = parseArticle('x.md', utf8(prepared.text));
    expect(reread).toMatchObject({
      title: 'Harbour bridge approved after eight-year fight',
      url: 'https://ledger.example/news/2024/03/harbour-bridge-approved',
      outlet: 'The Coastal Ledger',
      published: '2024-03-14T18:30:00Z',
      addedBy: 'Ana (900000000000000001)',
      addedAt: '2026-11-26T12:00:00.000Z',
    });
    expect(prepared.article.sentences.length).toBe(reread.sentences.length);
    const served = reread.sentences.map((s) => reread.text.slice(s.start, s.end));
    expect(served[0]).toMatch(/^The Millbrook city council voted seven to two/);
    expect(served.join(' ')).not.toMatch(/Refinance|cookies|common sense|Related|Share on/);
  });

  it('sniffs the type from the bytes: HTML named .txt is extracted, a PDF named .html is refused', async () => {
    expect((await prepareArticle({ bytes: NEWS_PAGE, fileName: 'notes.txt' }, OPTIONS)).layout).toBe('html');
    const pdf = await refusal(() => prepareArticle({ bytes: utf8('%PDF-1.7\n...'), fileName: 'page.html' }, OPTIONS));
    expect(pdf.kind).toBe('binary');
  });

  it('extracts a UTF-16 page (byte-order mark) with a bidi override and a 3,000-character run-on: kept verbatim, served in pieces', async () => {
    const runOn = Array.from({ length: 300 }, (_, i) => `item ${i} here`).join(', ');
    const html = NEWS_PAGE.toString('utf8')
      .replace('voted seven to two', 'voted \u202Eseven\u202C to two')
      .replace(/(voted \u202Eseven[^<]*<\/p>)/, `$1\n<p>The list read ${runOn}.</p>`);
    const prepared = await prepareArticle({ bytes: Buffer.from(`\uFEFF${html}`, 'utf16le'), fileName: 'page.html' }, OPTIONS);
    expect(prepared.layout).toBe('html');
    const reread = parseArticle('x.md', utf8(prepared.text));
    const served = reread.sentences.map((s) => reread.text.slice(s.start, s.end));
    expect(served[0]).toMatch(/^The Millbrook city council voted \u202Eseven\u202C to two/);
    expect(Math.max(...served.map((s) => s.length))).toBeLessThanOrEqual(1500);
    expect(served.filter((s) => s.includes('item ')).join(' ')).toBe(`The list read ${runOn}.`);
  });

  it('uses the charset from a Content-Type header', async () => {
    const page = Buffer.from(NEWS_PAGE.toString('utf8').replace('<meta charset="utf-8">', '').replace('Ruth Okafor', 'Ruth Okaför'), 'latin1');
    const prepared = await prepareArticle({ bytes: page, contentType: 'text/html; charset=ISO-8859-1' }, OPTIONS);
    expect(prepared.text).toContain('Ruth Okaför');
    // A UTF-16 page with no byte-order mark is read when the header declares it (its NUL bytes are its text's).
    const utf16 = await prepareArticle({ bytes: Buffer.from(NEWS_PAGE.toString('utf8'), 'utf16le').swap16(), contentType: 'text/html; charset="UTF-16BE"' }, OPTIONS);
    expect(utf16.article.title).toBe('Harbour bridge approved after eight-year fight');
  });

  it('keeps a scraped .txt as sent and adds added_by to a Markdown file', async () => {
    const txt = 'Bridge approved\n\nThe council voted seven to two on Thursday to build the bridge.\n\nArticle source: https://ledger.example/a\n';
    const kept = await prepareArticle({ bytes: utf8(txt), fileName: 'bridge.txt' }, OPTIONS);
    expect(kept).toMatchObject({ layout: 'text', extension: '.txt', text: txt });
    expect(kept.article.url).toBe('https://ledger.example/a');

    const md = '---\ntitle: Bridge approved\nadded_by: someone else\n---\nThe council voted seven to two on Thursday to build the bridge.\n';
    const marked = await prepareArticle({ bytes: utf8(md), fileName: 'bridge.md' }, OPTIONS);
    expect(marked.text).toBe('---\ntitle: Bridge approved\nadded_by: Ana (900000000000000001)\nadded_at: 2026-11-26T12:00:00.000Z\n---\nThe council voted seven to two on Thursday to build the bridge.\n');
    expect(marked.article.addedBy).toBe('Ana (900000000000000001)');
  });

  it('reads a file over READ_HERE_MAX_BYTES in a worker: the same article as on this thread, the same refusal', async () => {
    const story = Array.from({ length: 18_000 }, (_, i) => `The council voted seven to two on Thursday, meeting ${i} of the year.`).join('\n\n');
    const md = utf8(`---\ntitle: Bridge approved\n---\n${story}\n`);
    expect(md.length).toBeGreaterThan(READ_HERE_MAX_BYTES);
    const prepared = await prepareArticle({ bytes: md, fileName: 'bridge.md' }, { ...OPTIONS, maxFileBytes: 2 << 20 });
    expect(prepared.article).toEqual(parseArticle('bridge.md', utf8(prepared.text)));
    const unclosed = utf8(`---\ntitle: Bridge approved\n${story}\n`);
    const err = await refusal(() => prepareArticle({ bytes: unclosed, fileName: 'bridge.md' }, { ...OPTIONS, maxFileBytes: 2 << 20 }));
    expect(err).toMatchObject({ kind: 'not-an-article', message: 'not an article: front matter is not closed (no line with --- after the opening ---)' });
  });

  it('refuses, in one line, what the engine could not serve', async () => {
    const cases: Array<[string, Uint8Array, string, string]> = [
      ['a.txt', new Uint8Array(0), 'not-an-article', 'not an article: the file is empty'],
      ['a.txt', utf8('Menu\n\nHome\n\nContact'), 'not-an-article', 'not an article: no prose sentences found'],
      ['a.md', utf8('Just a line of text without any title.'), 'not-an-article', 'not an article: no title'],
      ['a.md', utf8('---\ntitle: x\nno colon here\n---\nBody text of the story goes here.'), 'not-an-article', 'not an article: front matter line 3'],
      ['a.md', new Uint8Array(OPTIONS.maxFileBytes + 1).fill(65), 'too-large', 'too large: 1,048,577 bytes, over the limit of 1,048,576 bytes (MAX_FILE_MB)'],
    ];
    for (const [fileName, bytes, kind, message] of cases) {
      const err = await refusal(() => prepareArticle({ bytes, fileName }, OPTIONS));
      expect(err.kind).toBe(kind);
      expect(err.message.slice(0, message.length)).toBe(message);
      expect(err.message).not.toContain('\n');
    }
  });
});

describe('word soup', () => {
  const seeds = readdirSync(DATA).map((f) => readFileSync(path.join(DATA, f), 'utf8'));

  it('is refused as not an article, uploaded as text, as a page, or big enough for a reading worker', async () => {
    const soup = randomWordSoup(seeds, 3000, 1, 200);
    const page = `<html><head><title>Summit</title></head><body><article><h1>Summit</h1>${soup.split('\n\n').slice(1).map((p) => `<p>${p}</p>`).join('')}</article></body></html>`;
    const big = utf8(randomWordSoup(seeds, 250_000, 2, 200));
    expect(big.length).toBeGreaterThan(READ_HERE_MAX_BYTES);
    for (const [bytes, fileName] of [[utf8(soup), 'summit.txt'], [utf8(page), 'summit.html'], [big, 'summit.txt']] as const) {
      const err = await refusal(() => prepareArticle({ bytes, fileName }, { ...OPTIONS, maxFileBytes: 2 << 20 }));
      expect(err.kind).toBe('not-an-article');
      expect(err.message).toMatch(/^not an article: reads as word soup, not prose: in one stretch \d+ of 50 determiners/);
    }
  });
});

describe('front matter values', () => {
  it('read back exactly, quotes included', () => {
    for (const title of ['"Quoted" start', 'ends with "quote"', "'single'", 'plain: with colon', '#hashtag first']) {
      const text = `---\ntitle: ${frontMatterValue(title)}\n---\nThe council voted seven to two on Thursday to build the bridge.\n`;
      expect(parseArticle('a.md', utf8(text)).title).toBe(title);
    }
  });

  it('are added to a Markdown file without front matter', () => {
    const text = withFrontMatter('# Bridge approved\n\nThe council voted on Thursday to build it.\n', { added_by: 'Ana' });
    expect(text).toBe('---\nadded_by: Ana\n---\n# Bridge approved\n\nThe council voted on Thursday to build it.\n');
    expect(parseArticle('a.md', utf8(text))).toMatchObject({ title: 'Bridge approved', addedBy: 'Ana' });
  });
});

describe('the name an untitled text is read under', () => {
  it("is the upload's name, else the link's last part, a folder's too (a trailing slash), else its host's", () => {
    expect(nameToReadUnder({ fileName: 'Pier closure.txt' })).toBe('pier-closure');
    expect(nameToReadUnder({ pageUrl: 'https://notes.example/ferry/winter%20times.txt?p=2' })).toBe('winter-times');
    // Before: "article", as for no name at all.
    expect(nameToReadUnder({ pageUrl: 'https://notes.example/ferry/winter-times/' })).toBe('winter-times');
    expect(nameToReadUnder({ pageUrl: 'https://www.notes.example/' })).toBe('notes-example');
    expect(nameToReadUnder({})).toBe('article');
    expect(nameToReadUnder({ fileName: '.txt' })).toBe('article');
    expect(nameToReadUnder({ pageUrl: 'https://notes.example/ferry//' })).toBe('ferry');
  });
});
