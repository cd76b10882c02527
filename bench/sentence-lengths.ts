/**
 * The distribution of served sentence lengths (characters, as JavaScript counts them) in data folders, and the
 * share of sentences over a few lengths: what the sentence-length cap (MAX_SENTENCE_CHARS) was chosen from.
 *
 *   npx tsx bench/sentence-lengths.ts --data data --data ../shared/eval/squad/data --data ../shared/eval/news/data
 *
 * A folder that does not exist (no `../shared` beside the project) is skipped with a message.
 */
import { existsSync } from 'node:fs';
import { scriptOptions } from '../src/cli/args';
import { readDataFolder } from '../src/engine/corpus/articles';
import { percentile } from '../src/percentiles';

const THRESHOLDS = [300, 500, 800, 1000, 1500, 2000];

const usage = 'usage: npx tsx bench/sentence-lengths.ts --data DIR [--data DIR …]';
const { data } = scriptOptions(process.argv.slice(2), { data: { type: 'string', multiple: true } }, usage, ['data']);

for (const folder of data) {
  if (!existsSync(folder)) {
    process.stdout.write(`${folder}: skipped (not found)\n`);
    continue;
  }
  const { articles } = await readDataFolder(folder);
  const lengths = articles.flatMap((a) => a.sentences.map((s) => s.end - s.start));
  const p = (x: number) => percentile(lengths, x);
  const over = THRESHOLDS.map((t) => {
    const n = lengths.filter((l) => l > t).length;
    return `>${t}: ${n} (${((100 * n) / lengths.length).toFixed(3)}%)`;
  });
  process.stdout.write(
    `${folder}: ${articles.length} articles, ${lengths.length} sentences; chars p50 ${p(50)} p90 ${p(90)} p99 ${p(99)} p99.9 ${p(99.9)} max ${lengths.reduce((a, b) => Math.max(a, b), 0)}\n  ${over.join(', ')}\n`,
  );
}
