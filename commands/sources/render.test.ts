import { describe, expect, it } from 'vitest';
import type { ArticleInfo, EngineStatus } from '../../src/engine/types';
import { limitViolations } from '../../src/discord/limits';
import { addSecret } from '../../src/log';
import { reloadReport, who } from '../test-helpers';
import { FIND_MAX_WORDS, PAGE_SIZE } from './definition';
import { renderSources } from './render';

const report = reloadReport({ articles: 400, sentences: 12_000, builtAt: new Date(1_700_000_000_000), requestedBy: who('Mod_Name') });
const status: EngineStatus = { model: 'm', articles: 400, sentences: 12_000, builtAt: report.builtAt, lastReload: report, reloading: false };

const summit = (n: number): ArticleInfo[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `a${i}`,
    title: `Article ${i} about the summit`,
    file: `a${i}.md`,
    url: `https://example.com/${i}`,
    outlet: 'Wire',
    published: '2016-09-05',
    sentences: 30,
  }));

/** The description's article lines ("**12.** …"), without the find's header line. */
const linesOf = (reply: ReturnType<typeof renderSources>) => reply.embeds![0].description!.split('\n').filter((l) => /^\*\*[\d,]+\.\*\* /.test(l));

describe('renderSources', () => {
  it('shows the first page of hundreds, numbered, with "Page 1 of N" and how to see the next', () => {
    const reply = renderSources(summit(400), status);
    expect(limitViolations(reply)).toEqual([]);
    const e = reply.embeds![0];
    expect(e.title).toBe('Sources: 400 articles, 12,000 sentences');
    expect(linesOf(reply)).toHaveLength(PAGE_SIZE);
    expect(e.description!.split('\n')[0]).toBe('**1.** [Article 0 about the summit](https://example.com/0) — Wire, 2016-09-05 · 30 sentences');
    expect(e.footer!.text).toBe('Page 1 of 27 · next: /sources page:2');
    expect(e.fields![0].value).toBe('<t:1700000000:f> (<t:1700000000:R>) by Mod\\_Name');
  });

  it('continues the numbering on the next pages and says which page is the last', () => {
    const second = renderSources(summit(400), status, { page: 2 }).embeds![0];
    expect(second.description!.split('\n')[0]).toMatch(/^\*\*16\.\*\* \[Article 15 about/);
    expect(second.footer!.text).toBe('Page 2 of 27 · next: /sources page:3');
    const last = renderSources(summit(400), status, { page: 27 });
    expect(linesOf(last).map((l) => l.split(' ')[0])).toEqual(['**391.**', '**392.**', '**393.**', '**394.**', '**395.**', '**396.**', '**397.**', '**398.**', '**399.**', '**400.**']);
    expect(last.embeds![0].footer!.text).toBe('Page 27 of 27');
  });

  it('writes numbers past 999 as the footer writes page numbers', () => {
    const reply = renderSources(summit(1_200), status, { page: 67 });
    expect(linesOf(reply)[0].split(' ')[0]).toBe('**991.**');
    expect(linesOf(renderSources(summit(1_200), status, { page: 68 }))[0].split(' ')[0]).toBe('**1,006.**');
  });

  it('puts every article on exactly one page, in order, whatever the lengths of titles, links and outlets', () => {
    const hostile = '**bold** _x_ <@123> [a](https://evil.example) # not a heading ';
    for (const n of [1, 14, 15, 16, 31, 137]) {
      const articles = Array.from({ length: n }, (_, i): ArticleInfo => ({
        id: `a${i}`,
        // A marker each line must keep, then a title of 0 to ~900 characters (escaping doubles some), some links long.
        title: `T${i}x ${(i % 3 === 0 ? hostile : 'Summit talks ').repeat((i * 7) % 15)}`,
        file: `a${i}.md`,
        url: i % 4 === 0 ? null : `https://example.com/${'long-path/'.repeat(i % 5 === 0 ? 95 : i % 7)}${i}`,
        outlet: i % 2 ? `${'Outlet_'.repeat(i % 20)}` : null,
        published: i % 3 ? '2016-09-05' : null,
        sentences: i + 1,
        addedBy: i % 6 === 0 ? `Mod*${'_'.repeat(80)} (900000000000000001)` : null,
        addedAt: '2023-11-14T22:13:20.000Z',
      }));
      const seen: number[] = [];
      const pages = Math.ceil(n / PAGE_SIZE);
      for (let page = 1; page <= pages; page++) {
        const reply = renderSources(articles, { ...status, articles: n }, { page });
        expect(limitViolations(reply), `${n} articles, page ${page}`).toEqual([]);
        expect(reply.embeds![0].footer!.text).toMatch(new RegExp(`^Page ${page} of ${pages}`));
        for (const line of linesOf(reply)) {
          const number = Number(/^\*\*(\d+)\.\*\* /.exec(line)![1]);
          expect(line, `${n} articles, page ${page}`).toContain(`T${number - 1}x`);
          seen.push(number);
        }
      }
      expect(seen).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    }
  });

  it('shortens the titles of a page too long for one embed, keeping every article and its link', () => {
    const articles = summit(40).map((a, i) => ({ ...a, title: `T${i}x ${'Summit talks in Hangzhou '.repeat(8)}`, url: `https://example.com/${'y'.repeat(180)}/${i}` }));
    const reply = renderSources(articles, status, { page: 2 });
    expect(limitViolations(reply)).toEqual([]);
    const lines = linesOf(reply);
    expect(lines).toHaveLength(PAGE_SIZE);
    lines.forEach((line, i) => {
      expect(line).toMatch(new RegExp(`^\\*\\*${16 + i}\\.\\*\\* \\[T${15 + i}x Summit .* …\\]\\(https://example\\.com/y+/${15 + i}\\) — Wire, 2016-09-05 · 30 sentences$`));
    });
  });

  it('renders only the page asked for, however many articles are loaded (any member may ask, often)', () => {
    let titlesRead = 0;
    const articles = Array.from({ length: 50_000 }, (_, i): ArticleInfo => ({
      id: `a${i}.md`,
      get title() {
        titlesRead++;
        return `Article ${i}`;
      },
      file: `a${i}.md`,
      url: null,
      outlet: null,
      published: null,
      sentences: 3,
    }));
    for (const page of [1, 2_000, 3_334]) {
      titlesRead = 0;
      const reply = renderSources(articles, { ...status, articles: 50_000 }, { page });
      expect(limitViolations(reply)).toEqual([]);
      expect(titlesRead).toBeLessThan(100);
      expect(linesOf(reply)[0]).toBe(`**${((page - 1) * PAGE_SIZE + 1).toLocaleString('en-US')}.** Article ${(page - 1) * PAGE_SIZE} · 3 sentences`);
    }
    expect(renderSources(articles, status, { page: 3_334 }).embeds![0].footer!.text).toBe('Page 3,334 of 3,334');
  });

  it('says a page past the end is past it, naming the last page', () => {
    const e = renderSources(summit(40), status, { page: 4 }).embeds![0];
    expect(e.description).toBe('Page 4 is past the end: the 40 articles fill 3 pages; the last is `page:3`.');
    expect(e.footer).toBeUndefined();
    const one = renderSources(summit(1), status, { page: 2 }).embeds![0];
    expect(one.description).toBe('Page 2 is past the end: the 1 article fills 1 page; the last is `page:1`.');
  });

  it('refuses a page that is no whole number from 1 (a client may send one)', () => {
    for (const page of [0, -3, 1.5, NaN]) {
      expect(renderSources(summit(40), status, { page }).embeds![0].description).toMatch(/^`page` is a whole number from 1/);
    }
  });

  it('finds the articles whose title, outlet or link hold every word, accents and case aside', () => {
    const articles: ArticleInfo[] = [
      { id: 'a', title: 'Erdoğan meets Putin in Hangzhou', file: 'a.md', url: 'https://wire.example/turkey', outlet: 'Wire', published: null, sentences: 4 },
      { id: 'b', title: 'Putin and Obama at the G20', file: 'b.md', url: 'https://news.example/erdogan-talks', outlet: 'Reuters', published: null, sentences: 5 },
      { id: 'c', title: 'Putin, alone', file: 'c.md', url: null, outlet: 'Zürich Post', published: null, sentences: 6 },
      { id: 'd', title: 'Climate pledges', file: 'd.md', url: null, outlet: null, published: null, sentences: 7 },
    ];
    const found = renderSources(articles, status, { find: '  ERDOGAN,   putin ' });
    expect(limitViolations(found)).toEqual([]);
    const [header, ...lines] = found.embeds![0].description!.split('\n');
    expect(header).toBe('**2** of 4 articles match “ERDOGAN, putin”');
    expect(lines.map((l) => /\[(.*?)\]/.exec(l)![1])).toEqual(['Erdoğan meets Putin in Hangzhou', 'Putin and Obama at the G20']);
    expect(lines[0]).toMatch(/^\*\*1\.\*\* /);
    expect(found.embeds![0].footer!.text).toBe('Page 1 of 1');
    expect(linesOf(renderSources(articles, status, { find: 'zurich' }))).toEqual(['**1.** Putin, alone — Zürich Post · 6 sentences']);
    expect(renderSources(articles, status, { find: 'putin' }).embeds![0].description!.split('\n')[0]).toBe('**3** of 4 articles match “putin”');
    const korean = [{ ...articles[3], title: '한중 정상회담, 항저우에서' }, { ...articles[3], title: 'がんばれ日本' }];
    expect(linesOf(renderSources(korean, status, { find: '정상회담' }))).toEqual(['**1.** 한중 정상회담, 항저우에서 · 7 sentences']);
    expect(linesOf(renderSources(korean, status, { find: 'がんばれ' }))).toEqual(['**1.** がんばれ日本 · 7 sentences']);
  });

  it("finds no more of the token than a message shows: a find typed a letter at a time would spell it out (capitals aside)", () => {
    const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GzXyWv.Hm4_kQ9vRt2LpZs8WnYc-JxA6bE1oUfT3dK';
    addSecret(token);
    // A data folder's link to the bot's .env, read as a scraped .txt: its first line is the title.
    const articles: ArticleInfo[] = [
      { id: 'e', title: `DISCORD_TOKEN=${token}`, file: 'settings.txt', url: null, outlet: null, published: null, sentences: 2 },
      ...summit(2),
    ];
    const matches = (find: string) => linesOf(renderSources(articles, status, { find })).length;
    for (const guess of ['discord_token=mtizn', 'mtiznd', 'gzxyw', 'kq9vr', 'jxa6be1ouft3dk', token]) expect(matches(guess), guess).toBe(0);
    // What a message shows of it ("DISCORD_TOKEN=(…)") is still found.
    expect(matches('DISCORD_TOKEN')).toBe(1);
  });

  it('pages through what a find matched, the numbering going on', () => {
    const articles = summit(100).map((a, i) => ({ ...a, title: i % 2 ? `Obama ${i}` : a.title }));
    const second = renderSources(articles, status, { find: 'obama', page: 2 });
    const e = second.embeds![0];
    expect(e.description!.split('\n')[0]).toBe('**50** of 100 articles match “obama”');
    expect(linesOf(second)[0]).toBe('**16.** [Obama 31](https://example.com/31) — Wire, 2016-09-05 · 30 sentences');
    expect(e.footer!.text).toBe('Page 2 of 4 · next: /sources page:3 with the same find');
    expect(renderSources(articles, status, { find: 'obama', page: 5 }).embeds![0].description).toBe(
      'Page 5 is past the end: the 50 articles matching “obama” fill 4 pages; the last is `page:4`.',
    );
  });

  it('says clearly when nothing matches', () => {
    const e = renderSources(summit(40), status, { find: 'kremlin summit' }).embeds![0];
    expect(e.description).toBe("No article's title, outlet or link holds every word of “kremlin summit”. Try fewer words, or `/sources` without `find` for every article.");
    expect(e.footer).toBeUndefined();
  });

  it('echoes a hostile find escaped: no formatting, no mention, no link, no heading', () => {
    const find = '# **x** <@123> @everyone [a](https://evil.example) `c` ||s||';
    const articles = summit(3).map((a) => ({ ...a, title: `${find} ${a.title}` }));
    for (const reply of [renderSources(articles, status, { find }), renderSources(summit(3), status, { find })]) {
      expect(limitViolations(reply)).toEqual([]);
      const text = reply.embeds![0].description!.split('\n')[0];
      expect(text).toContain('“\\# \\*\\*x\\*\\* \\<@123> @everyone \\[a](https\\://evil.example) \\`c\\` \\|\\|s\\|\\|”');
      expect(text).not.toMatch(/(^|[^\\])(<@|\*\*x|\[a\]|https:)/);
    }
    expect(renderSources(articles, status, { find }).embeds![0].description!.split('\n')[0]).toMatch(/^\*\*3\*\* of 3 articles match “/);
  });

  it('refuses a find of more words than it searches cheaply, saying how many it takes (each word scans every article)', () => {
    const many = 'ht htt http https tt ttp ps ne ew ws new news ex exa exam am mp pl le co com om';
    const e = renderSources(summit(40), status, { find: many }).embeds![0];
    expect(e.description).toBe(`\`find\` takes at most ${FIND_MAX_WORDS} words; “${many}” has 22. Try the few that matter most.`);
    expect(linesOf(renderSources(summit(40), status, { find: 'https example com summit article wire' }))).toHaveLength(PAGE_SIZE);
  });

  it('cuts a find too long for Discord between characters, never inside an emoji (half of one shows as U+FFFD)', () => {
    const find = `putin, ${'😀'.repeat(60)}`;
    const e = renderSources(summit(3), status, { find }).embeds![0];
    expect(e.description).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(e.description).toContain(`“putin, ${'😀'.repeat(60)}”`);
  });

  it("searches the first 1,000 characters of a title, an outlet or a link: a hostile article's megabyte never costs every find seconds", () => {
    // Decomposed text ("a" and 50 accents, 20,000 times) against a word almost found at each "a": ~1.5 s a field.
    const zalgo = ('a' + '\u0301'.repeat(50)).repeat(20_000);
    const articles = [{ ...summit(1)[0], title: `Summit ${zalgo} Kremlin`, outlet: zalgo, url: `https://example.com/${zalgo}` }];
    const started = performance.now();
    const reply = renderSources(articles, status, { find: `${'a'.repeat(99)}b` });
    expect(performance.now() - started).toBeLessThan(400);
    expect(reply.embeds![0].description).toMatch(/^No article's title/);
    expect(linesOf(renderSources(articles, status, { find: 'summit' }))).toHaveLength(1);
    expect(linesOf(renderSources(articles, status, { find: 'kremlin' }))).toHaveLength(0);
  });

  it('asks for a word when find holds only spaces or punctuation', () => {
    for (const find of ['', '   ', ' * _ ~ ', '\n\t']) {
      expect(renderSources(summit(40), status, { find }).embeds![0].description).toMatch(/^`find` needs a word or a number/);
    }
  });

  it('says who added an article from Discord, and when', () => {
    const added: ArticleInfo = { id: 'a.md', title: 'Bridge', file: 'a.md', url: null, outlet: null, published: null, sentences: 6, addedBy: 'Ana_B (900000000000000001)', addedAt: '2023-11-14T22:13:20.000Z' };
    const plain: ArticleInfo = { ...added, id: 'b.md', file: 'b.md', addedBy: null, addedAt: null };
    const description = renderSources([added, plain], status).embeds![0].description!;
    expect(description.split('\n')).toEqual(['**1.** Bridge · 6 sentences · added by Ana\\_B <t:1700000000:R>', '**2.** Bridge · 6 sentences']);
    // A name holding a link shows it as text, as /about's "last reload" does: it was clickable here.
    const linked = renderSources([{ ...added, addedBy: 'https://e.vil/a_b (900000000000000001)' }], status).embeds![0].description!;
    expect(linked).toBe('**1.** Bridge · 6 sentences · added by https\\://e.vil/a\\_b <t:1700000000:R>');
    // Any name Discord allows shows whole (32 underscores were cut to 28 and an ellipsis).
    expect(renderSources([{ ...added, addedBy: `${'_'.repeat(32)} (900000000000000001)` }], status).embeds![0].description).toContain(`added by ${'\\_'.repeat(32)} <t:`);
  });

  it('tells a member of an empty list who can add articles, and when nobody can from Discord, that too', () => {
    const told = (refusal?: Parameters<typeof renderSources>[3]) => renderSources([], status, {}, refusal).embeds![0].description;
    expect(told(null)).toBe('No articles are loaded yet: moderators add them with `/article add`.');
    // Members of another server than the moderators' one: their own moderators cannot.
    expect(told('other-server')).toBe(
      "No articles are loaded yet: moderators of the server the bot's sources belong to add them with `/article add` (every server the bot is in shares the same articles).",
    );
    // /article and /reload are refused everywhere: "moderators add them" sent members to wait on a command nobody could use.
    expect(told('no-moderators-server')).toBe(
      "No articles are loaded yet, and moderators cannot add any until the bot's owner names the moderators' server (MODERATOR_GUILD_ID): the bot is in more than one server (or runs in shards), and every server shares the same articles.",
    );
  });

  it('names the files that were not loaded', () => {
    const withErrors = { ...status, lastReload: { ...report, errors: [{ file: 'bad`name.md', reason: 'empty file' }] } };
    const e = renderSources([], withErrors).embeds![0];
    // The bot starts on a folder with no article yet: the empty list says how articles come.
    expect(e.description).toBe('No articles are loaded yet: moderators add them with `/article add`.');
    expect(e.fields![1]).toEqual({ name: 'Files not loaded', value: "`bad'name.md` (see `/reload` for reasons)" });
  });
});
