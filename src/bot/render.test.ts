import { describe, expect, it } from 'vitest';
import type { Answer, ArticleInfo, EngineStatus, Quote, ReloadReport } from '../engine/types';
import {
  ELLIPSIS,
  LIMITS,
  blockQuote,
  boldQuote,
  contextCustomId,
  cutIndex,
  embedLength,
  escapeText,
  joinFitting,
  limitViolations,
  link,
  parseContextCustomId,
  quoteKey,
  renderAbout,
  renderAbstain,
  renderAnswer,
  renderChoices,
  renderContext,
  renderReloadReport,
  renderSources,
  safeUrl,
  truncate,
} from './render';

const SENTENCE = 'Obama and Putin met for 90 minutes on the sidelines of the Group of 20 economic summit in Hangzhou, China, said the official, who spoke on condition of anonymity.';

function quote(over: Partial<Quote> = {}): Quote {
  return {
    quote: SENTENCE,
    source: { title: 'Putin, Obama agree to continue discussions on Syria', file: '000_f1945c786f8eadba.txt', url: 'https://example.com/a', outlet: 'Reuters' },
    start: 300,
    end: 300 + SENTENCE.length,
    score: 0.9,
    context: { before: 'A senior official said so on Monday.', after: 'The talks will continue.' },
    alsoIn: [],
    highlights: [
      [0, 5],
      [10, 15],
      [16, 19],
    ],
    ...over,
  };
}

function answer(quotes: Quote[], over: Partial<Answer> = {}): Answer {
  return { question: 'How long did Obama and Putin meet?', abstained: false, model: 'glove-sif-100d (offline)', answers: quotes, articlesSearched: 2, sentencesSearched: 33, tookMs: 12.3, ...over };
}

/** Undo escaping and bolding of a rendered quote line. */
const plain = (s: string) => s.replace(/^> /, '').replace(/\\(.)|\*\*/g, (_m, c: string | undefined) => c ?? '');

describe('cutting text', () => {
  it('leaves short text alone', () => {
    expect(truncate('Short.', 100)).toBe('Short.');
  });

  it('cuts at a sentence boundary with a visible ellipsis', () => {
    const text = 'First sentence here. Second sentence is a lot longer than the room we have for it.';
    const out = truncate(text, 40);
    expect(out).toBe(`First sentence here. ${ELLIPSIS}`);
    expect(out.length).toBeLessThanOrEqual(40);
  });

  it('falls back to a word boundary, never mid-word', () => {
    const text = 'alpha beta gamma delta epsilon zeta eta theta iota kappa';
    for (let max = 8; max < text.length; max++) {
      const out = truncate(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.endsWith(` ${ELLIPSIS}`)).toBe(true);
      const words = out.slice(0, -2).split(' ');
      for (const w of words) expect(text.split(' ')).toContain(w);
    }
  });

  it('finds the cut index at the end of a word', () => {
    expect(cutIndex('hello world again', 13)).toBe(11); // 'hello world …'
    expect(cutIndex('hello world again', 12)).toBe(5); // 'hello …'
  });

  it('keeps markdown links whole when joining, ending with "and N more"', () => {
    const links = Array.from({ length: 50 }, (_, i) => link(`Article number ${i}`, `https://example.com/article/${i}`));
    const out = joinFitting(links, 300, ', ');
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out).toMatch(/… and \d+ more$/);
    const kept = out.replace(/, … and \d+ more$/, '').split(', ');
    for (const k of kept) expect(links).toContain(k);
  });
});

describe('escaping and links', () => {
  it('escapes markdown in untrusted text', () => {
    expect(escapeText('**bold** _it_ `code` ||spoiler||')).toBe('\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\|\\|spoiler\\|\\|');
    expect(escapeText('# head')).toBe('\\# head');
    expect(escapeText('- item')).toBe('\\- item');
    expect(escapeText('[click](https://evil.example)')).not.toMatch(/^\[click\]\(/);
    expect(escapeText('> not a quote')).toBe('\\> not a quote');
  });

  it('builds links only for http(s) URLs, and never lets a URL break the link', () => {
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('not a url')).toBeNull();
    expect(safeUrl('https://example.com/a_(b)')).toBe('https://example.com/a_%28b%29');
    expect(link('A [weird] title', 'https://example.com/x')).toBe('[A \\[weird\\] title](https://example.com/x)');
    expect(link('Plain title', null)).toBe('Plain title');
  });

  it('bolds the highlighted question words and escapes the rest', () => {
    const out = boldQuote('Obama *and* Putin met', [
      [0, 5],
      [12, 17],
    ]);
    expect(out).toBe('**Obama** \\*and\\* **Putin** met');
  });

  it('merges overlapping spans and ignores spans outside the quote', () => {
    expect(
      boldQuote('Obama and Putin', [
        [0, 3],
        [2, 5],
        [40, 50],
      ]),
    ).toBe('**Obama** and Putin');
  });

  it('cuts a long quote on the raw text, keeping bold markers balanced and the quote verbatim up to the cut', () => {
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const q = quote({ quote: long, highlights: [[0, 5], [2000, 2010]] });
    const out = blockQuote(q, 500);
    expect(out.length).toBeLessThanOrEqual(500);
    expect(out.endsWith(` ${ELLIPSIS}`)).toBe(true);
    expect((out.match(/\*\*/g) ?? []).length % 2).toBe(0);
    expect(long.startsWith(plain(out).slice(0, -2))).toBe(true);
  });
});

