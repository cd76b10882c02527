/** How /sources looks: the loaded articles a page at a time, linked, with outlet, date and sentence count. */
import type { ArticleInfo, EngineStatus } from '../../src/engine/types';
import { LIMITS } from '../../src/discord/limits';
import { COLOR, type Reply } from '../../src/discord/reply';
import { findWords, foldedPattern, holdsEvery, typedPrefix } from '../../src/discord/fold';
import { codeSpan, cut, escapedCut, escapeUnlinked, fittedLink, joinFitting, link, memberName, oneLine, plural } from '../../src/discord/text';
import { holdsSecret, redact, SECRET_SHOWN } from '../../src/log';
import type { ServerRefusal } from '../command';
import { describeLastReload, noArticlesYet, reloadingSign } from '../wording';
import { FIND_MAX_LENGTH, FIND_MAX_WORDS, PAGE_SIZE } from './definition';

/** What the member asked: a page (1 when not given) of the articles whose title, outlet or link hold every word of `find`. */
export interface SourcesQuery {
  page?: number;
  find?: string;
}

/**
 * One page of the articles, with "Page P of N" and when the index was loaded and by whom. `refusal`: why moderators of
 * the member's server may not add articles (`serverRefusal`), null when they may; an empty list tells it.
 * @example renderSources(engine.articles(), engine.status(), { page: 2, find: 'putin' }).embeds[0].footer.text // 'Page 2 of 3 · next: /sources page:3 with the same find'
 */
export function renderSources(articles: readonly ArticleInfo[], status: EngineStatus, query: SourcesQuery = {}, refusal: ServerRefusal | null = null): Reply {
  const title = `Sources: ${plural(articles.length, 'article')}, ${plural(status.sentences, 'sentence')}${reloadingSign(status.reloading)}`;
  const fields = indexFields(status);
  const embed = (description: string, footer?: string) => ({
    embeds: [{ color: footer ? COLOR.answer : COLOR.muted, title, description, fields, ...(footer ? { footer: { text: footer } } : {}) }],
  });
  const page = query.page ?? 1;
  // Discord enforces the option's minimum; a client may not.
  if (!Number.isSafeInteger(page) || page < 1) return embed('`page` is a whole number from 1: `/sources page:2` shows the second page.');
  // A new server's bot starts with none: say who can change that.
  if (!articles.length) return embed(noArticlesYet(refusal));

  let shown = articles;
  let echoed = '';
  if (query.find !== undefined) {
    const typed = typedPrefix(oneLine(query.find), FIND_MAX_LENGTH);
    const words = findWords(typed);
    if (!words.length) return embed('`find` needs a word or a number to look for in the titles, outlets and links: `/sources find:putin`.');
    echoed = `“${escapedCut(typed, 2 * FIND_MAX_LENGTH, escapeUnlinked)}”`;
    if (words.length > FIND_MAX_WORDS) return embed(`\`find\` takes at most ${FIND_MAX_WORDS} words; ${echoed} has ${words.length}. Try the few that matter most.`);
    const patterns = words.map(foldedPattern);
    shown = articles.filter((a) => {
      const fields = [a.title, a.outlet, a.url];
      // Masked only where found: most finds match few articles, and the token is in none of those.
      return holdsEvery(fields, patterns) && (!fields.some((f) => f !== null && holdsSecret(f)) || holdsEvery(fields.map(asShown), patterns));
    });
    if (!shown.length) return embed(`No article's title, outlet or link holds every word of ${echoed}. Try fewer words, or \`/sources\` without \`find\` for every article.`);
  }
  const matching = `${plural(shown.length, 'article')}${echoed ? ` matching ${echoed}` : ''}`;
  const pages = Math.ceil(shown.length / PAGE_SIZE);
  if (page > pages) return embed(`Page ${page.toLocaleString('en-US')} is past the end: the ${matching} ${shown.length === 1 ? 'fills' : 'fill'} ${plural(pages, 'page')}; the last is \`page:${pages}\`.`);
  const first = (page - 1) * PAGE_SIZE;
  const onPage = shown.slice(first, first + PAGE_SIZE);
  const footer = `Page ${page.toLocaleString('en-US')} of ${pages.toLocaleString('en-US')}${page < pages ? ` · next: /sources page:${page + 1}${echoed ? ' with the same find' : ''}` : ''}`;
  // With find, the first line says how many match (of how many).
  const header = echoed ? `**${shown.length.toLocaleString('en-US')}** of ${plural(articles.length, 'article')} ${shown.length === 1 ? 'matches' : 'match'} ${echoed}` : '';
  const used = title.length + footer.length + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  const room = Math.min(LIMITS.embedDescription, LIMITS.embedsTotal - used) - (header ? header.length + 1 : 0);
  const lines = fitLines(onPage.map((a, i) => (max: number) => articleLine(a, first + i + 1, max)), room);
  return embed([...(header ? [header] : []), ...lines].join('\n'), footer);
}

