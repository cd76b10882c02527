/**
 * The on-disk embedding cache, through the real embedder (real transformers.js pipeline, offline model).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, open, readdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEmbedder } from './embedder';
import { EmbeddingCache, textKey } from './embedding-cache';

const tmpDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tmpDirs.map((d) => rm(d, { recursive: true, force: true })));
});

const texts = ['Sanctions were discussed at length.', 'The ministers met in Geneva.', 'No agreement was reached.', 'Talks resume next week.'];

/** A cache file holding `texts`, the vectors it holds, and its size. */
async function filledCache() {
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'quotebot-cache-'));
  tmpDirs.push(cacheDir);
  const a = await loadEmbedder({ cacheDir, warn: (m) => expect.fail(m) });
  const expected = await a.embed(texts);
  await a.flush();
  const [name] = await readdir(path.join(cacheDir, 'embeddings'));
  const file = path.join(cacheDir, 'embeddings', name);
  return { cacheDir, file, expected, size: (await stat(file)).size };
}

describe('the embedding cache', () => {
  it('detects a record whose vector was overwritten with plausible values: one warning, re-embedded, repaired', async () => {
    const { cacheDir, file, expected, size } = await filledCache();
    // Put the first text's vector (unit length, every value in range) into the second text's record.
    const bytes = await readFile(file);
    const vectorBytes = 4 * 100;
    const first = bytes.indexOf(Buffer.from(new Float32Array(expected.subarray(0, 100)).buffer));
    const second = bytes.indexOf(Buffer.from(new Float32Array(expected.subarray(100, 200)).buffer));
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(0);
    expect(second).not.toBe(first);
    const handle = await open(file, 'r+');
    await handle.write(bytes.subarray(first, first + vectorBytes), 0, vectorBytes, second);
    await handle.close();

    const warnings: string[] = [];
    const b = await loadEmbedder({ cacheDir, warn: (m) => warnings.push(m) });
    const got = await b.embed(texts);
    expect([...got]).toEqual([...expected]);
    expect(b.computed).toBe(1); // only the damaged record is embedded again
    // A second call reads the file again: the damage is not reported twice, the new vector is found in memory.
    expect([...(await b.embed(texts))]).toEqual([...expected]);
    expect(b.computed).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/embedding cache .* 1 damaged record/);
    await b.flush();
    expect((await stat(file)).size).toBe(size);
    const c = await loadEmbedder({ cacheDir, warn: (m) => expect.fail(m) });
    await c.embed(texts);
    expect(c.computed).toBe(0);
  }, 30_000);

  it('drops a zero-filled tail with one warning and rewrites the file at its true size', async () => {
    const { cacheDir, file, expected, size } = await filledCache();
    const handle = await open(file, 'a');
    await handle.write(Buffer.alloc(size)); // as after a crash on a file system that had reserved the space
    await handle.close();
    expect((await stat(file)).size).toBe(2 * size);

    const warnings: string[] = [];
    const b = await loadEmbedder({ cacheDir, warn: (m) => warnings.push(m) });
    expect([...(await b.embed(texts))]).toEqual([...expected]);
    expect(b.computed).toBe(0);
    await b.flush();
    expect(warnings).toHaveLength(1);
    expect((await stat(file)).size).toBe(size);
    const c = await loadEmbedder({ cacheDir, warn: (m) => expect.fail(m) });
    await c.embed(texts);
    expect(c.computed).toBe(0);
  }, 30_000);

  it('marks of earlier calls decide compaction; a call that lets the records go reads the file again, a lookup holds nothing', async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'quotebot-cache-'));
    tmpDirs.push(cacheDir);
    const many = Array.from({ length: 1200 }, (_, i) => `Sentence ${i} of the summit report.`);
    const a = await loadEmbedder({ cacheDir, warn: (m) => expect.fail(m) });
    const expected = await a.embed(many);
    await a.flush();
    const [name] = await readdir(path.join(cacheDir, 'embeddings'));
    const file = path.join(cacheDir, 'embeddings', name);
    const full = (await stat(file)).size;

    // Two calls use 100 of the 1200 records. A plain flush (after a reload's lookups) keeps every record; one after
    // a full build (`compact`) keeps exactly those (the marks outlive each call's read).
    const b = await loadEmbedder({ cacheDir, warn: (m) => expect.fail(m) });
    expect([...(await b.embed(many.slice(0, 50)))]).toEqual([...expected.subarray(0, 50 * 100)]);
    expect([...(await b.embed(many.slice(600, 650)))]).toEqual([...expected.subarray(600 * 100, 650 * 100)]);
    expect(b.computed).toBe(0);
    await b.flush();
    expect((await stat(file)).size).toBe(full);
    await b.flush({ compact: true });
    const header = full - 1200 * (20 + 400 + 4);
    expect((await stat(file)).size).toBe(header + 100 * (20 + 400 + 4));

    // The cache alone (2-d vectors): a call that lets the records go reads the file again; `lookup` reads the
    // file each time, finds records set since the flush too, and holds nothing.
    const direct = path.join(cacheDir, 'direct.bin');
    const cache = new EmbeddingCache(direct, 'test', 2, (m) => expect.fail(m));
    const [x, y, z] = [textKey('x'), textKey('y'), textKey('z')];
    await cache.open();
    expect(cache.get(x)).toBeUndefined();
    cache.set(x, Float32Array.of(1, 2));
    cache.release();
    await cache.flush();
    await cache.open();
    expect([...cache.get(x)!]).toEqual([1, 2]);
    cache.release();
    cache.set(y, Float32Array.of(3, 4));
    const found = await cache.lookup([x, y, z]);
    expect([...found.keys()].sort()).toEqual([x, y].sort());
    expect([...found.get(x)!]).toEqual([1, 2]); // from the file
    expect([...found.get(y)!]).toEqual([3, 4]); // not flushed yet
    await cache.flush(); // appended
    expect([...(await cache.lookup([y])).get(y)!]).toEqual([3, 4]);
    await unlink(direct);
    expect((await cache.lookup([x, y])).size).toBe(0); // read again: the file is gone
    await cache.open();
    expect(cache.get(x)).toBeUndefined();
    cache.set(x, Float32Array.of(5, 6));
    cache.release();
    await cache.flush(); // a whole new file, not an append to nothing
    const again = new EmbeddingCache(direct, 'test', 2, (m) => expect.fail(m));
    await again.open();
    expect([...again.get(x)!]).toEqual([5, 6]);
    expect(again.get(y)).toBeUndefined();
    again.release();
  }, 60_000);

  // A full disk, as a file-size limit makes one without root: a write past it is cut short, the one after fails (EFBIG).
  it.skipIf(process.platform === 'win32')('on a full disk renames no cut-off cache into place and leaves no temporary file: one warning', async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'quotebot-cache-full-'));
    tmpDirs.push(cacheDir);
    const embedder = pathToFileURL(path.join(__dirname, 'embedder.ts')).href;
    const code = `import { loadEmbedder } from ${JSON.stringify(embedder)};
      const warnings = [];
      const e = await loadEmbedder({ cacheDir: ${JSON.stringify(cacheDir)}, warn: (m) => warnings.push(m) });
      await e.embed(${JSON.stringify(texts)});
      await e.flush();
      console.log(JSON.stringify(warnings));`;
    const limited = ['-c', 'ulimit -f 1 && exec "$@"', 'sh', process.execPath, '--import', 'tsx', '--input-type=module', '-e', code];
    const { stdout } = await promisify(execFile)('sh', limited, { env: { ...process.env, TSX_DISABLE_CACHE: '1' } });
    expect(JSON.parse(stdout)).toEqual([expect.stringMatching(/^could not write the embedding cache .*EFBIG.*recomputed next time$/)]);
    expect(await readdir(path.join(cacheDir, 'embeddings'))).toEqual([]);
  }, 60_000);

  // The rename of a whole written file can fail too (a folder in its place; on Windows, another process reading it).
  it('leaves no temporary file when the rewritten cache cannot be put in place: one warning', async () => {
    const { cacheDir, file } = await filledCache();
    await rm(file);
    await mkdir(path.join(file, 'in-the-way'), { recursive: true });
    const warnings: string[] = [];
    const e = await loadEmbedder({ cacheDir, warn: (m) => warnings.push(m) });
    await e.embed(texts);
    await e.flush();
    expect(warnings).toEqual([expect.stringMatching(/^could not write the embedding cache .*recomputed next time$/)]);
    expect(await readdir(path.dirname(file))).toEqual([path.basename(file)]);
  }, 60_000);
});
