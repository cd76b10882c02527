/**
 * What /sources costs on a server with many articles. A script, not a test.
 *
 *   npx tsx bench/sources-pages.ts [--articles 50000] [--runs 20]
 *
 * Renders /sources over synthetic articles (titles of 10 to 200 characters, some accented or full of Markdown,
 * links of 45 to 330, some outlets, dates and "added by"): the first page, the last, the page taking longest of a
 * sweep over every page (checking Discord's limits and that each article is listed once), and finds matching nine
 * articles in ten (their last page), about a quarter and none, and the costliest a member can ask: 6 (the most a find
 * takes) short words each found only in the links, or 5 and a word looked for again in every field (fold.ts). Prints
 * the median and the worst of `--runs` renderings of each, in ms. The articles are made once; renderSources alone is
 * timed, and apart from it the engine's list of them (`articleInfo` over each: what `articles()` copied on every call
 * before it was made once a build).
 */
import { countOption, scriptOptions } from '../src/cli/args';
import { articleInfo } from '../src/engine/article-list';
import type { Article, ArticleInfo, EngineStatus, SentenceSpan } from '../src/engine/types';
import { renderSources } from '../commands/sources/render';
import { limitViolations } from '../src/discord/limits';
import { percentile } from '../src/percentiles';
import { print } from './print';

const usage = 'usage: npx tsx bench/sources-pages.ts [--articles N] [--runs N]';
const values = scriptOptions(process.argv.slice(2), { articles: { type: 'string' }, runs: { type: 'string' } }, usage);
const n = countOption(values.articles, 'articles', usage, 50_000);
const runs = countOption(values.runs, 'runs', usage, 20);

let seed = 42;
/** A fixed pseudo-random sequence (the same articles every run). */
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const WORDS = ['Obama', 'Putin', 'summit', 'G20', 'Hangzhou', 'Syria', 'ceasefire', 'talks', 'Erdoğan', 'Kerry', 'Lavrov', '*deal*', 'Ukraine', 'sanctions', 'meeting', 'Zürich', 'trade', 'China', 'Xi', 'climate'];
const words = (chars: number) => {
  let s = '';
  while (s.length < chars) s += `${s ? ' ' : ''}${WORDS[Math.floor(random() * WORDS.length)]}`;
  return s.slice(0, chars);
};
const articles: ArticleInfo[] = Array.from({ length: n }, (_, i) => ({
  id: `a${i}.md`,
  title: words(10 + Math.floor(random() * 190)),
  file: `a${i}.md`,
  url: random() < 0.9 ? `https://news.example.com/${words(20 + Math.floor(random() * 280)).replace(/\W+/g, '-')}/${i}` : null,
  outlet: random() < 0.8 ? words(5 + Math.floor(random() * 30)) : null,
  published: random() < 0.8 ? '2016-09-05' : null,
  sentences: 1 + Math.floor(random() * 200),
  addedBy: random() < 0.1 ? `Moderator_${i} (900000000000000001)` : null,
  addedAt: '2023-11-14T22:13:20.000Z',
}));
const status: EngineStatus = { model: 'm', articles: n, sentences: n * 30, builtAt: new Date(1_700_000_000_000), lastReload: null, reloading: false };

/** Median and worst ms of `runs` renderings. */
function time(options: { page?: number; find?: string }): { p50: number; max: number; title: string } {
  const ms: number[] = [];
  let title = '';
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const reply = renderSources(articles, status, options);
    ms.push(performance.now() - started);
    title = reply.embeds?.[0]?.footer?.text ?? reply.embeds?.[0]?.description?.split('\n')[0] ?? reply.content ?? '';
  }
  return { p50: percentile(ms, 50)!, max: Math.max(...ms), title: title.slice(0, 60) };
}

const report = (name: string, options: { page?: number; find?: string }) => {
  const t = time(options);
  print(`${name.padEnd(34)} p50 ${t.p50.toFixed(2).padStart(7)} ms  max ${t.max.toFixed(2).padStart(7)} ms  (${t.title})`);
};

/** The last page's number, read from the footer's "Page 1 of N" (1 where there is none: before paging existed). */
const lastPage = (find?: string) => Number(/ of ([\d,]+)/.exec(renderSources(articles, status, { find }).embeds?.[0]?.footer?.text ?? '')?.[1]?.replace(/,/g, '') ?? 1);

report('first page', {});
const last = lastPage();
report(`last page (${last})`, { page: last });
// Every page once: the slowest is the one whose lines had to be shortened most. Each must keep Discord's limits and
// number its lines on from the page before (every article on exactly one page).
let worst = { page: 1, ms: 0 };
let listed = 0;
const faults: string[] = [];
for (let page = 1; page <= last; page++) {
  const started = performance.now();
  const reply = renderSources(articles, status, { page });
  const ms = performance.now() - started;
  if (ms > worst.ms) worst = { page, ms };
  faults.push(...limitViolations(reply).map((v) => `page ${page}: ${v}`));
  for (const line of reply.embeds?.[0]?.description?.split('\n') ?? []) {
    const number = /^\*\*([\d,]+)\.\*\* /.exec(line)?.[1]?.replace(/,/g, '');
    if (number !== undefined && Number(number) !== ++listed) faults.push(`page ${page}: article ${number} where ${listed} was due`);
  }
}
print(`sweep: ${listed.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} articles listed once each over ${last.toLocaleString('en-US')} pages; ${faults.length} faults${faults.length ? `: ${faults.slice(0, 3).join('; ')}` : ''}`);
report(`slowest page of the sweep (${worst.page})`, { page: worst.page });
report('find matching 9 in 10, last page', { find: 'news example', page: lastPage('news example') });
report('find "erdogan zurich", page 1', { find: 'erdogan zurich' });
report('find matching none', { find: 'no such words here' });
report('find of 6 words in the links only', { find: 'https news example com ttps ews' });
// Found as written in no field, a word a character folding to more than one could hold part of is looked for again
// (fold.ts): this one could be part of all 80 (ß, ﬁ, ᾳ…).
report('find of 5 link words and 1 looked for again', { find: 'https news example com ttps ssʼnեւaʾαιηιωιffiflfflstմնմեմիվնմխ' });

// The engine's list, from articles shaped as the reader makes them (their sentences only counted: left empty).
const loaded: Article[] = articles.map((a) => ({
  id: a.id,
  file: a.file,
  title: a.title,
  url: a.url,
  outlet: a.outlet,
  published: a.published,
  text: a.title,
  paragraphs: [],
  sentences: new Array<SentenceSpan>(a.sentences),
  fingerprint: 'f',
  addedBy: a.addedBy,
  addedAt: a.addedAt,
}));
const copies: number[] = [];
for (let r = 0; r < runs; r++) {
  const started = performance.now();
  if (loaded.map((a) => articleInfo(a, { size: 1, mtimeMs: 1, ctimeMs: 1, ino: 1 })).length !== n) throw new Error('articles lost');
  copies.push(performance.now() - started);
}
print(`${"the engine's list, made".padEnd(34)} p50 ${percentile(copies, 50)!.toFixed(2).padStart(7)} ms  max ${Math.max(...copies).toFixed(2).padStart(7)} ms`);
