import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseQuestions } from './scoring';

// The seed-style question sets score by gold substring (`isHit` without `file`): a gold string that is not verbatim
// in data/ (a retyped apostrophe, a dropped word) could never hit, and its question would count as a miss of the engine.
const FIXTURES = 'bench/fixtures';
const texts = readdirSync('data').map((f) => readFileSync(path.join('data', f), 'utf8'));

describe.each(readdirSync(FIXTURES).filter((f) => /^seed-.*\.jsonl$/.test(f)))('%s', (file) => {
  const questions = parseQuestions(readFileSync(path.join(FIXTURES, file), 'utf8'));

  it('has answerable and off-topic questions, each asked once', () => {
    expect(questions.filter((q) => q.gold.length).length).toBeGreaterThan(0);
    expect(questions.filter((q) => !q.gold.length).length).toBeGreaterThan(0);
    expect(new Set(questions.map((q) => q.question)).size).toBe(questions.length);
  });

  it('takes every gold string verbatim from the seed articles in data/', () => {
    const missing = questions.flatMap((q) => q.gold.filter((g) => !texts.some((t) => t.includes(g))).map((g) => `${q.question} -> ${g}`));
    expect(missing).toEqual([]);
  });
});
