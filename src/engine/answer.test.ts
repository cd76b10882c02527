import { describe, expect, it } from 'vitest';
import { traceQuestion, type QuestionStep } from './answer';
import { parseArticle } from './corpus/articles';
import { OFFLINE_MODEL } from './encoders/embedder';
import { loadModelParameters } from './ranking/parameters';
import { buildSearchIndex } from './retrieval/search-index';

// bench/question-stages.ts times each step as the time since the previous one ended: that holds only while every
// step is told once, in this order, whether it has work to do or not.
const STEPS: QuestionStep[] = ['analyse', 'embed', 'expand', 'retrieve', 'rank', 'rescore', 'abstain', 'quotes'];

describe('traceQuestion', async () => {
  const article = parseArticle(
    'g20.txt',
    new TextEncoder().encode('Leaders at the G20\n\nObama and Putin met for 90 minutes on the sidelines of the summit.\n\nPutin said the talks were frank.\n'),
  );
  const index = await buildSearchIndex([article], null);
  const parameters = loadModelParameters(OFFLINE_MODEL, 'offline', (m) => expect.fail(m));

  it('tells every step once, in order, for an answered and a refused question', async () => {
    for (const [text, answered] of [['How long did Obama and Putin meet?', true], ['What is the capital of Australia?', false]] as const) {
      const told: QuestionStep[] = [];
      const trace = await traceQuestion(index, { embedder: null, parameters: { ...parameters, crossEncoder: null }, crossEncoder: null }, text, 2, (s) => told.push(s));
      expect(trace.answered, text).toBe(answered);
      expect(told, text).toEqual(STEPS);
    }
  });
});
