import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion, gatherCandidates } from '../answer';
import { readDataFolder } from '../corpus/articles';
import { loadEmbedder, type Embedder } from '../encoders/embedder';
import { OFFLINE_MODEL } from '../encoders/offline-model';
import { loadModelParameters } from '../ranking/parameters';
import { analyseQuestion } from '../question/question';
import { loadStageCrossEncoder } from '../ranking/rescore';
import { buildSearchIndex, type SearchIndex } from '../retrieval/search-index';
import { folderKey, readSnapshot, writeSnapshot } from './snapshot';

// A restart must not change an answer: the index a question meets is the same whether it was just built or loaded
// from its snapshot. With a vocabulary of thousands of terms the nearest terms of a question's unknown words are
// found by the native scan, which once read a word's vector (a row of the question's batch) as the question's.
const root = mkdtempSync(path.join(os.tmpdir(), 'snapshot-vocabulary-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Plain lower-case words the offline model knows, commonest first (its tokenizer's vocabulary is in that order). */
function modelWords(): string[] {
  const vocab = JSON.parse(readFileSync(path.join(OFFLINE_MODEL, 'tokenizer.json'), 'utf8')).model.vocab as Record<string, number>;
  return Object.keys(vocab).filter((w) => /^[a-z]{4,}$/.test(w));
}

let embedder: Embedder;
let built: SearchIndex;
let loaded: SearchIndex;
let questions: string[];

beforeAll(async () => {
  const words = modelWords();
  // 3,000 words in 250 sentences of 12 (20 articles): a vocabulary above the native scan's 2,000 terms.
  const corpus = words.slice(200, 3200);
  const dataDir = path.join(root, 'data');
  mkdirSync(dataDir);
  for (let a = 0; a < 20; a++) {
    const sentences = Array.from({ length: 12 }, (_, s) => {
      const first = (a * 12 + s) * 12;
      const text = corpus.slice(first, first + 12).join(' ');
      return `${text[0].toUpperCase()}${text.slice(1)}.`;
    });
    writeFileSync(path.join(dataDir, `article-${a}.txt`), `Article ${a}\n\n${sentences.slice(0, 6).join(' ')}\n\n${sentences.slice(6).join(' ')}\n`);
  }
  // Each question: two corpus words and two words the corpus lacks (expanded to their nearest corpus terms).
  const absent = words.slice(3500, 3540);
  questions = Array.from({ length: 20 }, (_, q) => `What did ${corpus[q * 150]} and ${corpus[q * 150 + 7]} say about ${absent[2 * q]} or ${absent[2 * q + 1]}?`);
  embedder = await loadEmbedder({ cacheDir: path.join(root, 'cache'), warn: () => {} });
  const key = await folderKey(dataDir, embedder.id, 5 << 20);
  built = await buildSearchIndex((await readDataFolder(dataDir)).articles, embedder);
  const file = path.join(root, 'index.bin');
  await writeSnapshot(file, key, built, []);
  loaded = (await readSnapshot(file, key))!.index;
}, 120_000);

describe('a built index and the same index loaded from its snapshot, with a vocabulary of thousands of terms', () => {
  it('expand each question to the same terms and gather the same candidates', async () => {
    expect(built.termNames.length).toBeGreaterThan(2000);
    // Read into a buffer of their own, the term vectors are scanned natively without a copy.
    expect(loaded.termVectors!.byteOffset).toBe(0);
    let expansions = 0;
    for (const q of questions) {
      const fromBuild = await gatherCandidates(built, embedder, analyseQuestion(built, q));
      const fromSnapshot = await gatherCandidates(loaded, embedder, analyseQuestion(loaded, q));
      expect(fromSnapshot.terms).toEqual(fromBuild.terms);
      expect(fromSnapshot.candidates).toEqual(fromBuild.candidates);
      expansions += fromBuild.terms.filter((t) => t.expansion).length;
    }
    expect(expansions).toBeGreaterThan(20);
  });

  it('give the same quotes with the same confidence (the shipped ranker and cross-encoder)', async () => {
    const parameters = loadModelParameters(embedder.folder, embedder.model, () => {});
    const crossEncoder = await loadStageCrossEncoder(parameters, () => {});
    expect(crossEncoder).not.toBeNull();
    for (const q of questions) {
      const answer = (index: SearchIndex) => answerQuestion(index, { embedder, parameters, crossEncoder }, q, 5);
      expect(await answer(loaded)).toEqual(await answer(built));
    }
  });
});
