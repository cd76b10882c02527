/** How /ask's replies look: the answer, the abstention, the hints, and the autocomplete choices. */
import type { APIEmbed } from 'discord.js';
import type { AbstainReason, Answer, SourceRef } from '../../src/engine/types';
import { LIMITS } from '../../src/discord/limits';
import { COLOR, type Reply } from '../../src/discord/reply';
import { blockQuote, cut, cutIndex, embedTitle, escapedCut, escapeUnlinked, joinFitting, link, oneLine, plural, safeUrl } from '../../src/discord/text';
import { formatMs } from '../../src/duration';
import type { Choice } from '../command';
import { contextButtonRow } from './context-button';

/** Room for the question echoed above an answer. */
const ECHOED_QUESTION_MAX = 300;

function questionLine(question: string): string {
  const label = '**Question:** ';
  return `${label}${escapedCut(oneLine(question), ECHOED_QUESTION_MAX - label.length, escapeUnlinked)}`;
}

function alsoReported(also: SourceRef[], max: number): string {
  if (also.length === 0 || max < 40) return '';
  const head = '*Also reported by* ';
  const list = joinFitting(also.map((s) => link(s.title, s.url, 80)), max - head.length, ', ');
  return list ? `${head}${list}` : '';
}

/**
 * The answer: one embed per quote under its article's title, or a plain "no answer" when abstained.
 * @example renderAnswer(await engine.ask('How long did Obama and Putin meet?')).embeds[0].description // '> **Obama** and **Putin** **met** for 90 minutes …'
 */
export function renderAnswer(answer: Answer): Reply {
  if (answer.abstained || answer.answers.length === 0) return renderAbstain(answer.question, answer.abstainedBecause);
  const quotes = answer.answers.slice(0, LIMITS.embeds);
  const footer = cut(
    `Searched ${plural(answer.articlesSearched, 'article')} (${plural(answer.sentencesSearched, 'sentence')}) in ${formatMs(answer.tookMs)} · model: ${answer.model}`,
    LIMITS.embedFooter,
  );
  const heads = quotes.map((q) => ({
    title: embedTitle(q.source.title, 'Untitled article'),
    author: q.source.outlet ? cut(oneLine(q.source.outlet), LIMITS.embedAuthor) : undefined,
  }));
  const fixed = heads.reduce((n, h) => n + h.title.length + (h.author?.length ?? 0), 0) + footer.length;
  const per = Math.min(LIMITS.embedDescription, Math.floor((LIMITS.embedsTotal - fixed) / quotes.length));
  const embeds: APIEmbed[] = quotes.map((q, i) => {
    const also = alsoReported(q.alsoIn, Math.min(600, Math.floor(per / 3)));
    const body = blockQuote(q, per - (also ? also.length + 2 : 0));
    const url = safeUrl(q.source.url);
    return {
      color: COLOR.answer,
      title: heads[i].title,
      ...(url ? { url } : {}),
      ...(heads[i].author ? { author: { name: heads[i].author! } } : {}),
      description: also ? `${body}\n\n${also}` : body,
      ...(i === quotes.length - 1 ? { footer: { text: footer } } : {}),
    };
  });
  return { content: questionLine(answer.question), embeds, components: [contextButtonRow(quotes)] };
}

/**
 * What an abstention tells, by why (`renderAbstain`). A question whose words (almost) all appear nowhere in the
 * sources is told so: "try rephrasing it" misled one asked in another language than the articles'.
 */
export const ABSTAIN_TOLD: Readonly<Record<AbstainReason, string>> = {
  'words-absent':
    "Few of this question's words, if any, appear in the source articles, so I have nothing to quote. Ask in the articles' own language and words, or see `/sources` for what they cover.",
  'not-answered': "The source articles don't answer this question, so I have nothing to quote. Try rephrasing it, or see `/sources` for what the articles cover.",
};

/** The sources do not answer: say so plainly (`ABSTAIN_TOLD`), quote nothing, point to /sources. */
export function renderAbstain(question: string, why: AbstainReason = 'not-answered'): Reply {
  return {
    content: `${questionLine(question)}\n${ABSTAIN_TOLD[why]}`,
    embeds: [],
    components: [],
  };
}

export function renderEmptyQuestion(): Reply {
  return { content: 'Please type a question after `/ask`, for example: *How long did the leaders meet?*' };
}

/** A question the engine refuses (too long, or no articles loaded yet): the message, written for members, says why. */
export function renderQuestionRefusal(message: string): Reply {
  return { content: cut(message, LIMITS.content) };
}

export function renderCooldown(untilMs: number): Reply {
  return { content: `You're asking a little fast: you can ask again <t:${Math.ceil(untilMs / 1000)}:R>.` };
}

/** Autocomplete choices: at most 25, names and values at most 100 characters, no duplicates or empties. */
export function renderChoices(suggestions: string[]): Choice[] {
  const seen = new Set<string>();
  const out: Choice[] = [];
  for (const s of suggestions) {
    const text = oneLine(s);
    if (!text) continue;
    // The value becomes the question: cut at a word without an ellipsis. The name may show one.
    const value = text.length <= LIMITS.choiceValue ? text : text.slice(0, cutIndex(text, LIMITS.choiceValue + 2)).trimEnd();
    if (!value || seen.has(value)) continue;
    seen.add(value);
    out.push({ name: cut(text, LIMITS.choiceName), value });
    if (out.length === LIMITS.choices) break;
  }
  return out;
}
