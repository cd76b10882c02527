/**
 * The one place that maps interactions to command behaviours: slash commands by name, autocomplete by command
 * name, buttons by custom-id prefix. Whatever a command throws is caught here: the member gets a private
 * "something went wrong (error id …)" and the same id is logged with the error. Until the engine is built (the bot
 * logs in first), every interaction gets one private "still starting" instead.
 */
import { randomBytes } from 'node:crypto';
import { RESTJSONErrorCodes, type Interaction, type RepliableInteraction } from 'discord.js';
import type { BotContext, Command, Respond } from '../../commands/command';
import type { Reply } from '../discord/reply';
import { codeSpan } from '../discord/text';
import { formatMs } from '../duration';
import { callOf, memberOf } from './call';
import { HANDOVER_AFTER_MS } from './handover';
import { respondTo } from './respond';
import { redact, type Logger } from '../log';
import { visibleText } from '../visible-text';

/** What the router answers from: the commands' context once the engine is built, before that only "still starting". */
export type Serving = { ready: true; ctx: BotContext } | { ready: false; log: Logger; since: number };

export interface Router {
  handle(interaction: Interaction): Promise<void>;
}

/** Told when Discord refuses a reply as the interaction's second (40060, InteractionHasAlreadyBeenAcknowledged). */
const SECOND_INSTANCE = 'Discord says another process answered this interaction first: is a second bot running with this token (an old instance, another machine)? Stop it';

export function newErrorId(): string {
  return randomBytes(3).toString('hex').toUpperCase();
}

export function renderError(errorId: string): Reply {
  return { content: `Sorry, something went wrong (error id ${errorId}). The moderators can look it up in the bot's log.` };
}

/** Inside a code span nothing is formatted and a backslash shows as one: the name as typed (`codeSpan`), not escaped. */
export function renderUnknownCommand(name: string): Reply {
  return { content: `I don't know the command ${codeSpan(`/${name}`, 41)}. It may have been removed; try \`/ask\`, \`/sources\` or \`/about\`.` };
}

/**
 * The reply while the first index is built: "still starting (building its index)", as /about says of such a shard;
 * the time so far as a reload's progress tells it (`formatMs`).
 * @example renderStarting(95_000) // { content: 'The bot is still starting (building its index: 1 min 35 s so far). Please ask again in a minute.' }
 */
export function renderStarting(startingMs: number): Reply {
  return { content: `The bot is still starting (building its index: ${formatMs(Math.max(0, startingMs))} so far). Please ask again in a minute.` };
}

/** Answers one interaction while the engine is being built: autocomplete lists nothing, the rest get `renderStarting`. */
async function answerStarting(interaction: Interaction, respond: Respond | null, since: number): Promise<string | undefined> {
  if (interaction.isAutocomplete()) {
    await interaction.respond([]);
    return `${interaction.commandName} (autocomplete, starting)`;
  }
  if (!respond) return undefined;
  await respond.reply(renderStarting(Date.now() - since), { ephemeral: true });
  return `${interaction.isCommand() ? interaction.commandName : interaction.isButton() ? 'button' : interaction.type} (starting)`;
}

/** @example const router = createRouter(await loadCommands(), () => serving); client.on('interactionCreate', (i) => void router.handle(i)) */
export function createRouter(commands: Command[], current: () => Serving): Router {
  const byName = new Map(commands.map((c) => [c.definition.name, c]));
  const byPrefix = new Map(commands.flatMap((c) => (c.button ? [[c.button.prefix, c.button] as const] : [])));

  async function dispatch(interaction: Interaction, respond: Respond | null, ctx: BotContext): Promise<string | undefined> {
    if (interaction.isChatInputCommand() && respond) {
      const command = byName.get(interaction.commandName);
      if (!command) {
        ctx.log.warn('unknown command', { command: interaction.commandName, user: interaction.user.id });
        await respond.reply(renderUnknownCommand(interaction.commandName), { ephemeral: true });
      } else await command.execute(callOf(interaction), respond, ctx);
      return interaction.commandName;
    }
    if (interaction.isAutocomplete()) {
      const focused = interaction.options.getFocused(true);
      const complete = byName.get(interaction.commandName)?.autocomplete;
      const call = { member: memberOf(interaction), guildId: interaction.guildId };
      const choices = complete ? complete({ name: focused.name, value: String(focused.value ?? '') }, ctx, call) : [];
      // The names are shown (an article's title and file name): controls shown as in every message. The values
      // come back as the option (an article's file), so they stay as they are. A choice holding a secret is left out,
      // not masked: a mask would tell, letter by letter typed, how a word of the token goes on.
      const shown = choices.filter((c) => redact(c.name) === c.name && redact(c.value) === c.value);
      await interaction.respond(shown.map((c) => ({ ...c, name: visibleText(c.name) })));
      return `${interaction.commandName} (autocomplete)`;
    }
    if (interaction.isButton() && respond) {
      const prefix = interaction.customId.split(':', 1)[0];
      const button = byPrefix.get(prefix);
      if (!button) {
        ctx.log.warn('unknown button', { customId: interaction.customId.slice(0, 100), user: interaction.user.id });
        await respond.reply({ content: 'That button no longer does anything.' }, { ephemeral: true });
      } else await button.press(interaction.customId, respond, ctx);
      return `button ${prefix}`;
    }
    return undefined;
  }

  return {
    async handle(interaction) {
      const started = performance.now();
      const serving = current();
      const log = serving.ready ? serving.ctx.log : serving.log;
      const handoverAfterMs = serving.ready ? serving.ctx.timing.handoverAfterMs : HANDOVER_AFTER_MS;
      const respond = interaction.isRepliable() ? respondTo(interaction as RepliableInteraction, { log, handoverAfterMs }) : null;
      try {
        const what = serving.ready ? await dispatch(interaction, respond, serving.ctx) : await answerStarting(interaction, respond, serving.since);
        if (what) log.debug('interaction handled', { what, user: interaction.user.id, ms: Math.round(performance.now() - started) });
      } catch (err) {
        const what = interaction.isCommand() || interaction.isAutocomplete() ? interaction.commandName : interaction.isButton() ? `button ${interaction.customId.slice(0, 100)}` : interaction.type;
        if ((err as { code?: unknown } | undefined)?.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged) {
          // Not a bug: Discord gave the interaction to another process on this token too, and took its answer.
          log.warn(SECOND_INSTANCE, { what, user: interaction.user.id, err }); // its stack at debug: two answers racing here would be a bug
          return;
        }
        const errorId = newErrorId();
        log.error('interaction failed', { errorId, what, user: interaction.user.id, guild: interaction.guildId, err });
        const tell = async () => {
          if (respond) await respond.reply(renderError(errorId), { ephemeral: true });
          else if (interaction.isAutocomplete() && !interaction.responded) await interaction.respond([]);
        };
        await tell().catch((replyErr) => log.warn('could not tell the member about the error', { errorId, err: replyErr }));
      }
    },
  };
}
