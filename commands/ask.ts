/**
 * /ask question:<text> [count:1–5] [private:true]: the best verbatim quotes from the source articles.
 * Also the autocomplete of `question` and the "Show context" button of an answer.
 */
import { ApplicationCommandOptionType, ApplicationCommandType, MessageFlags } from 'discord.js';
import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { QuestionError } from '../src/engine/types';
import type { BotContext, Command } from '../src/bot/context';
import {
  CONTEXT_PREFIX,
  parseContextCustomId,
  quoteKey,
  renderAnswer,
  renderChoices,
  renderContext,
  renderCooldown,
  renderEmptyQuestion,
  renderQuestionError,
} from '../src/bot/render';

export const QUESTION_MAX_LENGTH = 300;

export const definition: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'ask',
  type: ApplicationCommandType.ChatInput,
  description: 'Ask a question about the news event; get verbatim quotes from the source articles.',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'question',
      description: 'Your question, e.g. "How long did Obama and Putin meet?"',
      required: true,
      max_length: QUESTION_MAX_LENGTH,
      autocomplete: true,
    },
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'count',
      description: 'How many quotes at most (1–5, default 3)',
      min_value: 1,
      max_value: 5,
    },
    {
      type: ApplicationCommandOptionType.Boolean,
      name: 'private',
      description: 'Only you see the answer',
    },
  ],
};

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const question = interaction.options.getString('question', true).trim();
  const count = Math.max(1, Math.min(5, interaction.options.getInteger('count') ?? 3));
  const isPrivate = interaction.options.getBoolean('private') ?? false;

  if (!question) {
    await interaction.reply({ ...renderEmptyQuestion(), flags: MessageFlags.Ephemeral });
    return;
  }
  const until = ctx.state.cooldowns.take(interaction.user.id);
  if (until !== null) {
    await interaction.reply({ ...renderCooldown(until), flags: MessageFlags.Ephemeral });
    return;
  }

  // The first question after a start loads the model: acknowledge within Discord's 3 seconds first.
  await interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {});
  const started = performance.now();
  let answer;
  try {
    answer = await ctx.engine.ask(question, { top: count });
  } catch (err) {
    if (!(err instanceof QuestionError)) throw err;
    if (isPrivate) {
      await interaction.editReply(renderQuestionError(err.message));
    } else {
      // The deferred reply is public: remove it and tell the member privately.
      await interaction.deleteReply().catch(() => undefined);
      await interaction.followUp({ ...renderQuestionError(err.message), flags: MessageFlags.Ephemeral });
    }
    return;
  }
  const ms = performance.now() - started;
  ctx.state.stats.record(ms);
  for (const q of answer.answers) ctx.state.quotes.put(quoteKey(q), q);
  await interaction.editReply(renderAnswer(answer));
  ctx.log.info('answered', {
    user: interaction.user.id,
    guild: interaction.guildId,
    abstained: answer.abstained,
    quotes: answer.answers.length,
    ms: Math.round(ms),
  });
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'question') {
    await interaction.respond([]);
    return;
  }
  const partial = String(focused.value ?? '').slice(0, QUESTION_MAX_LENGTH);
  await interaction.respond(renderChoices(ctx.engine.suggest(partial, 25)));
}

/** "Show context": the sentences around each quote of the answer, only for whoever pressed it. */
export async function showContext(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const keys = parseContextCustomId(interaction.customId);
  const found = keys.map((k) => ctx.state.quotes.get(k)).filter((q) => q !== undefined);
  await interaction.reply({ ...renderContext(found, found.length ? keys.length - found.length : 0), flags: MessageFlags.Ephemeral });
}

export const command: Command = {
  definition,
  execute,
  autocomplete,
  buttons: { prefix: CONTEXT_PREFIX, handle: showContext },
};
