/**
 * Nearest-rank percentiles, shared by the bot's /about, `npm run eval` and `npm run bench`, so every answer-time
 * figure the project reports is computed the same way.
 */

/**
 * The smallest value with at least `p` percent of the values at or below it (nearest rank), or null for no values.
 * @example percentile([40, 10, 30, 20], 50) // 20
 * @example percentile([40, 10, 30, 20], 95) // 40
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}
