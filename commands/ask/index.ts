/**
 * /ask: the best verbatim quotes from the source articles for a member's question; also the autocomplete of
 * `question` and the "Show context" button of an answer.
 */
import { QuestionError, questionRefusal } from '../../src/engine/types';
import { LIMITS } from '../../src/discord/limits';
import { serverRefusal, type BotContext, type Choice, type Command, type CommandCall, type Respond } from '../command';
import { noArticlesYet } from '../wording';
import { CONTEXT_PREFIX, pressContext } from './context-button';
import { DISCORD_QUESTION_MAX_LENGTH, QUOTE_COUNT, definition } from './definition';
import { renderAnswer, renderChoices, renderCooldown, renderEmptyQuestion, renderQuestionRefusal } from './render';

/** The `count` option as a number of quotes within QUOTE_COUNT (Discord enforces it; a client may not). */
export function quoteCount(option: unknown): number {
  const n = typeof option === 'number' && Number.isFinite(option) ? Math.floor(option) : QUOTE_COUNT.default;
  return Math.max(QUOTE_COUNT.min, Math.min(QUOTE_COUNT.max, n));
}

/**
 * Discord's markup for a member, role, channel, command or custom emoji (`<@id>`, `<@!id>`, `<@&id>`, `<#id>`,
 * `</ask:id>`, `<:name:id>`) and the mass mentions: what a member's client puts in the option when they mention
 * someone. Not words of the question: the ids and "everyone" pull the search away (seed extra R@1 0.861 -> 0.778
 * with "@everyone " before each question). A run starts where the spaces before it start (`(?<!\s)`): tried from
 * every space of a long run instead, the match took quadratic time.
 */
const MENTION = /(?<!\s)(?:\s*(?:<(?:@[!&]?\d+|#\d+|\/[^<>:]{1,100}:\d+|a?:\w{1,32}:\d+)>|(?<![\w.])@(?:everyone|here)\b))+\s*/g;

/**
 * The question as the engine gets it (and as the answer echoes it): the option without Discord's mention markup.
 * @example questionOf('@everyone <@123> how long did they meet?') // 'how long did they meet?'
 */
export function questionOf(option: unknown): string {
  // A run of them between two words leaves one space; before punctuation or at either end, none.
  return String(option ?? '')
    .replace(MENTION, (run, at: number, all: string) => (at === 0 || /^[\s?!.,;:]?$/.test(all.charAt(at + run.length)) ? '' : ' '))
    .trim();
}

/**
 * Answers a question: a private hint when the engine would refuse it (empty, too long) or the member asks too fast,
 * both before anything else, so a refused question takes no cooldown (one the engine refuses once asked, with no
 * articles loaded yet, gives its back); otherwise defers at once (the first question after a start may load the
 * model), asks the engine and turns the deferral into the answer.
 * @example await ask({ options: { question: 'How long did Obama and Putin meet?' }, member, guildId }, respond, ctx)
 */
export async function ask(call: CommandCall, respond: Respond, ctx: BotContext): Promise<void> {
  const question = questionOf(call.options.question);
  const isPrivate = call.options.private === true;
  const refusal = questionRefusal(question);
  if (refusal) return respond.reply(refusal.kind === 'empty' ? renderEmptyQuestion() : renderQuestionRefusal(refusal.message), { ephemeral: true });
  const askedAt = Date.now();
  const until = ctx.state.cooldowns.take(call.member.id, askedAt);
  if (until !== null) return respond.reply(renderCooldown(until), { ephemeral: true });

  await respond.defer({ ephemeral: isPrivate });
  const started = performance.now();
  let answer;
  try {
    answer = await ctx.engine.ask(question, { top: quoteCount(call.options.count) });
  } catch (err) {
    // What the engine refuses only once asked (no articles loaded yet) goes to the member privately, as a refusal,
    // and takes no cooldown, as one refused before: once articles are added, they may ask at once. Who can add them
    // is the bot's to say (/sources says the same): in more than one server with none named, nobody can.
    if (!(err instanceof QuestionError)) throw err;
    ctx.state.cooldowns.release(call.member.id, askedAt);
    const told = err.kind === 'no-articles' ? noArticlesYet(serverRefusal(call.guildId, ctx)) : err.message;
    return respond.reply(renderQuestionRefusal(told), { ephemeral: true });
  }
  const ms = performance.now() - started;
  ctx.state.answerTimes.record(ms);
  ctx.state.quotes.keep(answer.answers);
  await respond.reply(renderAnswer(answer));
  ctx.log.info('answered', {
    user: call.member.id,
    guild: call.guildId,
    abstained: answer.abstained,
    quotes: answer.answers.length,
    ms: Math.round(ms),
  });
}

/**
 * Completions of the question being typed, drawn from the articles' words.
 * @example autocompleteQuestion({ name: 'question', value: 'Obama and Pu' }, ctx) // [{ name: 'Obama and Putin', … }, …]
 */
export function autocompleteQuestion(focused: { name: string; value: string }, ctx: BotContext): Choice[] {
  if (focused.name !== 'question') return [];
  const partial = focused.value.slice(0, DISCORD_QUESTION_MAX_LENGTH);
  return renderChoices(ctx.engine.suggest(partial, LIMITS.choices));
}

export const command: Command = {
  definition,
  execute: ask,
  autocomplete: autocompleteQuestion,
  button: { prefix: CONTEXT_PREFIX, press: pressContext },
};
