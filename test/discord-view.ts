/**
 * Reading the bot's messages as Discord shows them, for the end-to-end tests and `bench/discord-ask.ts`: a quote
 * with its Markdown (bold, escapes) undone, and which of an interaction's messages could ping someone.
 */
import type { RecordedCall } from './fake-discord';

/**
 * The quote of a rendered embed description (its first line, `> …`) as a reader sees it: bold marks and
 * backslash escapes undone; null when the line is not a block quote.
 * @example shownQuote('> **Obama** met for \\*90\\* minutes.') // 'Obama met for *90* minutes.'
 */
export function shownQuote(description: string): string | null {
  const line = description.split('\n')[0];
  if (!line.startsWith('> ')) return null;
  return line.slice(2).replace(/\\(.)|\*\*/g, (_m, c: string | undefined) => c ?? '');
}

/** The calls of an interaction whose message body does not set `allowed_mentions` to `{ parse: [] }` (empty = pings nobody). */
export function mentionLeaks(calls: RecordedCall[]): RecordedCall[] {
  return calls.filter((c) => {
    if (c.method === 'DELETE') return false;
    const isCallback = c.route.endsWith('/callback');
    // Deferrals, autocomplete choices and button acknowledgements carry no message.
    if (isCallback && [5, 6, 8].includes(c.body?.type)) return false;
    const body = isCallback ? c.body?.data : c.body;
    const am = body?.allowed_mentions;
    return !(am && Array.isArray(am.parse) && am.parse.length === 0 && Object.keys(am).length === 1);
  });
}
