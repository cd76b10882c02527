/**
 * Discord settings from the environment (dotenv is loaded by the caller), validated with messages that name the
 * variable and what is wrong. Engine settings (DATA_DIR, CACHE_DIR, …) live in `src/config.ts`.
 */
import { ConfigError, SettingProblems, type EnvFileError } from '../config';
import { addSecret } from '../log';

export { ConfigError };

export interface BotConfig {
  token: string;
  /** The application id; needed to deploy commands, optional to run. */
  clientId: string | undefined;
  /** Deploy commands to this guild only (instant), instead of globally. */
  guildId: string | undefined;
  /** REST base URL without version (default discord.js' `https://discord.com/api`). */
  apiBase: string | undefined;
  /** Roles whose members may use /reload and /article besides those with Manage Server. */
  moderatorRoleIds: string[];
  /** The one server whose moderators may change the sources (MODERATOR_GUILD_ID, else DISCORD_GUILD_ID); null = the bot's one server (in more than one, or in shards, none). */
  moderatorGuildId: string | null;
  askCooldownSeconds: number;
  /**
   * Run under discord.js' ShardingManager with this many shards (one process each), or as many as Discord
   * recommends (`auto`); null runs one process with one gateway connection, as before.
   */
  shardCount: number | 'auto' | null;
}

/** Discord allows far fewer; anything above is a typo, not a plan. */
const MAX_SHARDS = 1024;

const SNOWFLAKE = /^\d{17,20}$/;

function snowflake(env: NodeJS.ProcessEnv, name: string, required: boolean): string | undefined {
  const v = env[name]?.trim();
  if (!v) {
    if (required) throw new ConfigError(`${name} is not set: it is the application id from the Discord developer portal (General Information → Application ID)`);
    return undefined;
  }
  if (!SNOWFLAKE.test(v)) throw new ConfigError(`${name} must be a Discord id (17–20 digits), got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Reads DISCORD_TOKEN, DISCORD_CLIENT_ID, DISCORD_GUILD_ID, DISCORD_API_BASE, MODERATOR_ROLE_IDS, MODERATOR_GUILD_ID,
 * ASK_COOLDOWN_SECONDS, SHARD_COUNT; a ConfigError names every bad one.
 * @param options.deploy true for `deploy-commands`, which also needs DISCORD_CLIENT_ID.
 * @example readBotConfig({ DISCORD_TOKEN: '…', ASK_COOLDOWN_SECONDS: '10' })
 */
export function readBotConfig(env: NodeJS.ProcessEnv = process.env, options: { deploy?: boolean } = {}): BotConfig {
  const problems = new SettingProblems();
  const token = problems.take(() => tokenOf(env.DISCORD_TOKEN?.trim()), '');
  const clientId = problems.take(() => snowflake(env, 'DISCORD_CLIENT_ID', options.deploy === true), undefined);
  const guildId = problems.take(() => snowflake(env, 'DISCORD_GUILD_ID', false), undefined);
  const apiBase = problems.take(() => apiBaseOf(env.DISCORD_API_BASE?.trim()), undefined);
  const moderatorRoleIds = problems.take(() => roleIdsOf(env.MODERATOR_ROLE_IDS ?? ''), []);
  // Every server the bot is in shares one data folder: with a home server, only its moderators may change it.
  const moderatorGuildId = problems.take(() => snowflake(env, 'MODERATOR_GUILD_ID', false), undefined) ?? guildId ?? null;
  const askCooldownSeconds = problems.take(() => cooldownOf(env.ASK_COOLDOWN_SECONDS?.trim()), 5);
  const shardCount = problems.take(() => shardCountOf(env.SHARD_COUNT?.trim()), null);
  problems.throwIfAny();
  return { token, clientId, guildId, apiBase, moderatorRoleIds, moderatorGuildId, askCooldownSeconds, shardCount };
}

function tokenOf(token: string | undefined): string {
  if (!token) throw new ConfigError('DISCORD_TOKEN is not set: copy the bot token from the Discord developer portal (Bot → Reset Token) into .env');
  // From here on, no log line or error message can show the token. Never echo the value: it is a secret.
  addSecret(token);
  if (/\s/.test(token) || token.length < 20) {
    throw new ConfigError('DISCORD_TOKEN does not look like a bot token (too short or contains spaces); paste the token alone, without "Bot " in front');
  }
  return token;
}

function apiBaseOf(apiBase: string | undefined): string | undefined {
  if (!apiBase) return undefined;
  let url: URL;
  try {
    url = new URL(apiBase);
  } catch {
    throw new ConfigError(`DISCORD_API_BASE must be a URL like https://discord.com/api, got ${JSON.stringify(apiBase)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`DISCORD_API_BASE must be an http(s) URL, got ${JSON.stringify(apiBase)}`);
  }
  if (/\/v\d+\/?$/.test(url.pathname)) {
    throw new ConfigError(`DISCORD_API_BASE must not include the API version (like /v10): use e.g. https://discord.com/api, got ${JSON.stringify(apiBase)}`);
  }
  return apiBase.replace(/\/+$/, '');
}