/**
 * A title, outlet or link as a message shows it, the token masked: searched as it is, a find typed a letter at a time
 * would spell out the token (capitals aside) from a link to the bot's .env in the data folder, titled by its first line.
 */
function asShown(text: string | null): string | null {
  return text !== null ? redact(text, SECRET_SHOWN) : null;
}

/** "Index loaded", and "Files not loaded" when the last reload skipped some. */
function indexFields(status: EngineStatus): Array<{ name: string; value: string }> {
  const fields = [{ name: 'Index loaded', value: cut(describeLastReload(status), LIMITS.fieldValue) }];
  const errors = status.lastReload?.errors ?? [];
  if (errors.length) {
    fields.push({
      name: 'Files not loaded',
      value: joinFitting(errors.map((e) => codeSpan(e.file, 100)), 300, ', ') + ' (see `/reload` for reasons)',
    });
  }
  return fields;
}

/**
 * The lines, each rendered whole when all fit in `room` (with their line breaks); else every line longer than an
 * even share of what the shorter ones leave is rendered again within that share, so the page always fits.
 */
function fitLines(lines: Array<(max: number) => string>, room: number): string[] {
  const whole = lines.map((render) => render(Infinity));
  let left = room - (lines.length - 1);
  if (whole.reduce((n, l) => n + l.length, 0) <= left) return whole;
  const byLength = whole.map((l) => l.length).sort((a, b) => a - b);
  let share = 0;
  for (let i = 0; i < byLength.length; i++) {
    share = Math.floor(left / (byLength.length - i));
    if (byLength[i] > share) break;
    left -= byLength[i];
  }
  return whole.map((l, i) => (l.length <= share ? l : lines[i](share)));
}

/**
 * "**12.** [Title](link) — Outlet, date · 30 sentences · added by Ana <t:…:R>" within `max` characters: shortened
 * by cutting the title beside its link, then dropping who added it, then outlet and date; the title without its
 * link only when even that does not fit (an address of hundreds of characters).
 */
function articleLine(a: ArticleInfo, n: number, max: number): string {
  const head = `**${n.toLocaleString('en-US')}.** `; // "**1,234.**", as the footer writes page numbers
  const meta = [a.outlet ? escapedCut(oneLine(a.outlet), 80) : null, a.published ? escapedCut(oneLine(a.published), 40) : null].filter(Boolean);
  const count = ` · ${plural(a.sentences, 'sentence')}`;
  const tail = `${meta.length ? ` — ${meta.join(', ')}` : ''}${count}`;
  const whole = `${head}${link(a.title, a.url, 150)}${tail}${addedBy(a)}`;
  if (whole.length <= max) return whole;
  const title = cut(oneLine(a.title), 150);
  for (const url of [a.url, null]) {
    for (const end of [`${tail}${addedBy(a)}`, tail, count]) {
      const shown = fittedLink(title, url, max - head.length - end.length);
      if (shown) return `${head}${shown}${end}`;
    }
  }
  return `${head}${count}`;
}

/** " · added by Ana <t:…:R>" for an article added with /article add (the saved "Name (id)" shown by name). */
function addedBy(a: ArticleInfo): string {
  if (!a.addedBy) return '';
  const at = a.addedAt ? Date.parse(a.addedAt) : NaN;
  const name = memberName(a.addedBy.replace(/\s*\(\d+\)$/, ''));
  return ` · added by ${name}${Number.isFinite(at) ? ` <t:${Math.floor(at / 1000)}:R>` : ''}`;
}
