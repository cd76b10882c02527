/**
 * How often the words the engine marks as the answer (`Quote.answerSpans`) hold the gold answer, on the SQuAD dev
 * questions whose first quote is the gold sentence. A script, not a test: its figures go into docs/measurements.md.
 *
 *   npx tsx bench/answer-spans.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openEngine } from '../src/engine';
import { answerType } from '../src/engine/question/answer-type';
import { isHit } from '../src/eval/scoring';
import { scriptOptions } from '../src/cli/args';
import { printError } from './print';

scriptOptions(process.argv.slice(2), {}, 'usage: npx tsx bench/answer-spans.ts (no options: SQuAD dev from ../shared)');
const squad = path.resolve(import.meta.dirname, '../../shared/eval/squad');
if (!existsSync(squad)) {
  console.error(`no ${squad}: nothing to measure`);
  process.exit(0);
}
const rows = readFileSync(path.join(squad, 'questions-dev.jsonl'), 'utf8').split('\n').filter(Boolean)
  .map((l) => JSON.parse(l) as { question: string; answers: string[]; gold: string[]; file: string });
const engine = await openEngine({ dataDir: path.join(squad, 'data'), cacheDir: path.resolve('.cache'), warn: printError });
const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
const byType = new Map<string, { typed: number; marked: number; holds: number; spans: number; exact: number }>();
for (const q of rows) {
  const type = answerType(q.question);
  if (type === 'other') continue;
  const [best] = (await engine.ask(q.question, { top: 1 })).answers;
  if (!best || !isHit(q, { quote: best.quote, file: best.source.file })) continue;
  const stat = byType.get(type) ?? { typed: 0, marked: 0, holds: 0, spans: 0, exact: 0 };
  byType.set(type, stat);
  stat.typed++;
  if (best.answerSpans.length === 0) continue;
  stat.marked++;
  const marked = best.answerSpans.map(([s, e]) => norm(best.quote.slice(s, e)));
  stat.spans += marked.length;
  const answers = q.answers.map(norm);
  // Holds: one marked span contains a gold answer, or a gold answer contains the span (a name's surname).
  if (marked.some((m) => answers.some((a) => m.includes(a) || (m.length >= 3 && a.includes(m))))) stat.holds++;
  stat.exact += marked.filter((m) => answers.some((a) => m.includes(a) || (m.length >= 3 && a.includes(m)))).length;
}
let all = { typed: 0, marked: 0, holds: 0, spans: 0, exact: 0 };
console.log('type       first quote right  marked  marked words hold the answer  marked spans that are the answer');
for (const [type, s] of [...byType].sort()) {
  all = { typed: all.typed + s.typed, marked: all.marked + s.marked, holds: all.holds + s.holds, spans: all.spans + s.spans, exact: all.exact + s.exact };
  console.log(`${type.padEnd(10)} ${String(s.typed).padStart(17)}  ${(s.marked / s.typed).toFixed(2).padStart(6)}  ${(s.holds / Math.max(1, s.marked)).toFixed(2).padStart(30)}  ${(s.exact / Math.max(1, s.spans)).toFixed(2).padStart(32)}`);
}
console.log(`${'all'.padEnd(10)} ${String(all.typed).padStart(17)}  ${(all.marked / all.typed).toFixed(2).padStart(6)}  ${(all.holds / Math.max(1, all.marked)).toFixed(2).padStart(30)}  ${(all.exact / Math.max(1, all.spans)).toFixed(2).padStart(32)}`);
