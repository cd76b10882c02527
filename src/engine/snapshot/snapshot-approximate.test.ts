// The approximate index is stored beside the snapshot. Real corpora reach its threshold at 200,000 sentences; here
// the seed articles are built with it from 0 sentences on, through the real embedder and the real usearch.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArticle, readDataFolder } from '../corpus/articles';
import { updateSearchIndex } from '../retrieval/index-update';
import { loadEmbedder, type Embedder } from '../encoders/embedder';
import { buildSearchIndex, type SearchIndex } from '../retrieval/search-index';
import { approximatePath, folderKey, readSnapshot, snapshotPath, writeSnapshot, type SnapshotKey } from './snapshot';

const root = mkdtempSync(path.join(os.tmpdir(), 'snapshot-approximate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const tmp = (p: string) => mkdtempSync(path.join(root, p));

const ANN_QUESTIONS = ['How long did Obama and Putin meet?', 'Who is Dmitry Peskov?', 'What did they agree on Syria?', 'Where was the G20 summit?'];
let embedder: Embedder;
let dataDir: string;
let key: SnapshotKey;
let built: SearchIndex;
let queries: Float32Array[];

/** A fresh snapshot of the built index (approximate from 0 sentences on): its file. */
async function written(): Promise<string> {
  const file = snapshotPath(tmp('snapshot-ann-cache-'), dataDir);
  await writeSnapshot(file, key, built, []);
  return file;
}

const neighbours = (index: SearchIndex) => queries.map((q) => index.parts.dense.search(q, 30));

describe('the approximate index in the snapshot', () => {
  beforeAll(async () => {
    embedder = await loadEmbedder({ cacheDir: tmp('snapshot-ann-model-'), warn: () => {} });
    dataDir = tmp('snapshot-ann-data-');
    cpSync(path.resolve('data'), dataDir, { recursive: true });
    key = await folderKey(dataDir, embedder.id, 5 << 20);
    built = await buildSearchIndex((await readDataFolder(dataDir)).articles, embedder, { approximateFrom: 0 });
    const vectors = await embedder.embed(ANN_QUESTIONS);
    queries = ANN_QUESTIONS.map((_, i) => vectors.subarray(i * embedder.dim, (i + 1) * embedder.dim));
  }, 60_000);

  it('is stored beside it and read back as it was: the same neighbours, the same candidates, no warning', async () => {
    expect(built.parts.dense.kind).toBe('approximate');
    const file = await written();
    expect(existsSync(approximatePath(file))).toBe(true);
    const warnings: string[] = [];
    const stored = (await readSnapshot(file, key, (m) => warnings.push(m)))!;
    expect(warnings).toEqual([]);
    expect(stored.repaired).toBe(false);
    expect(stored.index.parts.dense.kind).toBe('approximate');
    expect(neighbours(stored.index)).toEqual(neighbours(built));
    const terms = [{ id: built.vocabulary.get('putin')!, weight: 1 }] as Parameters<SearchIndex['retrieve']>[0];
    expect(terms[0].id).toBeGreaterThanOrEqual(0);
    const candidates = stored.index.retrieve(terms, queries[0]).candidates;
    expect(candidates.length).toBeGreaterThan(30);
    expect(candidates).toEqual(built.retrieve(terms, queries[0]).candidates);
  });

  it("a reload that keeps the graph reuses its file: not saved again, and read back with the reload's changes", async () => {
    const file = await written();
    const ann = approximatePath(file);
    const saved = statSync(ann);
    const pier = parseArticle('pier.txt', Buffer.from('Pier report\n\nThe quartermaster counted 17 crates of marmalade on the pier.\n'));
    const next = await updateSearchIndex(built, [...built.articles, pier], embedder, { approximateFrom: 0 });
    expect(next.parts.dense.graph).toBe(built.parts.dense.graph); // kept, with one added row beside it
    await writeSnapshot(file, key, next, []);
    expect(statSync(ann)).toMatchObject({ ino: saved.ino, mtimeMs: saved.mtimeMs, size: saved.size });
    const stored = (await readSnapshot(file, key, (m) => expect.fail(m)))!;
    expect(neighbours(stored.index)).toEqual(neighbours(next));
    // Another graph (a fresh build's) is saved over it.
    const rebuilt = await buildSearchIndex([...built.articles, pier], embedder, { approximateFrom: 0 });
    await writeSnapshot(file, key, rebuilt, []);
    expect(statSync(ann).mtimeMs).not.toBe(saved.mtimeMs);
    expect(neighbours((await readSnapshot(file, key, (m) => expect.fail(m)))!.index)).toEqual(neighbours(rebuilt));
  });

  for (const [name, damage, reason] of [
    ['damaged (a byte flipped)', (f: string) => {
      const bytes = readFileSync(f);
      bytes[Math.floor(bytes.length * 0.7)] ^= 0xff;
      writeFileSync(f, bytes);
    }, /does not match the snapshot/],
    ['missing', (f: string) => rmSync(f), /is missing/],
    ['another build\'s', (f: string) => writeFileSync(f, readFileSync(f).subarray(0, 1000)), /does not match the snapshot/],
  ] as const) {
    it(`${name}: rebuilt from the stored vectors with one warning, serving the same neighbours; written again, it loads`, async () => {
      const file = await written();
      damage(approximatePath(file));
      const warnings: string[] = [];
      const stored = (await readSnapshot(file, key, (m) => warnings.push(m)))!;
      expect(warnings).toEqual([expect.stringMatching(reason)]);
      expect(warnings[0]).toMatch(/rebuilt from the snapshot's vectors/);
      expect(stored.repaired).toBe(true);
      expect(neighbours(stored.index)).toEqual(neighbours(built));
      await writeSnapshot(file, key, stored.index, stored.errors);
      const again: string[] = [];
      expect((await readSnapshot(file, key, (m) => again.push(m)))!.repaired).toBe(false);
      expect(again).toEqual([]);
    });
  }

  it('an index below the threshold leaves no approximate file, and removes one a larger build left', async () => {
    const file = await written();
    const exact = await buildSearchIndex(built.articles, embedder);
    expect(exact.parts.dense.kind).toBe('exact');
    await writeSnapshot(file, key, exact, []);
    expect(existsSync(approximatePath(file))).toBe(false);
    const warnings: string[] = [];
    const stored = (await readSnapshot(file, key, (m) => warnings.push(m)))!;
    expect(stored.index.parts.dense.kind).toBe('exact');
    expect(warnings).toEqual([]);
  });
});
