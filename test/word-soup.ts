/**
 * Word-soup article files for tests and benchmarks: hostile files made of real articles' own words in an order no
 * writer would use, so they match the event's vocabulary (and the natural share of stop words) but are not prose.
 * Seeded, so the same arguments always give the same text.
 *
 * - `randomWordSoup`: words drawn at random from the articles, a comma after every 11th (the file measured in
 *   docs/measurements.md, "A corpus with a monster sentence").
 * - `shuffledSentences`: each sentence of real prose with its own words shuffled, its punctuation mark kept.
 * - `shuffledRuns`: the prose cut into runs of `run` consecutive words, the runs shuffled (word pairs kept when 2).
 */

/** A small seeded generator (mulberry32): numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The words of a text as written (case kept; inner apostrophes and hyphens kept). */
export function wordsOf(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Words into a `.txt` article: a title line, then paragraphs of `perParagraph` words, commas every 11, a full stop at each paragraph's end. */
function soupFile(words: string[], perParagraph: number): string {
  const paragraphs: string[] = [];
  for (let p = 0; p < words.length; p += perParagraph) {
    const chunk = words.slice(p, p + perParagraph);
    paragraphs.push(chunk.map((w, i) => (i % 11 === 10 && i < chunk.length - 1 ? `${w},` : w)).join(' ') + '.');
  }
  return `Summit talks\n\n${paragraphs.join('\n\n')}\n`;
}

/**
 * `count` words drawn at random (with replacement) from `sources`, a comma after every 11th, in paragraphs of
 * `perParagraph` words (default one paragraph), as a scraped `.txt` article with a title line.
 * @example randomWordSoup([seedText], 1000, 1)
 */
export function randomWordSoup(sources: string[], count: number, seed: number, perParagraph = Infinity): string {
  const pool = sources.flatMap(wordsOf);
  const random = seededRandom(seed);
  const words = Array.from({ length: count }, () => pool[Math.floor(random() * pool.length)]);
  return soupFile(words, Number.isFinite(perParagraph) ? perParagraph : Math.max(count, 1));
}

/** Each sentence (ending in `.`, `!` or `?`) of `text` with its words shuffled within it; paragraphs kept. */
export function shuffledSentences(text: string, seed: number): string {
  const random = seededRandom(seed);
  return text
    .split(/\n\s*\n/)
    .map((paragraph) =>
      (paragraph.match(/[^.!?]+[.!?]*/g) ?? [])
        .map((sentence) => {
          const words = shuffle(wordsOf(sentence), random);
          return words.length ? `${words.join(' ')}${/[.!?]/.exec(sentence.trim().slice(-1))?.[0] ?? ''}` : '';
        })
        .filter(Boolean)
        .join(' '),
    )
    .filter(Boolean)
    .join('\n\n');
}

/** The words of `sources` in runs of `run` consecutive words, the runs shuffled, as a soup file of `perParagraph`-word paragraphs. */
export function shuffledRuns(sources: string[], run: number, seed: number, perParagraph = 2000): string {
  const words = sources.flatMap(wordsOf);
  const runs: string[][] = [];
  for (let i = 0; i < words.length; i += run) runs.push(words.slice(i, i + run));
  return soupFile(shuffle(runs, seededRandom(seed)).flat(), perParagraph);
}
