import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion, gatherCandidates } from '../answer';
import { parseArticle, readDataFolder } from '../corpus/articles';
import { loadEmbedder, OFFLINE_MODEL } from '../encoders/embedder';
import { FEATURE_COUNT } from './features';
import { loadModelParameters, parseModelParameters, type ModelParameters } from './parameters';
import { analyseQuestion } from '../question/question';
import { rankCandidates } from './ranker';
import { DEFAULT_RANKING, fuse } from './ranking';
import { CROSS_ENCODER_MODEL, type CrossEncoder } from '../encoders/cross-encoder';
import { loadStageCrossEncoder, rescore, rescoreFeatures, RESCORE_FEATURE_NAMES } from './rescore';
import { buildSearchIndex } from '../retrieval/search-index';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/rescore-rows.json', import.meta.url), 'utf8')) as Array<{
  features: number[][]; rankerScores: number[]; ce: number[]; rows: number[][]; scores: number[];
}>;
const parameters = loadModelParameters(OFFLINE_MODEL, 'offline', (m) => {
  throw new Error(m);
});

describe('the cross-encoder stage\'s parameters', () => {
  it('are stored beside the offline model and name the bundled cross-encoder', () => {
    const stage = parameters.crossEncoder!;
    expect(stage.model).toBe(CROSS_ENCODER_MODEL);
    expect(stage.top).toBeGreaterThanOrEqual(10);
    expect(stage.ranker.size).toBeGreaterThan(10);
    expect(stage.abstention.features).toContain('score');
    expect(stage.abstention.threshold).not.toBe(parameters.abstention!.threshold);
  });

  it('rows and scores are those LightGBM was trained and scored on', () => {
    expect(fixture.length).toBeGreaterThan(2);
    for (const q of fixture) {
      const rows = rescoreFeatures(Float32Array.from(q.features.flat()), q.rankerScores, Float32Array.from(q.ce));
      expect(rows.length).toBe(q.rows.length * RESCORE_FEATURE_NAMES.length);
      expect(Array.from(rows)).toEqual(q.rows.flat().map(Math.fround));
      q.scores.forEach((score, i) => expect(parameters.crossEncoder!.ranker.score(rows, i * RESCORE_FEATURE_NAMES.length)).toBeCloseTo(score, 9));
    }
  });

  it('refuses a stage without the ranker or over other features', () => {
    const stage = { model: 'x', top: 20, ranker: { features: ['a'], trees: [] }, abstention: { features: ['score'], weights: [1], bias: 0, threshold: 0.5 } };
    expect(() => parseModelParameters({ crossEncoder: stage }, '/m/quotebot.json')).toThrow(/needs the ranker/);
    const doc = JSON.parse(readFileSync(path.join(OFFLINE_MODEL, 'quotebot.json'), 'utf8'));
    expect(() => parseModelParameters({ ...doc, crossEncoder: { ...doc.crossEncoder, ranker: stage.ranker } }, '/m/quotebot.json')).toThrow(/other features/);
  });
});

