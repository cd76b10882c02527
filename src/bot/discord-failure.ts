/** Discord failures an operator can fix (a rejected token, Discord out of reach), as one readable line. */

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
  return `could not connect to Discord: ${String(e?.message ?? err).split('\n')[0]}`;
}
