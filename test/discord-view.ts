/**
 * Reading the bot's messages as Discord shows them, for the end-to-end tests and `bench/discord-ask.ts`: an
 * interaction's callback, edit and follow-ups, a quote with its Markdown (bold, escapes) undone, and which of an
 * interaction's messages could ping someone.
 */
import type { RecordedCall } from './fake-discord';

/** An interaction's first response: its callback (a deferral, an answer, choices or a button acknowledgement). */
export const callback = (calls: RecordedCall[]) => calls.find((c) => c.route.endsWith('/callback'));
/** The edit of an interaction's original response (a deferred answer). */
export const edit = (calls: RecordedCall[]) => calls.find((c) => c.method === 'PATCH' && c.path.endsWith('/messages/%40original'));
/** An interaction's follow-up messages. */
export const followUps = (calls: RecordedCall[]) => calls.filter((c) => c.method === 'POST' && c.route.startsWith('/api/v10/webhooks/'));

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
