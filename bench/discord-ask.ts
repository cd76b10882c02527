/**
 * The seed questions asked through Discord, as members ask them. A script, not a test.
 *
 *   npx tsx bench/discord-ask.ts --questions FILE.jsonl [--data DIR] [--verbose]
 *
 * Opens the engine on DIR (default `data/`) as `npm run eval` does, starts the real bot (`startBot`, the real
 * discord.js client) against the fake Discord of the end-to-end tests on 127.0.0.1, and sends every question as
 * `/ask` from a fresh member (so the per-member cooldown never applies), with the default quote count. Each reply is
 * read as Discord shows it (the embeds' block quotes with bold and escapes undone) and scored with
 * `src/eval/scoring.ts`: answered vs "the sources don't answer", R@1/R@3 over the rendered quotes, off-topic
 * questions refused, quotes not found verbatim in the data files (whitespace runs compared as one space), and
 * messages that could ping someone.
 * Prints the same counts `npm run eval` prints for the same file, to compare.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationCommandOptionType } from 'discord.js';
import { scriptOptions } from '../src/cli/args';
import { decodeArticleText, TextDecodeError } from '../src/engine/corpus/decode-text';
import { readQuestionFile } from '../src/cli/question-set';
import { openEngineForCli, runMain } from '../src/cli/open-engine';
import { startBot } from '../src/bot/start-bot';
import { createArticleIntake, readIntakeSettings } from '../src/intake';
import { createLogger } from '../src/log';
import { outcome, summarise, type EvalOutcome } from '../src/eval/scoring';
import { ABSTAIN_TOLD } from '../commands/ask/render';
import { print, printError } from './print';
import { APP_ID, FakeDiscord, GUILD_ID, type RecordedCall } from '../test/fake-discord';
import { callback, edit, followUps, mentionLeaks, shownQuote } from '../test/discord-view';

/** A bot token for the fake Discord only (it accepts any `Bot …`). */
const TOKEN = 'bench-token-for-the-local-fake-discord';
const ELLIPSIS_CUT = / …$/;

/** The message an answer ends in: the deferral's edit, a follow-up, or an immediate reply. */
function replyOf(calls: RecordedCall[]): { content?: string; embeds?: Array<{ description?: string }> } | undefined {
  const edited = edit(calls);
  if (edited) return edited.body;
  const [followUp] = followUps(calls);
  if (followUp) return followUp.body;
  const cb = callback(calls);
  return cb?.body?.type === 4 ? cb.body.data : undefined;
}

/**
 * Whitespace runs as one space: a block quote shows a line break inside a sentence as a space (scraped subscripts:
 * "dioxygen, O\n2."), which is the sentence as written, not a quote missing from the data.
 */
function oneSpaced(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** Every file of the data folder as text, by path relative to it (hidden files skipped, as the engine does). */
async function dataTexts(dir: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, full);
    if (!entry.isFile() || rel.split(path.sep).some((p) => p.startsWith('.'))) continue;
    // Decoded as the engine reads it (UTF-16 with a byte-order mark too); a file it refuses serves no quote.
    try {
      texts.set(rel, oneSpaced(decodeArticleText(await readFile(full))));
    } catch (err) {
      if (!(err instanceof TextDecodeError)) throw err;
    }
  }
  return texts;
}

const USAGE = 'usage: npx tsx bench/discord-ask.ts --questions FILE.jsonl [--data DIR] [--verbose]';
const values = scriptOptions(process.argv.slice(2), { questions: { type: 'string' }, data: { type: 'string' }, verbose: { type: 'boolean' } }, USAGE, ['questions']);

