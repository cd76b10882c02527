/**
 * What a command is. Each folder of `commands/` holds one slash command:
 *
 * - `definition.ts`: `export const definition`, the command as plain data (what `npm run deploy-commands` sends to
 *   Discord). It imports nothing but Discord's API types, so deploying loads no engine.
 * - `index.ts`: `export const command: Command`, its behaviour as plain functions of plain values (the options,
 *   the member, the engine) that answer through a `Respond`, never through discord.js directly.
 * - `render.ts`: how its replies look, as pure functions to `Reply`.
 *
 * The bot (src/bot/) finds the folders by itself: adding a command is adding a folder.
 */
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { AnswerEngine, Requester } from '../src/engine/types';
import type { ArticleIntake } from '../src/intake/intake';
import type { Logger } from '../src/log';
import type { Reply } from '../src/discord/reply';
import type { BotState } from './state';

export type Definition = RESTPostAPIChatInputApplicationCommandsJSONBody;

/** Who used a command, read from the interaction by the bot. */
export interface Member {
  id: string;
  /** Server nickname, else global name, else user name. */
  name: string;
  roleIds: string[];
  /** Manage Server in this channel. */
  canManageServer: boolean;
}

/** An uploaded file option, as Discord describes it. */
export interface AttachmentRef {
  /** Where Discord serves the file (its CDN): from Discord, not typed by the member. */
  url: string;
  name: string;
  /** Bytes, as Discord states. */
  size: number;
}

/** One use of a slash command, as plain values. */
export interface CommandCall {
  /** The sub-command used (`add` in `/article add`), if the command has sub-commands. */
  subcommand?: string;
  /** Options by name as the member's client sent them (Discord enforces the definition's limits; a client may not). */
  options: Record<string, string | number | boolean | undefined>;
  /** Attachment options by name. */
  attachments?: Record<string, AttachmentRef>;
  member: Member;
  guildId: string | null;
}

/**
 * How a behaviour answers. The bot's one implementation (src/bot/respond.ts) sends every message with no mention
 * allowed and the ephemeral flag when asked, so no command can forget either.
 */
export interface Respond {
  /** Acknowledges now ("thinking…") and answers later; Discord wants a first response within 3 seconds. */
  defer(options?: { ephemeral?: boolean }): Promise<void>;
  /** Shows an interim state in place of the deferred "thinking…" (reload progress); the answer still follows. */
  progress(reply: Reply): Promise<void>;
  /**
   * The answer: a reply, or after `defer` the deferred message turned into it. Asked to be ephemeral after a public
   * deferral, the public "thinking…" is deleted and the answer comes privately. A second answer is a follow-up.
   */
  reply(reply: Reply, options?: { ephemeral?: boolean }): Promise<void>;
}

/** One shard's index, as /about shows it (plain JSON: it crosses processes). */
export interface ShardStatus {
  shard: number;
  guilds: number;
  articles: number;
  sentences: number;
  /** When its serving index was built (epoch ms), null before its first build finished. */
  builtAt: number | null;
  /** A reload of its built index runs. */
  reloading: boolean;
  /** Before its first build is served: still logging in to Discord (it logs in first), or building its index; else null. */
  starting: 'logging-in' | 'building' | null;
}

/** What one shard's reload did (plain JSON). */
export interface ShardReload {
  shard: number;
  ok: boolean;
  error: string | null;
  articles: number;
  sentences: number;
  tookMs: number;
  /** True when it took the calling shard's build from the snapshot instead of building (the usual case). */
  fromSnapshot: boolean;
}

/** A shard the manager has not started yet (at start it starts them one after another): it reads the sources when it starts. */
export interface ShardNotStarted {
  shard: number;
  notStarted: true;
}

/** Every shard of the bot, when it runs as several processes under discord.js' ShardingManager. */
export interface Shards {
  /** This process's shard id, and how many there are. */
  shard: number;
  count: number;
  /**
   * After this shard's engine has reloaded (with `waitForSnapshot`), brings every other shard to the same build:
   * each loads the snapshot it wrote, or builds itself if the folder changed again since. Gives each shard's
   * outcome in shard order, this one's being its own reload; a shard not started yet reads the folder when it starts.
   */
  shareReload(requestedBy: Requester): Promise<Array<ShardReload | ShardNotStarted>>;
  statusAll(): Promise<Array<ShardStatus | ShardNotStarted>>;
}

/**
 * /reload's progress edits: the first after `progressAfterMs` (a quick reload goes straight to its report), then at
 * most one per `progressEveryMs` (Discord limits a message's edits, and a line replaced sooner cannot be read).
 */
export const PROGRESS_TIMING = { progressAfterMs: 3000, progressEveryMs: 2000 } as const;

