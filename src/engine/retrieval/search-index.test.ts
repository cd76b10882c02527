import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../corpus/articles';
import { buildSearchIndex } from './search-index';
import { termOf } from '../corpus/text';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('SearchIndex', () => {
  it('importing it (and the question path) loads no inference runtime', () => {
    const script = `
      await import('./src/engine/retrieval/search-index.ts');
      await import('./src/engine/answer.ts');
      const objects = process.report.getReport().sharedObjects.filter((o) => /onnxruntime/i.test(o));
      const modules = Object.keys((await import('node:module')).createRequire(import.meta.url).cache).filter((m) => /onnxruntime|@huggingface/.test(m));
      console.log(JSON.stringify({ objects, modules }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ objects: [], modules: [] });
  });

  it('is built with its word vectors: corpus terms close in meaning to a word are found', async () => {
    const article = parseArticle('a.txt', new TextEncoder().encode('Talks\n\nThe ceasefire in Syria held for a week after the talks.\n'));
    // A toy two-dimensional "model": words about a truce point one way, everything else the other.
    const embedder = {
      dim: 2,
      async embed(texts: string[]) {
        return Float32Array.from(texts.flatMap((t) => (/ceasefire|truce/i.test(t) ? [1, 0] : [0, 1])));
      },
    };
    const index = await buildSearchIndex([article], embedder);
    expect(index.nearestTerms(Float32Array.from([1, 0]), 2, 0.5).map((t) => t.term)).toEqual(['ceasefir']);
    expect((await buildSearchIndex([article], null)).nearestTerms(Float32Array.from([1, 0]), 2, 0.5)).toEqual([]);
  });

  it('knows each sentence\'s position in its paragraph, across articles', async () => {
    const text = (t: string) => new TextEncoder().encode(t);
    const a = parseArticle('a.txt', text('First\n\nOne sentence here. Two sentences here.\n\nA new paragraph starts. It goes on. And ends.\n'));
    const b = parseArticle('b.txt', text('Second\n\nAnother article begins here. It has two.\n'));
    const index = await buildSearchIndex([a, b], null);
    // Counted within each article's own sentence list, the plain way.
    const expected = [a, b].flatMap((article) => article.sentences.map((x, i) => i - article.sentences.findIndex((y) => y.paragraph === x.paragraph)));
    expect(expected).toContain(1);
    expect(Array.from({ length: index.sentenceCount }, (_, i) => index.positionInParagraph(i))).toEqual(expected);
  });

  it('retrieves with BM25 top-k pruning, every candidate carrying its exhaustive BM25 scores', async () => {
    // 400 sentences over a small vocabulary: many more match the question than the 200 lexical candidates kept.
    const vocabulary = ['summit', 'leaders', 'talks', 'trade', 'minutes', 'border', 'crisis', 'ceasefire', 'meeting', 'Syria'];
    const word = (i: number, j: number) => vocabulary[(Math.imul(i + 1, 2654435761) >>> (j * 3 + 7)) % vocabulary.length];
    const sentence = (i: number) => `The ${[0, 1, 2, 3, 4].map((j) => word(i, j)).join(' ')} went on for day ${i}.`;
    const articles = Array.from({ length: 40 }, (_, a) =>
      parseArticle(`a${a}.txt`, new TextEncoder().encode(`Article ${a}\n\n${Array.from({ length: 10 }, (_, k) => sentence(a * 10 + k)).join(' ')}\n`)),
    );
    // A toy model: the dense candidates are whatever sentences mention "border" most, not the best by BM25.
    const embedder = {
      dim: 2,
      async embed(texts: string[]) {
        return Float32Array.from(texts.flatMap((t) => {
          const n = (t.match(/border/g) ?? []).length;
          return n > 0 ? [Math.SQRT1_2, Math.SQRT1_2] : [0, 1];
        }));
      },
    };
    const index = await buildSearchIndex(articles, embedder);
    const terms = ['summit', 'talks', 'minutes'].map((word) => termOf(word)!).map((term, i) => ({ term, id: index.vocabulary.get(term) ?? -1, weight: i === 1 ? 0.5 : 1 }));
    expect(terms.every((t) => t.id >= 0)).toBe(true);
    const ids = terms.map((t) => t.id);
    const weights = terms.map((t) => t.weight);
    const sentences = index.parts.sentenceBm25.scores(ids, weights);
    const paragraphs = index.parts.paragraphBm25.scores(ids, weights);
    expect(index.sentenceCount).toBe(400);
    expect(sentences.size).toBeGreaterThan(200);
    const retrieval = index.retrieve(terms, Float32Array.from([1, 0]));
    // Some dense candidates match the question but are not among the best 200 by BM25: their score comes apart.
    const kept = [...sentences.values()].sort((a, b) => b - a)[199];
    expect(retrieval.candidates.some((c) => (sentences.get(c.sentence) ?? 0) > 0 && sentences.get(c.sentence)! < kept)).toBe(true);
    for (const c of retrieval.candidates) {
      expect(c.bm25).toBe(sentences.get(c.sentence) ?? 0);
      expect(c.paragraphBm25).toBe(paragraphs.get(index.sentence(c.sentence).paragraph) ?? 0);
    }
    expect(retrieval.maxBm25).toBe(Math.max(...sentences.values()));
    expect(retrieval.maxParagraphBm25).toBe(Math.max(...paragraphs.values()));
  });
});
