import { appendFileSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Answer, type AnswerEngine } from '..';
import { answerQuestion } from '../answer';
import { DEFAULT_MAX_FILE_BYTES, readDataFolder, type Article } from '../corpus/articles';
import { loadEmbedder, type Embedder } from '../encoders/embedder';
import { sameObjects, updateSearchIndex } from './index-update';
import { loadModelParameters, type ModelParameters } from '../ranking/parameters';
import { buildSearchIndex, type SearchIndex } from './search-index';
import { folderKey, readSnapshot, snapshotPath, writeSnapshot } from '../snapshot/snapshot';

// The real engine, the offline model and FlexSearch: a reload that reuses the previous build must serve exactly
// what a build from scratch of the same files serves.
const dirs: string[] = [];
const tmp = (prefix: string) => {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const TOPICS = ['harbour', 'railway', 'orchestra', 'vineyard', 'glacier', 'satellite', 'museum', 'election'];
const PLACES = ['Lisbon', 'Tromsø', 'Nairobi', 'Valparaíso', 'Hanoi', 'Calgary'];

function article(a: number, extra = ''): string {
  const topic = TOPICS[a % TOPICS.length];
  const place = PLACES[a % PLACES.length];
  const paragraphs = Array.from({ length: 3 }, (_, p) =>
    Array.from({ length: 3 }, (_, s) => `The ${topic} in ${place} reported ${a * 100 + p * 10 + s} visitors during week ${p + s + 1}, said Ms ${PLACES[(a + s) % PLACES.length]}son.`).join(' '),
  );
  return `News about the ${topic} of ${place}\n\n${paragraphs.join('\n\n')}${extra}\n`;
}

/** Eighty articles in two folders, and a file that cannot be read. */
function folder(): string {
  const dir = tmp('update-data-');
  mkdirSync(path.join(dir, 'sub'));
  for (let a = 0; a < 80; a++) writeFileSync(path.join(dir, a % 2 ? `article-${a}.txt` : `sub/article-${a}.txt`), article(a));
  writeFileSync(path.join(dir, 'empty.txt'), '');
  return dir;
}

/**
 * One of each change: a file removed, one changed (new words, and spellings that change which one is commonest),
 * one added that sorts first (every later sentence moves), and the unreadable file fixed.
 */
function change(dir: string): void {
  unlinkSync(path.join(dir, 'article-3.txt'));
  appendFileSync(path.join(dir, 'sub', 'article-4.txt'), '\nThe MUSEUM curator Zbigniew Quillfeather catalogued 4,200 fossils. MUSEUM MUSEUM MUSEUM Museum.\n');
  writeFileSync(path.join(dir, 'aaa-first.txt'), 'Harbour pilots\n\nThe harbour pilots of Lisbon guided the frigate Esmeralda past the breakwater at dawn.\n');
  writeFileSync(path.join(dir, 'empty.txt'), 'A late note\n\nThe glacier in Hanoi is a fiction that the council denied on Tuesday evening.\n');
}

const QUESTIONS = [
  'How many visitors did the glacier in Hanoi report?',
  'Who catalogued the fossils at the museum?',
  'Who guided the frigate Esmeralda?',
  'What did Ms Lisbonson say about the railway?',
  'How many visitors came to the orchestre in Calgary?',
  'Quilfeather fossils',
  'Tell me about Tromsø',
  'What happened in week 3 at the vineyard?',
];
const PARTIALS = ['the gla', 'MUS', 'Qu', 'Lis', 'v', ''];

async function answersOf(engine: AnswerEngine): Promise<Array<Omit<Answer, 'tookMs'>>> {
  const out = [];
  for (const q of QUESTIONS) {
    const { tookMs: _, ...answer } = await engine.ask(q, { top: 10 });
    out.push(answer);
  }
  return out;
}

describe('a reload', () => {
  it('reuses the unchanged files and serves exactly what a build from scratch serves', async () => {
    const dataDir = folder();
    const engine = await openEngine({ dataDir, cacheDir: tmp('update-cache-'), warn: () => {} });
    const before = await answersOf(engine);
    change(dataDir);
    const report = await engine.reload();
    expect(report).toMatchObject({ ok: true, fromSnapshot: false, added: ['aaa-first.txt', 'empty.txt'], changed: ['sub/article-4.txt'], removed: ['article-3.txt'], errors: [] });
    // Only the added and changed files' sentences were new to the model (its cache is per model, not per build).
    expect(report.embedded).toBe(2 + 1 + 1);

    const fresh = await openEngine({ dataDir, cacheDir: tmp('update-cache-'), warn: () => {} });
    expect(fresh.status().lastReload?.fromSnapshot).toBe(false);
    const answers = await answersOf(engine);
    expect(answers).toEqual(await answersOf(fresh));
    expect(answers).not.toEqual(before);
    expect(answers[1].answers[0]?.quote).toMatch(/^The MUSEUM curator Zbigniew Quillfeather/);
    expect(answers[2].answers[0]?.quote).toMatch(/frigate Esmeralda/);
    // Stamps aside: each build's own, none for a file modified within seconds of it (racy-stamps.test.ts).
    const unstamped = (e: AnswerEngine) => e.articles().map(({ stamp: _, ...info }) => info);
    expect(unstamped(engine)).toEqual(unstamped(fresh));
    for (const partial of PARTIALS) expect(engine.suggest(partial, 25)).toEqual(fresh.suggest(partial, 25));

    // And again from that reloaded build: going back to a folder it had before.
    unlinkSync(path.join(dataDir, 'aaa-first.txt'));
    expect(await engine.reload()).toMatchObject({ ok: true, removed: ['aaa-first.txt'], embedded: 0 });
    const again = await openEngine({ dataDir, cacheDir: tmp('update-cache-'), warn: () => {} });
    expect(await answersOf(engine)).toEqual(await answersOf(again));
    for (const partial of PARTIALS) expect(engine.suggest(partial, 25)).toEqual(again.suggest(partial, 25));
  }, 60_000);
});

describe('a reload that takes another process\'s build (a shard after another shard reloaded)', () => {
  it('loads the snapshot the other one wrote when it matches the folder, and builds itself when the folder changed again', async () => {
    const dataDir = folder();
    const cacheDir = tmp('update-cache-');
    const builder = await openEngine({ dataDir, cacheDir, warn: () => {} });
    const warnings: string[] = [];
    const follower = await openEngine({ dataDir, cacheDir, warn: (m) => warnings.push(m) });
    expect(follower.status().lastReload?.fromSnapshot).toBe(true);
    change(dataDir);
    expect(await builder.reload({ waitForSnapshot: true })).toMatchObject({ ok: true, fromSnapshot: false });
    const took = await follower.reload({ useSnapshot: true });
    expect(took).toMatchObject({ ok: true, fromSnapshot: true, embedded: 0, added: ['aaa-first.txt', 'empty.txt'], changed: ['sub/article-4.txt'], removed: ['article-3.txt'] });
    expect(await answersOf(follower)).toEqual(await answersOf(builder));
    expect(warnings).toEqual([]);

    writeFileSync(path.join(dataDir, 'zzz-late.txt'), 'Late news\n\nThe railway in Nairobi reopened after the floods on Friday morning.\n');
    expect(await follower.reload({ useSnapshot: true })).toMatchObject({ ok: true, fromSnapshot: false, added: ['zzz-late.txt'] });
    expect(warnings).toEqual([expect.stringMatching(/is not used: the data folder changed since/)]);
  }, 60_000);
});

describe('updateSearchIndex', () => {
  let embedder: Embedder;
  let parameters: ModelParameters;
  beforeAll(async () => {
    embedder = await loadEmbedder({ cacheDir: tmp('update-model-'), warn: () => {} });
    parameters = loadModelParameters(embedder.folder, embedder.model, () => {});
  }, 60_000);

  /** The articles of a folder, the unchanged ones being the previous build's objects (as the engine passes them). */
  async function read(dataDir: string, previous?: SearchIndex): Promise<Article[]> {
    return sameObjects((await readDataFolder(dataDir)).articles, previous?.articles ?? []);
  }

  async function quotes(index: SearchIndex): Promise<unknown[]> {
    const out = [];
    for (const q of QUESTIONS) out.push((await answerQuestion(index, { embedder, parameters, crossEncoder: null }, q, 10)).quotes);
    return out;
  }

  for (const approximateFrom of [undefined, 50]) {
    it(`equals a fresh build part for part, and in every answer (${approximateFrom ? 'approximate dense index forced' : 'exact dense scan'})`, async () => {
      const dataDir = folder();
      const first = await buildSearchIndex(await read(dataDir), embedder, { approximateFrom });
      expect(first.dense.kind).toBe(approximateFrom ? 'approximate' : 'exact');
      change(dataDir);
      const articles = await read(dataDir, first);
      expect(articles.filter((a) => first.articles.includes(a))).toHaveLength(78);
      const updated = await updateSearchIndex(first, articles, embedder, { approximateFrom });
      const fresh = await buildSearchIndex(articles, embedder, { approximateFrom });
      expect(updated.dense.kind).toBe(fresh.dense.kind);
      // 18 sentences removed (a removed and a changed article's), 13 added: kept beside the graph, not rebuilt.
      if (approximateFrom) expect(updated.dense.changedSinceBuilt).toBe(18 + 13);

      expect(updated.termNames).toEqual(fresh.termNames);
      for (const part of ['sentences', 'paragraphs', 'sentenceTerms', 'paragraphTerms'] as const) expect(updated.parts[part]).toEqual(fresh.parts[part]);
      // The reused rows' int8 codes and scales copied, the added ones compacted as a fresh build compacts them.
      expect(updated.dense.vectors).toEqual(fresh.dense.vectors);
      expect(updated.termVectors).toEqual(fresh.termVectors);
      expect(updated.parts.sentenceBm25.arrays).toEqual(fresh.parts.sentenceBm25.arrays);
      expect(updated.parts.paragraphBm25.arrays).toEqual(fresh.parts.paragraphBm25.arrays);
      expect(new Map(updated.wordForms)).toEqual(new Map(fresh.wordForms));
      const live = (index: SearchIndex) => index.words.words.filter((w) => w.count > 0).sort((a, b) => (a.word < b.word ? -1 : 1));
      expect(live(updated)).toEqual(live(fresh));
      for (const p of PARTIALS) expect(updated.words.complete(p, 25)).toEqual(fresh.words.complete(p, 25));
      for (const w of ['Quilfeather', 'musuem', 'Lisbom', 'Esmerelda']) expect(updated.words.correct(w)).toEqual(fresh.words.correct(w));
      expect(await quotes(updated)).toEqual(await quotes(fresh));
      // The previous index still answers as it did (shared FlexSearch indexes grew, its words did not).
      expect(first.words.complete('Quill', 5)).toEqual([]);
      if (!approximateFrom) return;
      // The snapshot stores the graph with the changes beside it: read back, it answers the same, not rebuilt.
      const key = await folderKey(dataDir, embedder.id, DEFAULT_MAX_FILE_BYTES);
      const file = snapshotPath(tmp('update-snapshot-'), dataDir);
      await writeSnapshot(file, key, updated, []);
      const warnings: string[] = [];
      const stored = (await readSnapshot(file, key, (m) => warnings.push(m)))!;
      expect(warnings).toEqual([]);
      expect(stored.repaired).toBe(false);
      expect(stored.index.dense.changedSinceBuilt).toBe(18 + 13);
      expect(await quotes(stored.index)).toEqual(await quotes(fresh));
      // A graph read from the file (memory-mapped) is written again by the next snapshot, changes and all.
      const again = snapshotPath(tmp('update-snapshot-'), dataDir);
      await writeSnapshot(again, key, stored.index, []);
      const reread = (await readSnapshot(again, key, (m) => warnings.push(m)))!;
      expect(warnings).toEqual([]);
      expect(await quotes(reread.index)).toEqual(await quotes(fresh));
    }, 60_000);
  }
});
