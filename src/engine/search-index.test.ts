import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseArticle } from './articles';
import { buildSearchIndex } from './search-index';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('SearchIndex', () => {
  it('importing it (and the question path) loads no inference runtime', () => {
    const script = `
      await import('./src/engine/search-index.ts');
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
});