function roleIdsOf(list: string): string[] {
  const ids = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // Every bad one at once: named one by one, each fix met the next.
  const bad = ids.filter((id) => !SNOWFLAKE.test(id)).map((id) => JSON.stringify(id) + (/^<@&\d+>$/.test(id) ? ' (a mention: the id alone, without <@& >)' : ''));
  if (bad.length > 0) throw new ConfigError(`MODERATOR_ROLE_IDS must be comma-separated role ids (17–20 digits each), got ${bad.join(', ')}`);
  return ids;
}

function cooldownOf(cd: string | undefined): number {
  if (!cd) return 5;
  const n = Number(cd);
  if (!Number.isFinite(n) || n < 0 || n > 3600) {
    throw new ConfigError(`ASK_COOLDOWN_SECONDS must be a number of seconds from 0 to 3600, got ${JSON.stringify(cd)}`);
  }
  return n;
}

function shardCountOf(shards: string | undefined): BotConfig['shardCount'] {
  if (!shards) return null;
  if (shards.toLowerCase() === 'auto') return 'auto';
  const n = Number(shards);
  if (/^\d+$/.test(shards) && n >= 1 && n <= MAX_SHARDS) return n;
  throw new ConfigError(`SHARD_COUNT must be "auto" or a whole number of shards from 1 to ${MAX_SHARDS}, got ${JSON.stringify(shards)}`);
}

/**
 * A `.env` there but unreadable (`loadDotenv`'s error), checked with the other settings so that it is named among
 * them in one message (named alone, it met the owner only once they were fixed). With DISCORD_TOKEN in the
 * environment, the owner sets the settings there (a service's environment file; a bind mount of a missing .env makes
 * a folder of that name), so `npm start` and `deploy-commands` go on, warning `goingOn`. Not without the token, which
 * .env may hold; nor when the environment names no server where .env may have: for the start the moderators' (without
 * it the moderators of whichever one server the bot is in could change the articles; in more than one or in shards,
 * nobody), for `deploy` the one to register in (without it the commands go to every server). (`botConfig` null: its
 * read failed, and the environment says.)
 */
export function checkUnreadEnvFile(envFileError: EnvFileError, botConfig: BotConfig | null, options: { deploy?: boolean } = {}, env: NodeJS.ProcessEnv = process.env): void {
  if (!env.DISCORD_TOKEN?.trim()) throw envFileError;
  if (options.deploy) {
    if (botConfig ? botConfig.guildId === undefined : !env.DISCORD_GUILD_ID?.trim()) {
      throw new ConfigError(
        `${envFileError.unread}, and the environment names no server to deploy to: .env may name one (DISCORD_GUILD_ID), and without it the commands would be registered in every server the bot is in. Make .env readable, remove it, or set DISCORD_GUILD_ID in the environment`,
      );
    }
    return;
  }
  const guildNamed = botConfig ? botConfig.moderatorGuildId !== null : Boolean(env.MODERATOR_GUILD_ID?.trim() || env.DISCORD_GUILD_ID?.trim());
  if (!guildNamed) {
    throw new ConfigError(
      `${envFileError.unread}, and the environment names no moderators' server: .env may name one (MODERATOR_GUILD_ID), and without it the moderators of the bot's one server could change the articles (in more than one, or in shards, nobody could). Make .env readable, remove it, or set MODERATOR_GUILD_ID in the environment`,
    );
  }
}
