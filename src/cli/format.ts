/**
 * Plain-text and JSON renderings of an engine answer, for the terminal mode and `npm run ask`. Both show the
 * sources' controls (ESC, C1, bidi overrides…) as visible stand-ins or escapes, never raw, and the token masked
 * (src/shown-text.ts).
 */
import type { Answer, ReloadReport } from '../engine';
import { formatMs } from '../duration';
import { shownJson, shownSpans, shownText } from '../shown-text';

/**
 * The `--json` contract: one object per question, exactly these fields. Parsed, every quote is verbatim but for the
 * token (its answer spans index the quote so masked); printed, the line holds no raw control (they are `\uXXXX`
 * escapes) and no piece of the token (`shownJson`).
 */
export function answerToJson(answer: Answer): string {
  return shownJson({
    question: answer.question,
    abstained: answer.abstained,
    model: answer.model,
    answers: answer.answers.map((q) => ({
      quote: q.quote,
      source: { title: q.source.title, file: q.source.file, url: q.source.url },
      score: q.score,
      context: { before: q.context.before, after: q.context.after },
      alsoIn: q.alsoIn.map((s) => ({ title: s.title, file: s.file })),
      // Into the quote as printed: a token in it is masked shorter (`shownJson`).
      answerSpans: shownSpans(q.quote, q.answerSpans),
    })),
  });
}

const QUOTE_MARK = /^["“„«‘]|["”»]$/;

/** The quote in quote marks, unless it already starts or ends with one (quoted speech): marks are never doubled. */
function quoted(text: string): string {
  return QUOTE_MARK.test(text) ? text : `“${text}”`;
}

/** A readable answer, as the bot would give it; the sources' controls shown, not acted on. */
export function answerToText(answer: Answer): string {
  const lines = [`Q: ${answer.question}`];
  if (answer.abstained) {
    // As the bot words it: "the sources do not answer" misled one asked in another language than theirs.
    const told =
      answer.abstainedBecause === 'words-absent'
        ? "Few of this question's words, if any, appear in the sources, so they do not answer it: ask in their own language and words."
        : 'The sources do not answer this question.';
    lines.push(`  ${told} (List them with :sources in the terminal, /sources on Discord.)`);
  }
  answer.answers.forEach((q, i) => {
    lines.push(`  ${i + 1}. ${quoted(q.quote)}`);
    lines.push(`     — ${q.source.title}${q.source.outlet ? `, ${q.source.outlet}` : ''} (${q.source.url ?? q.source.file})`);
    if (q.alsoIn.length) lines.push(`     also reported by: ${q.alsoIn.map((s) => s.title).join('; ')}`);
  });
  lines.push(`  [${answer.articlesSearched} articles searched in ${formatMs(answer.tookMs)}; model ${answer.model}]`);
  return shownText(lines.join('\n'));
}

const LISTED_FILES = 10;

/** The first files by name and how many more: a folder of thousands once printed them all on one line. */
function fileList(files: string[]): string {
  const more = files.length - LISTED_FILES;
  return `${files.slice(0, LISTED_FILES).join(', ')}${more > 0 ? ` and ${more.toLocaleString('en-US')} more` : ''}`;
}

/** A rebuild report, for moderators (file names and reasons may hold anything a file name can). */
export function reportToText(r: ReloadReport): string {
  const lines = [
    r.ok
      ? `Indexed ${r.articles} articles, ${r.sentences} sentences in ${formatMs(r.tookMs)} (${r.embedded} sentences embedded, model ${r.model}).`
      : `Reload failed: ${r.error}; the last good index keeps serving.`,
  ];
  if (r.added.length) lines.push(`  added: ${fileList(r.added)}`);
  if (r.changed.length) lines.push(`  changed: ${fileList(r.changed)}`);
  if (r.removed.length) lines.push(`  removed: ${fileList(r.removed)}`);
  for (const e of r.errors) lines.push(`  skipped ${e.file}: ${e.reason}`);
  return shownText(lines.join('\n'));
}
