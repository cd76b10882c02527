/** Discord failures an operator can fix (a rejected token, Discord out of reach, a wrong id), as one readable line. */
import { RESTJSONErrorCodes } from 'discord.js';
import type { BotConfig } from './config';

/** Logging in failed; `message` is one line for the operator (never the token), `cause` the original error. */
export class DiscordStartError extends Error {
  override name = 'DiscordStartError';
}

/**
 * One line saying why a call to Discord failed (logging in, deploying commands), naming what to check.
 * @example describeDiscordFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), undefined)
 * // 'could not reach Discord at https://discord.com/api (ECONNREFUSED): check the network or DISCORD_API_BASE'
 */
export function describeDiscordFailure(err: unknown, apiBase: string | undefined): string {
  const e = err as { code?: unknown; status?: unknown; message?: unknown; cause?: { code?: unknown } };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  if (code === 'TokenInvalid' || e?.status === 401) {
    return 'Discord rejected the token (HTTP 401): put the bot token from the developer portal (Bot → Reset Token) in DISCORD_TOKEN';
  }
  if (code && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT)$/.test(code)) {
    return `could not reach Discord at ${apiBase ?? 'https://discord.com/api'} (${code}): check the network or DISCORD_API_BASE`;
  }
  const message = String(e?.message ?? err).split('\n')[0];
  // It was reached: "could not connect" sent the operator to the network.
  if (typeof e?.status === 'number') return `Discord answered HTTP ${e.status} (${message})`;
  return `could not connect to Discord: ${message}`;
}

/**
 * One line saying why registering the commands failed. Discord's refusals of a first deploy say which id to fix
 * (another application's, no application's, a server the bot was not invited to); others as `describeDiscordFailure`.
 * @example describeDeployFailure(apiError /* 403, code 50001 *\/, { guildId: '…' }) // 'Discord refused (HTTP 403: Missing Access): the bot is not in …'
 */
export function describeDeployFailure(err: unknown, config: Partial<Pick<BotConfig, 'apiBase' | 'clientId' | 'guildId'>> = {}): string {
  const e = err as { status?: unknown; code?: unknown; message?: unknown } | null;
  const refused = `Discord refused (HTTP ${String(e?.status)}: ${String(e?.message)})`;
  const portal = 'copy the Application ID from General Information in the Discord developer portal';
  if (e?.code === RESTJSONErrorCodes.NotAuthorizedToPerformThisActionOnThisApplication) return `${refused}: DISCORD_CLIENT_ID (${config.clientId}) is not the application of this DISCORD_TOKEN: ${portal}, of the application whose bot token it is`;
  if (e?.code === RESTJSONErrorCodes.UnknownApplication) return `${refused}: DISCORD_CLIENT_ID (${config.clientId}) is no application's id (a server's or a user's?): ${portal}`;
  if (e?.code === RESTJSONErrorCodes.MissingAccess && config.guildId) {
    return `${refused}: the bot is not in the server DISCORD_GUILD_ID names (${config.guildId}), or was invited without the applications.commands scope: invite it with the link of README "Running the Discord bot", step 2, or correct DISCORD_GUILD_ID`;
  }
  return describeDiscordFailure(err, config.apiBase);
}