runMain(async () => {
  const dataArg = values.data ?? 'data';
  const questions = await readQuestionFile(values.questions);
  const data = path.resolve(dataArg);
  const texts = await dataTexts(data);

  const engine = await openEngineForCli(data);
  const fake = new FakeDiscord();
  await fake.start();
  const bot = await startBot({
    engine,
    config: {
      token: TOKEN,
      clientId: APP_ID,
      guildId: undefined,
      apiBase: fake.apiBase,
      moderatorRoleIds: [],
      moderatorGuildId: GUILD_ID,
      askCooldownSeconds: 5,
      shardCount: null,
    },
    log: createLogger({ level: 'warn', write: (l) => process.stderr.write(`${l}\n`), secrets: [TOKEN] }),
    intake: createArticleIntake(readIntakeSettings({ DISCORD_API_BASE: fake.apiBase }, { dataDir: data, maxFileBytes: 5 << 20 }), () => engine.articles()),
  });

  const outcomes: EvalOutcome[] = [];
  const problems: string[] = [];
  let notVerbatim = 0;
  let pinging = 0;
  let unreadable = 0;
  let cutQuotes = 0;
  try {
    let memberSeq = 0;
    for (const q of questions) {
      const member = { id: `9200000000000${String(++memberSeq).padStart(5, '0')}` };
      const token = fake.command('ask', [{ name: 'question', type: ApplicationCommandOptionType.String, value: q.question }], member);
      const calls = await fake.waitForInteraction(token, (c) => replyOf(c) !== undefined, 60_000);
      const reply = replyOf(calls)!;
      pinging += mentionLeaks(calls).length;
      const embeds = reply.embeds ?? [];
      const abstained = embeds.length === 0;
      if (abstained && !Object.values(ABSTAIN_TOLD).some((told) => reply.content?.endsWith(told))) problems.push(`neither quotes nor a refusal: ${q.question} -> ${reply.content}`);
      const quotes = [];
      for (const e of embeds) {
        const shown = shownQuote(e.description ?? '');
        if (shown === null) {
          unreadable++;
          continue;
        }
        if (ELLIPSIS_CUT.test(shown)) cutQuotes++;
        const quote = oneSpaced(shown.replace(ELLIPSIS_CUT, ''));
        const file = [...texts].find(([, text]) => text.includes(quote))?.[0];
        if (file === undefined) {
          notVerbatim++;
          problems.push(`not verbatim in ${dataArg}: "${quote}"`);
        }
        quotes.push({ quote, file: file ?? '' });
      }
      const o = outcome(q, abstained, quotes, 0);
      outcomes.push(o);
      if (values.verbose) {
        const mark = q.gold.length === 0 ? (abstained ? 'refused (off-topic)' : 'ANSWERED off-topic') : abstained ? 'REFUSED' : `hit@${o.firstHit ?? '-'}`;
        printError(`${mark.padEnd(20)} ${q.question}${quotes.map((r) => `\n    > ${r.quote}`).join('')}`);
      }
    }
  } finally {
    await bot.stop();
    await fake.close();
    await engine.snapshotWritten(30_000);
  }

  const s = summarise(outcomes);
  print(
    [
      `questions ${s.questions} (${s.answerable} answerable, ${s.unanswerable} off-topic) through /ask; model ${engine.status().model}`,
      `answerable answered with quotes  ${s.answerable - s.abstainedAnswerable} of ${s.answerable} ("the sources don't answer" on ${s.abstainedAnswerable})`,
      `off-topic refused                ${s.abstainedUnanswerable} of ${s.unanswerable}`,
      `R@1 ${s.recallAt1.toFixed(3)}  R@3 ${s.recallAt3.toFixed(3)}  (on the rendered quotes)`,
      `quotes not verbatim in the data  ${notVerbatim}${cutQuotes ? ` (${cutQuotes} shown cut with "…", matched on the part shown)` : ''}`,
      `messages that could ping         ${pinging}`,
      ...(unreadable ? [`embeds without a block quote     ${unreadable}`] : []),
      ...problems,
    ].join('\n'),
  );
  if (notVerbatim || pinging || unreadable || problems.length) process.exitCode = 1;
});
