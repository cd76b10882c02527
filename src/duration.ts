/**
 * Durations as people read them, in one form wherever the bot or the terminal tells one (a reload's time, an
 * answer's, the wait before a reload): neither front's code, so each takes it from here.
 */

/**
 * "840 ms", "12.3 s", "1 min 35 s". Rounded to what is shown before the unit is chosen (59,960 ms is "1 min 0 s";
 * rounded after, it read "60.0 s", and 119,700 ms "1 min 60 s").
 * @example formatMs(95_000) // '1 min 35 s'
 */
export function formatMs(ms: number): string {
  // Callers time with a clock that only goes on; a time below 0 or no number still reads as one, not "-1500 ms" or "NaN min NaN s".
  if (Number.isNaN(ms) || ms === Number.POSITIVE_INFINITY) return 'an unknown time';
  ms = Math.max(0, ms);
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
