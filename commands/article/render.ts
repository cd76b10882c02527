/** How /article's replies look (all private to the moderator). */
import path from 'node:path';
import type { ArticleInfo, ReloadReport } from '../../src/engine/types';
import type { AddedArticle } from '../../src/intake/intake';
import { LIMITS } from '../../src/discord/limits';
import { COLOR, type Reply } from '../../src/discord/reply';
import { codeSpan, cut, escapedCut, link, oneLine, plural } from '../../src/discord/text';
import type { Choice, ModerationRefusal } from '../command';
import { NO_MODERATORS_SERVER } from '../wording';

export function renderArticleRefused(why: ModerationRefusal): Reply {
  if (why === 'no-moderators-server') return { content: NO_MODERATORS_SERVER };
  return {
    content:
      why === 'other-server'
        ? "Only moderators of the server the bot's sources belong to can add or remove articles: every server the bot is in shares the same articles."
        : 'Only moderators (Manage Server, or a moderator role) can add or remove articles.',
  };
}

export function renderArticleUsage(): Reply {
  return { content: 'Give exactly one of `file` (a page saved as .html, a .md or a .txt article) and `url` (an http or https link).' };
}

/** An intake refusal: its one line, as the intake wrote it. */
export function renderIntakeRefusal(reason: string): Reply {
  const lead = 'Nothing was changed: ';
  return { content: lead + escapedCut(oneLine(reason), LIMITS.content - lead.length) };
}

/** `loaded`: how many articles are loaded (none on a bot started before any was added: no list to pick from). */
export function renderNoSuchArticle(id: string, loaded: number): Reply {
  if (loaded === 0) return { content: 'No articles are loaded yet, so there is nothing to remove: add one with `/article add`.' };
  return { content: `No loaded article is ${codeSpan(oneLine(id) || ' ', 150)}: pick one from the list that appears as you type.` };
}

export function renderLastArticle(last: ArticleInfo): Reply {
  return {
    content: `Nothing was changed: ${link(last.title, last.url, 200)} (${codeSpan(last.file, 200)}) is the only article left, and the bot needs one to answer from. Add another with \`/article add\` first.`,
  };
}

export function renderArticleBeingRemoved(article: ArticleInfo): Reply {
  return { content: `Nothing was changed: ${link(article.title, article.url, 200)} (${codeSpan(article.file, 200)}) is being removed already.` };
}

/** `file`: saved by an add whose reload has not loaded it yet. */
export function renderArticleBeingAdded(file: string): Reply {
  return { content: `Nothing was changed: ${codeSpan(file, 200)} is being added: remove it once it shows in the list as you type.` };
}

/** What the index holds after the reload, or why the reload failed (the last good index then keeps serving). */
function totals(report: ReloadReport): string {
  if (!report.ok) return `The reload failed (${escapedCut(oneLine(report.error ?? 'unknown error'), 300)}); the last good index keeps serving. Try \`/reload\`.`;
  return `Now ${plural(report.articles, 'article')}, ${plural(report.sentences, 'sentence')}.`;
}

/**
 * The new article: title (linked), outlet, date, sentence count, its first servable sentence, what it replaced.
 * @example renderAdded(added, await engine.reload()).embeds[0].title // 'Article added'
 */
export function renderAdded(added: AddedArticle, report: ReloadReport): Reply {
  const meta = [added.outlet, added.published].filter((x): x is string => !!x).map((x) => escapedCut(oneLine(x), 80));
  const notLoaded = report.errors.find((e) => e.file === added.file);
  const lines = [
    `**${link(added.title, added.url, 200)}**`,
    [...meta, plural(added.sentences, 'sentence')].join(' · '),
    `> ${escapedCut(oneLine(added.firstSentence.slice(0, 1200)), 1000)}`,
    `Saved as ${codeSpan(added.file, 200)}.`,
    ...added.replaced.map((r) => `Replaces ${codeSpan(r.file, 200)} (same link), kept aside as ${codeSpan(path.basename(r.setAsideTo), 200)}.`),
    notLoaded ? `The reload did not load it: ${escapedCut(oneLine(notLoaded.reason), 300)}` : totals(report),
  ];
  return {
    embeds: [
      {
        color: report.ok && !notLoaded ? COLOR.ok : COLOR.bad,
        title: added.replaced.length ? 'Article replaced' : 'Article added',
        description: cut(lines.join('\n'), LIMITS.embedDescription),
      },
    ],
  };
}

/**
 * `setAsideTo` null: its file had left the data folder before (the bot's host, or a removal whose reload failed).
 * `servedAgain`: the reload serves a file of its name (an add, or the host, put one back while it waited).
 * `renamedTo`: the reload serves its very file under another name (the host renamed it before this removal).
 * @example renderRemoved(info, '/srv/removed-articles/2026-…_removed_a.md', report).embeds[0].title // 'Article removed'
 */
export function renderRemoved(removed: ArticleInfo, setAsideTo: string | null, report: ReloadReport, servedAgain = false, renamedTo: string | null = null): Reply {
  const renamed = report.ok && renamedTo !== null ? codeSpan(renamedTo, 200) : null;
  const what = () => {
    if (!report.ok) return 'is still quoted until a reload succeeds'; // the old index, which holds it, keeps serving
    if (renamed) return `is still quoted: its file was renamed ${renamed} (not by this removal), and is quoted under that name. Remove ${renamed} to stop quoting it`;
    if (!servedAgain) return 'is no longer quoted';
    // Gone before, and back: nothing was set aside.
    if (setAsideTo === null) return 'is still quoted: a file of that name was put back meanwhile; see `/sources`';
    return 'was set aside, but a file of that name was put back meanwhile and is quoted: see `/sources`';
  };
  const lines = [
    `**${link(removed.title, removed.url, 200)}** (${codeSpan(removed.file, 200)}) ${what()}.`,
    renamed
      ? 'Nothing was set aside.'
      : setAsideTo === null
        ? 'Its file had already left the data folder (not moved by this removal), so none was set aside now.'
        : `Its file is kept aside as ${codeSpan(path.basename(setAsideTo), 200)}; the bot's host can bring it back.`,
    totals(report),
  ];
  return { embeds: [{ color: report.ok ? COLOR.ok : COLOR.bad, title: 'Article removed', description: lines.join('\n') }] };
}

/** Autocomplete choices: "title — file", the value being the article's id (skipped if too long for Discord). */
export function renderArticleChoices(articles: ArticleInfo[]): Choice[] {
  return articles
    .filter((a) => a.id.length <= LIMITS.choiceValue)
    .slice(0, LIMITS.choices)
    .map((a) => {
      const file = ` — ${a.file}`;
      const name = file.length >= LIMITS.choiceName - 10 ? cut(oneLine(a.title), LIMITS.choiceName) : `${cut(oneLine(a.title) || 'untitled', LIMITS.choiceName - file.length)}${file}`;
      return { name, value: a.id };
    });
}