describe('the cross-encoder stage through onnxruntime', async () => {
  const text = (s: string) => new TextEncoder().encode(s);
  const article = parseArticle(
    'g20.txt',
    text(
      'Leaders at the G20\n\nThe summit took place in Hangzhou, China, on September 4 and 5.\n\n' +
        'Obama and Putin met for 90 minutes on the sidelines of the summit.\n\nThe two leaders discussed Syria and Ukraine.\n\n' +
        'Putin said the talks were frank.\n\nObama flew to Laos after the summit.\n',
    ),
  );
  const index = await buildSearchIndex([article], null);
  let crossEncoder: CrossEncoder;
  beforeAll(async () => {
    crossEncoder = (await loadStageCrossEncoder(parameters, (m) => {
      throw new Error(m);
    }))!;
  });
  afterAll(async () => {
    await crossEncoder?.release();
  });

  it('reorders the ranker\'s best by the second ranker, scoring each with the cross-encoder, and keeps every candidate', async () => {
    const question = analyseQuestion(index, 'How long did Obama and Putin meet?');
    const ranked = rankCandidates(index, await gatherCandidates(index, null, question), question, parameters);
    const after = await rescore(question, ranked, index, parameters.crossEncoder!, crossEncoder);
    expect(after.ranked.map((c) => c.sentence).sort()).toEqual(ranked.ranked.map((c) => c.sentence).sort());
    const n = Math.min(parameters.crossEncoder!.top, ranked.ranked.length);
    const direct = await crossEncoder.score(question.text, ranked.ranked.slice(0, n).map((c) => index.text(c.sentence)));
    after.ranked.slice(0, n).forEach((c, k) => {
      const i = ranked.ranked.findIndex((r) => r.sentence === c.sentence);
      expect(after.crossEncoder![k]).toBeCloseTo(direct[i], 5);
      // Each row of features moved with its candidate.
      expect(Array.from(after.features!.subarray(k * FEATURE_COUNT, (k + 1) * FEATURE_COUNT))).toEqual(
        Array.from(ranked.features!.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT)),
      );
    });
    for (let k = 1; k < after.ranked.length; k++) expect(after.ranked[k].score).toBeLessThanOrEqual(after.ranked[k - 1].score);
    expect(index.text(after.ranked[0].sentence)).toMatch(/90 minutes/);
  });

  it('answers through the stage, and abstains on what the sources do not hold', async () => {
    const answered = await answerQuestion(index, { embedder: null, parameters, crossEncoder }, 'How long did Obama and Putin meet?', 2);
    expect(answered.quotes[0].quote).toMatch(/90 minutes/);
    const refused = await answerQuestion(index, { embedder: null, parameters, crossEncoder }, 'What is the capital of Australia?', 2);
    expect(refused.quotes).toEqual([]);
  });

  it('rescores only candidates of the fused shortlist, every one of which training/dump-candidates.ts scores', async () => {
    // The one-pass training rests on this: whatever ranker is fitted, the stage's head lies in the dumped shortlist.
    expect(parameters.crossEncoder!.top).toBeLessThanOrEqual(parameters.shortlist);
    // dump-candidates.ts shortlists as the engine does only while the model keeps the default fusion and the dump's
    // SHORTLIST (40, which train_ranker.py writes as `shortlist`): the dump does not read quotebot.json.
    expect(parameters.fusion).toEqual(DEFAULT_RANKING);
    expect(parameters.shortlist).toBe(40);
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'rescore-cache-'));
    const embedder = await loadEmbedder({ cacheDir, warn: (m) => expect.fail(m) });
    const seed = await buildSearchIndex((await readDataFolder(path.resolve('data'))).articles, embedder);
    for (const q of ['How long did Obama and Putin meet?', 'What did the two presidents say about Syria?', 'Where was the G20 summit held?']) {
      const question = analyseQuestion(seed, q);
      const retrieval = await gatherCandidates(seed, embedder, question);
      const shortlist = new Set(fuse(retrieval, parameters.fusion).slice(0, parameters.shortlist).map((c) => c.sentence));
      expect(shortlist.size).toBeGreaterThan(parameters.crossEncoder!.top); // so the stage's head is a part of it
      const after = await rescore(question, rankCandidates(seed, retrieval, question, parameters), seed, parameters.crossEncoder!, crossEncoder);
      expect(after.ranked.length).toBe(shortlist.size);
      for (const c of after.ranked) expect(shortlist.has(c.sentence)).toBe(true);
    }
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('without its cross-encoder, warns once and answers with the ranker and its own abstention', async () => {
    const warnings: string[] = [];
    const missing: ModelParameters = { ...parameters, crossEncoder: { ...parameters.crossEncoder!, model: '/nonexistent/cross-encoder' } };
    expect(await loadStageCrossEncoder(missing, (m) => warnings.push(m))).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/nonexistent.*without the cross-encoder stage/);
    const { quotes } = await answerQuestion(index, { embedder: null, parameters: missing, crossEncoder: null }, 'How long did Obama and Putin meet?', 2);
    expect(quotes[0].quote).toMatch(/90 minutes/);
  });
});