describe('renderAnswer', () => {
  it('renders quotes as block quotes under linked titles, with a footer and a context button', () => {
    const reply = renderAnswer(answer([quote(), quote({ source: { title: 'Untitled wire', file: 'b.txt', url: null, outlet: null }, start: 5, end: 40 })]));
    expect(limitViolations(reply)).toEqual([]);
    expect(reply.allowedMentions).toEqual({ parse: [] });
    expect(reply.embeds).toHaveLength(2);
    const [a, b] = reply.embeds!;
    expect(a.title).toBe('Putin, Obama agree to continue discussions on Syria');
    expect(a.url).toBe('https://example.com/a');
    expect(a.author?.name).toBe('Reuters');
    expect(a.description).toMatch(/^> \*\*Obama\*\* and \*\*Putin\*\* \*\*met\*\* for 90 minutes/);
    expect(plain(a.description!)).toBe(SENTENCE);
    expect(b.url).toBeUndefined();
    expect(b.footer?.text).toMatch(/Searched 2 articles \(33 sentences\) in 12 ms · model: glove-sif-100d/);
    expect(a.footer).toBeUndefined();
    const button = reply.components![0].components[0] as { custom_id: string; label: string };
    expect(button.label).toBe('Show context');
    expect(parseContextCustomId(button.custom_id)).toEqual([quoteKey(quote()), quoteKey({ source: { title: '', file: 'b.txt', url: null, outlet: null }, start: 5, end: 40 })]);
  });

  it('says who else reported a sentence', () => {
    const reply = renderAnswer(answer([quote({ alsoIn: [{ title: 'Other outlet story', file: 'c.txt', url: 'https://example.org/c', outlet: 'AP' }] })]));
    expect(reply.embeds![0].description).toContain('*Also reported by* [Other outlet story](https://example.org/c)');
  });

  it('stays inside every limit with five huge quotes, long titles, many also-in and hostile text', () => {
    const huge = `@everyone <@123> ${'A very long clause with [brackets](https://x.y) and *stars* '.repeat(200)}end.`;
    const quotes = Array.from({ length: 5 }, (_, i) =>
      quote({
        quote: huge,
        start: i * 10_000,
        end: i * 10_000 + huge.length,
        highlights: [[0, 9], [50, 60], [5000, 5020]],
        source: { title: `T${i} ${'Long title '.repeat(60)}`, file: `dir/some-rather-long-file-name-${i}.md`, url: `https://example.com/${'p'.repeat(500)}`, outlet: 'O'.repeat(400) },
        alsoIn: Array.from({ length: 40 }, (_, j) => ({ title: `Also ${j} ${'x'.repeat(100)}`, file: `f${j}`, url: `https://e.com/${j}`, outlet: null })),
      }),
    );
    const reply = renderAnswer(answer(quotes, { question: `**${'q'.repeat(1200)}** @here` }));
    expect(limitViolations(reply)).toEqual([]);
    expect(reply.embeds!.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(LIMITS.embedsTotal);
    for (const e of reply.embeds!) {
      // Every markdown link that is there is complete.
      const opened = (e.description!.match(/\]\(https?:/g) ?? []).length;
      const complete = (e.description!.match(/\[[^\]]*\]\(https?:\/\/[^)\s]+\)/g) ?? []).length;
      expect(complete).toBe(opened);
      expect(e.description).toMatch(/…/);
    }
    const id = (reply.components![0].components[0] as { custom_id: string }).custom_id;
    expect(id.length).toBeLessThanOrEqual(LIMITS.customId);
    expect(reply.content).toContain('\\*\\*');
  });

  it('abstains plainly, pointing to /sources, quoting nothing', () => {
    const reply = renderAnswer(answer([], { abstained: true, question: 'What is the weather in Moscow tomorrow? @everyone' }));
    expect(reply.embeds).toEqual([]);
    expect(reply.components).toEqual([]);
    expect(reply.content).toContain("don't answer");
    expect(reply.content).toContain('`/sources`');
    expect(reply.allowedMentions).toEqual({ parse: [] });
    expect(renderAbstain('x').allowedMentions).toEqual({ parse: [] });
  });
});

