/** How /sources looks: every loaded article, linked, with outlet, date and sentence count. */
import type { ArticleInfo, EngineStatus } from '../../src/engine/types';
import { LIMITS } from '../../src/discord/limits';
import { COLOR, type Reply } from '../../src/discord/reply';
import { codeSpan, escapedCut, joinFitting, link, oneLine, plural, truncate } from '../../src/discord/text';
import { describeLastReload } from '../reload/render';

/** The shortest line an article can have, "**1.** x · 1 sentence", with its line break. */
const SHORTEST_LINE = 22;

/**
 * The articles, with "… and N more" past Discord's limits, and when the index was loaded and by whom.
 * @example renderSources(engine.articles(), engine.status()).embeds[0].title // 'Sources: 2 articles, 33 sentences'
 */
export function renderSources(articles: ArticleInfo[], status: EngineStatus): Reply {
  const title = `Sources: ${plural(articles.length, 'article')}, ${plural(status.sentences, 'sentence')}`;
  const fields = [{ name: 'Index loaded', value: truncate(describeLastReload(status), LIMITS.fieldValue) }];
  const errors = status.lastReload?.errors ?? [];
  if (errors.length) {
    fields.push({
      name: 'Files not loaded',
      value: joinFitting(errors.map((e) => codeSpan(e.file, 100)), 300, ', ') + ' (see `/reload` for reasons)',
    });
  }
  const room = Math.min(LIMITS.embedDescription, LIMITS.embedsTotal - title.length - fields.reduce((n, f) => n + f.name.length + f.value.length, 0));
  // Only as many lines as could fit are rendered: tens of thousands of articles would block the bot for a second.
  const lines = articles.slice(0, Math.ceil(room / SHORTEST_LINE)).map((a, i) => {
    const meta = [a.outlet ? escapedCut(oneLine(a.outlet), 80) : null, a.published ? escapedCut(oneLine(a.published), 40) : null].filter(Boolean);
    return `**${i + 1}.** ${link(a.title, a.url, 150)}${meta.length ? ` — ${meta.join(', ')}` : ''} · ${plural(a.sentences, 'sentence')}${addedBy(a)}`;
  });
  const description = lines.length ? joinFitting(lines, room, '\n', undefined, articles.length) : 'No articles are loaded.';
  return { embeds: [{ color: COLOR.answer, title, description, fields }] };
}

/** " · added by Ana <t:…:R>" for an article added with /article add (the saved "Name (id)" shown by name). */
function addedBy(a: ArticleInfo): string {
  if (!a.addedBy) return '';
  const at = a.addedAt ? Date.parse(a.addedAt) : NaN;
  const name = escapedCut(oneLine(a.addedBy.replace(/\s*\(\d+\)$/, '')), 60);
  return ` · added by ${name}${Number.isFinite(at) ? ` <t:${Math.floor(at / 1000)}:R>` : ''}`;
}
