/**
 * Why a file is refused for its size, in one wording wherever it is told: a data folder's file (stat'ed, or read no
 * further than the limit: `readCapped`), and an added article (an upload's or a download's stated size, a download
 * stopped at the limit, the text extracted).
 */

const MB = 1024 * 1024;
/** Ways to tell a size, each with the bytes its unit stands for (to read a told limit back: `tellsExactly`). */
const oneDecimalMB = (n: number) => `${(n / MB).toFixed(1)} MB`;
const threeDecimalsMB = (n: number) => `${(n / MB).toFixed(3)} MB`;
const wholeKB = (n: number) => `${Math.round(n / 1024).toLocaleString('en-US')} KB`;
const bytes = (n: number) => `${n.toLocaleString('en-US')} bytes`;
const UNIT: Record<string, number> = { MB, KB: 1024, bytes: 1 };

/**
 * "too large: 2.0 MB, over the limit of 1.0 MB (MAX_FILE_MB)"; without `size` (read no further than the limit: a file
 * whose stated size is not trusted, a download that was stopped) "too large: over the limit of 1.0 MB (MAX_FILE_MB)".
 * @example tooLargeReason(1_048_576, 3_145_728) // 'too large: 3.0 MB, over the limit of 1.0 MB (MAX_FILE_MB)'
 */
export function tooLargeReason(limit: number, size?: number): string {
  const [over, max] = size === undefined ? [null, formatSizes(limit, limit)[1]] : formatSizes(size, limit);
  return `too large: ${over ? `${over}, ` : ''}over the limit of ${max} (MAX_FILE_MB)`;
}

/**
 * Whether `way` tells `limit` as MAX_FILE_MB set it (its megabytes rounded to bytes, src/config.ts): MAX_FILE_MB=1.25
 * in one decimal read "1.3 MB", and a file of 1.26 MB was said over it.
 */
function tellsExactly(way: (n: number) => string, limit: number): boolean {
  const [number, unit] = way(limit).split(' ');
  return Math.round(Number(number.replace(/,/g, '')) * UNIT[unit]) === limit;
}

/**
 * A size and the limit it is over, told apart: rounded alike, a file one byte over read "1.0 MB (the limit is
 * 1.0 MB)". Three decimals of MB next, then bytes. Under a MB (MAX_FILE_MB below 1) in whole KB rounded, not raised:
 * 1,025 bytes read "2 KB (the limit is 1 KB)". A way that would round the limit to another is passed over (bytes
 * never do). A size equal to the limit is the limit alone, in its first way.
 * @example formatSizes(1_048_577, 1_048_576) // ['1,048,577 bytes', '1,048,576 bytes']
 */
export function formatSizes(size: number, limit: number): [string, string] {
  const all = size >= MB && limit >= MB ? [oneDecimalMB, threeDecimalsMB, bytes] : limit >= 1024 ? [wholeKB, bytes] : [bytes];
  const ways = all.filter((way) => way === bytes || tellsExactly(way, limit));
  if (size === limit) return [ways[0](size), ways[0](limit)];
  for (const way of ways) {
    const told = [way(size), way(limit)] as [string, string];
    if (told[0] !== told[1]) return told;
  }
  return [bytes(size), bytes(limit)];
}