describe('context button', () => {
  it('fits the custom id in 100 characters, dropping quotes that do not fit', () => {
    const many = Array.from({ length: 10 }, (_, i) => quote({ start: 4_000_000 + i, end: 4_100_000 + i, source: { title: 't', file: `file-${i}.txt`, url: null, outlet: null } }));
    const id = contextCustomId(many);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(parseContextCustomId(id).length).toBeGreaterThan(0);
    expect(parseContextCustomId('other:abc')).toEqual([]);
  });

  it('shows before, quote and after; says so when the answer is gone', () => {
    const reply = renderContext([quote()], 0);
    expect(reply.embeds![0].description).toBe(`A senior official said so on Monday.\n${blockQuote(quote(), 4000)}\nThe talks will continue.`);
    expect(limitViolations(reply)).toEqual([]);
    expect(renderContext([], 2).content).toMatch(/can't find the context/);
  });
});

describe('autocomplete choices', () => {
  it('returns at most 25 unique choices, names and values at most 100 characters', () => {
    const suggestions = ['', '   ', 'How long did', 'How long did', ...Array.from({ length: 40 }, (_, i) => `${i} ${'How long did Obama and Putin meet in Hangzhou at the G20 summit '.repeat(3)}`)];
    const choices = renderChoices(suggestions);
    expect(choices.length).toBe(25);
    expect(new Set(choices.map((c) => c.value)).size).toBe(25);
    for (const c of choices) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeGreaterThan(0);
    }
    expect(choices[0]).toEqual({ name: 'How long did', value: 'How long did' });
  });
});

describe('sources, reload and about', () => {
  const status: EngineStatus = { model: 'm', articles: 400, sentences: 12_000, loadedAt: new Date(0), lastReload: null, reloading: false };

  it('cuts hundreds of sources with "… and N more", links whole', () => {
    const articles: ArticleInfo[] = Array.from({ length: 400 }, (_, i) => ({
      id: `a${i}`,
      title: `Article ${i} about the summit`,
      file: `a${i}.md`,
      url: `https://example.com/${i}`,
      outlet: 'Wire',
      published: '2016-09-05',
      sentences: 30,
    }));
    const reply = renderSources(articles, status, { by: { name: 'Mod_Name' }, at: new Date(1_700_000_000_000) });
    expect(limitViolations(reply)).toEqual([]);
    const e = reply.embeds![0];
    expect(e.title).toBe('Sources: 400 articles, 12,000 sentences');
    expect(e.description).toMatch(/… and \d+ more$/);
    expect(e.description).toContain('**1.** [Article 0 about the summit](https://example.com/0) — Wire, 2016-09-05 · 30 sentences');
    expect(e.fields![0].value).toBe('<t:1700000000:f> (<t:1700000000:R>) by Mod\\_Name');
  });

  it('reports a reload with files and reasons, and a failed one says the old index keeps serving', () => {
    const report: ReloadReport = {
      ok: true,
      articles: 3,
      sentences: 50,
      added: ['new.md'],
      changed: [],
      removed: ['old.txt'],
      errors: [{ file: 'bad.md', reason: 'front matter is not closed' }],
      embedded: 12,
      model: 'm',
      tookMs: 1500,
      finishedAt: new Date(),
    };
    const ok = renderReloadReport(report);
    expect(limitViolations(ok)).toEqual([]);
    const fields = ok.embeds![0].fields!;
    expect(fields.map((f) => f.name)).toEqual(['Added (1)', 'Changed (0)', 'Removed (1)', 'Not loaded (1)']);
    expect(fields[3].value).toBe('`bad.md`: front matter is not closed');
    expect(ok.embeds![0].description).toContain('took 1.5 s');
    const failed = renderReloadReport({ ...report, ok: false, error: 'disk on fire' });
    expect(failed.embeds![0].title).toMatch(/old index keeps serving/);
    expect(failed.embeds![0].description).toContain('disk on fire');
  });

  it('about shows model, index, uptime and percentiles', () => {
    const reply = renderAbout({ status, startedAt: new Date(0), now: new Date(3_723_000), lastReload: { by: null, at: new Date(0) }, asks: 4, p50: 12, p95: 1500 });
    const f = Object.fromEntries(reply.embeds![0].fields!.map((x) => [x.name, x.value]));
    expect(f.Uptime).toBe('1 h 2 min');
    expect(f['/ask answer times since start']).toBe('p50 12 ms, p95 1.5 s over 4 questions');
    expect(f['Last reload']).toContain('at start');
    expect(limitViolations(reply)).toEqual([]);
  });
});