/** What every behaviour receives besides its call: the engine, the log, the bot's state and settings. */
export interface BotContext {
  engine: AnswerEngine;
  log: Logger;
  state: BotState;
  /** Roles whose members may use moderator commands besides those with Manage Server. */
  moderatorRoleIds: string[];
  /** The only server moderator commands are accepted from (all servers share one data folder); null = any, while the bot is in one. */
  moderatorGuildId: string | null;
  /**
   * How many servers the bot is in, as far as this process knows: read at each call (a server added while it runs
   * counts at once); Infinity when it is one of several shards, which sees only its own servers.
   */
  servers(): number;
  /** Adding and removing article files (/article). */
  intake: ArticleIntake;
  /**
   * Progress edits during /reload (`PROGRESS_TIMING` in production; the tests' bot shows them sooner), and when a
   * reply still unanswered is handed over to the bot's own message before Discord's 15 minutes for it end
   * (`HANDOVER_AFTER_MS` in src/bot/handover.ts; the tests shorten it).
   */
  timing: { progressAfterMs: number; progressEveryMs: number; handoverAfterMs: number };
  /** The other shards' engines; null when the bot runs as one process. */
  shards: Shards | null;
}

/** An autocomplete choice (Discord allows 25 of at most 100 characters each; see `LIMITS`). */
export interface Choice {
  name: string;
  value: string;
}

/**
 * A slash command: its definition as data and its behaviours as functions.
 * @example
 * export const command: Command = {
 *   definition,
 *   async execute(call, respond, ctx) {
 *     await respond.reply({ content: `${ctx.engine.status().articles} articles` }, { ephemeral: true });
 *   },
 * };
 */
export interface Command {
  definition: Definition;
  execute(call: CommandCall, respond: Respond, ctx: BotContext): Promise<void>;
  /** Choices for the option being typed; `call` says who types (a moderator command lists nothing to others). */
  autocomplete?(focused: { name: string; value: string }, ctx: BotContext, call: Pick<CommandCall, 'member' | 'guildId'>): Choice[];
  /** Buttons whose custom id starts with `${prefix}:` are pressed here. */
  button?: { prefix: string; press(customId: string, respond: Respond, ctx: BotContext): Promise<void> };
}

/**
 * Why a call may not change the sources: it comes from another server than the moderators' one, or from a member who
 * is no moderator, or no moderators' server is named while the bot is in more than one (or runs in shards).
 */
export type ModerationRefusal = 'other-server' | 'not-moderator' | 'no-moderators-server';

/** Each refusal as the moderator commands log it. */
export const REFUSAL_LOGGED: Record<ModerationRefusal, string> = {
  'other-server': "not the moderators' server",
  'not-moderator': 'not a moderator',
  'no-moderators-server': "no moderators' server named, and the bot is in more than one (or runs in shards)",
};

/** What `moderationRefusal` judges by. */
export type ModerationSettings = Pick<BotContext, 'moderatorRoleIds' | 'moderatorGuildId' | 'servers'>;

/**
 * Why a call may not change the sources, or null when it may: from the moderators' server (when one is set, since
 * every server the bot is in shares the data folder), by a member with Manage Server or one of the moderator roles.
 * With none set, only while the bot is in one server (and not in shards): anyone may add a public bot to a server of
 * their own, where they have Manage Server, and would then remove the articles every server is quoted from and add
 * their own pages.
 * Checked server side by every moderator command, whatever Discord shows to whom; the refusal names which, since an
 * admin of another server has Manage Server there.
 * @example moderationRefusal({ guildId: '8', member: { id: '1', name: 'Mod', roleIds: [], canManageServer: true } }, { moderatorRoleIds: [], moderatorGuildId: '7', servers: () => 2 }) // 'other-server'
 */
export function moderationRefusal(call: Pick<CommandCall, 'member' | 'guildId'>, ctx: ModerationSettings): ModerationRefusal | null {
  const server = serverRefusal(call.guildId, ctx);
  if (server) return server;
  const { member } = call;
  return member.canManageServer || member.roleIds.some((id) => ctx.moderatorRoleIds.includes(id)) ? null : 'not-moderator';
}

/** A refusal whoever asks: the server it comes from, not the member. */
export type ServerRefusal = Exclude<ModerationRefusal, 'not-moderator'>;

/**
 * Why nobody may change the sources from the server `guildId` (its moderators included), or null when its moderators
 * may: what `moderationRefusal` checks before the member, and what /sources tells members of who can add articles.
 * @example serverRefusal('8', { moderatorGuildId: null, servers: () => 2 }) // 'no-moderators-server'
 */
export function serverRefusal(guildId: string | null, ctx: Pick<ModerationSettings, 'moderatorGuildId' | 'servers'>): ServerRefusal | null {
  if (ctx.moderatorGuildId !== null && guildId !== ctx.moderatorGuildId) return 'other-server';
  if (ctx.moderatorGuildId === null && ctx.servers() > 1) return 'no-moderators-server';
  return null;
}

/**
 * Whether a call may change the sources (`moderationRefusal` is null).
 * @example mayModerate({ options: {}, guildId: '7', member: { id: '1', name: 'Mod', roleIds: ['42'], canManageServer: false } }, { moderatorRoleIds: ['42'], moderatorGuildId: '7', servers: () => 2 }) // true
 */
export function mayModerate(call: Pick<CommandCall, 'member' | 'guildId'>, ctx: ModerationSettings): boolean {
  return moderationRefusal(call, ctx) === null;
}
