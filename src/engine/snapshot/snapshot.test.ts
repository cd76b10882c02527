import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine, type Answer, type AnswerEngine } from '..';
import { readDataFolder } from '../corpus/articles';
import { MAX_SENTENCE_CHARS } from '../corpus/sentences';
import { loadEmbedder } from '../encoders/embedder';
import { buildSearchIndex } from '../retrieval/search-index';
import { randomWordSoup } from '../../../test/word-soup';
import { folderKey, readSnapshot, snapshotPath, writeSnapshot } from './snapshot';
import { tempDirs } from '../../../test/temp-dirs';

// The real engine on real files (offline model, real FlexSearch): a start from the snapshot must serve exactly what
// the build it stores served.
const tmp = tempDirs();

function seedCopy(): string {
  const dir = tmp('snapshot-data-');
  cpSync(path.resolve('data'), dir, { recursive: true });
  return dir;
}

const TOPICS = ['harbour', 'railway', 'orchestra', 'vineyard', 'glacier', 'satellite', 'museum', 'election', 'bakery', 'reservoir'];
const PLACES = ['Lisbon', 'Tromsø', 'Nairobi', 'Valparaíso', 'Hanoi', 'Calgary'];

/** Thirty articles, .txt and .md, sentences varied by topic, place and number; and one file that cannot be read. */
function syntheticFolder(): string {
  const dir = tmp('snapshot-synthetic-');
  mkdirSync(path.join(dir, 'sub'));
  for (let a = 0; a < 30; a++) {
    const topic = TOPICS[a % TOPICS.length];
    const place = PLACES[a % PLACES.length];
    const paragraphs = Array.from({ length: 3 }, (_, p) =>
      Array.from({ length: 3 }, (_, s) => {
        const n = a * 100 + p * 10 + s;
        return `The ${topic} in ${place} reported ${n} visitors during week ${p + s + 1}, said the council's spokesperson Ms ${PLACES[(a + s) % PLACES.length]}son.`;
      }).join(' '),
    );
    const body = paragraphs.join('\n\n');
    if (a % 2) writeFileSync(path.join(dir, `article-${a}.txt`), `News about the ${topic} of ${place}\n\n${body}\n\nArticle source: https://example.com/${a}\n`);
    else writeFileSync(path.join(dir, 'sub', `article-${a}.md`), `---\ntitle: The ${place} ${topic}, part ${a}\nsource: Example ${a}\npublished: 2024-01-${String((a % 28) + 1).padStart(2, '0')}\n---\n${body}\n`);
  }
  writeFileSync(path.join(dir, 'empty.txt'), '');
  return dir;
}

const SEED_QUESTIONS = ['How long did Obama and Putin meet?', 'Who is Dmitry Peskov?', 'What did Beskov say?', 'What did they agree on Syria?', 'Where was the G20 summit?', 'Peskof said what?', 'How do I bake banana bread?'];
const SYNTHETIC_QUESTIONS = ['How many visitors did the glacier in Hanoi report?', 'Who is the spokesperson of the museum?', 'What happened in week 3 at the vineyard?', 'How many visitors came to the orchestre in Calgary?', 'Tell me about Lisbon'];

/** The answers without their timing: everything a user sees, in order. */
async function answersOf(engine: AnswerEngine, questions: string[]): Promise<Array<Omit<Answer, 'tookMs'>>> {
  const out = [];
  for (const q of questions) {
    const { tookMs: _, ...answer } = await engine.ask(q, { top: 10 });
    out.push(answer);
  }
  return out;
}

function open(dataDir: string, cacheDir: string, warnings: string[] = []): Promise<AnswerEngine> {
  return openEngine({ dataDir, cacheDir, warn: (m) => warnings.push(m) });
}

describe('a start from the snapshot', () => {
  for (const [name, folder, questions] of [
    ['the seed articles', seedCopy, SEED_QUESTIONS],
    ['a synthetic folder of 30 articles', syntheticFolder, SYNTHETIC_QUESTIONS],
  ] as const) {
    it(`serves the same answers in the same order as a fresh build: ${name}`, async () => {
      const dataDir = folder();
      const cacheDir = tmp('snapshot-cache-');
      const built = await open(dataDir, cacheDir);
      expect(built.status().lastReload?.fromSnapshot).toBe(false);
      expect(existsSync(snapshotPath(cacheDir, dataDir))).toBe(true);
      const warnings: string[] = [];
      const loaded = await open(dataDir, cacheDir, warnings);
      expect(loaded.status().lastReload).toMatchObject({ ok: true, fromSnapshot: true, embedded: 0 });
      expect(warnings).toEqual([]);
      expect(loaded.status().lastReload?.errors).toEqual(built.status().lastReload?.errors);
      // Stamps aside: each build's own, none for a file modified within seconds of it (racy-stamps.test.ts).
      const unstamped = (e: AnswerEngine) => e.articles().map(({ stamp: _, ...info }) => info);
      expect(unstamped(loaded)).toEqual(unstamped(built));
      const answers = await answersOf(loaded, questions);
      expect(answers).toEqual(await answersOf(built, questions));
      expect(answers.some((a) => !a.abstained)).toBe(true);
      for (const partial of ['Obama and Pu', 'the gla', 'Pes', '']) expect(loaded.suggest(partial, 25)).toEqual(built.suggest(partial, 25));
    });
  }

  it('keeps what the build could not read: the same file errors are reported', async () => {
    const dataDir = syntheticFolder();
    const cacheDir = tmp('snapshot-cache-');
    await open(dataDir, cacheDir);
    const loaded = await open(dataDir, cacheDir);
    expect(loaded.status().lastReload).toMatchObject({ fromSnapshot: true, errors: [{ file: 'empty.txt', reason: 'empty file' }] });
  });
});

/** A start after a build whose snapshot says it was written by `version` of the format. */
async function startAfterVersion(version: number, dataDir: string): Promise<{ engine: AnswerEngine; warnings: string[] }> {
  const cacheDir = tmp('snapshot-cache-');
  await open(dataDir, cacheDir);
  const file = snapshotPath(cacheDir, dataDir);
  const bytes = readFileSync(file);
  bytes.writeUInt32LE(version, 4);
  writeFileSync(file, bytes);
  const warnings: string[] = [];
  return { engine: await open(dataDir, cacheDir, warnings), warnings };
}

describe('a snapshot that cannot serve is rebuilt with one warning', () => {
  async function damaged(damage: (file: string) => void, reason: RegExp): Promise<void> {
    const dataDir = seedCopy();
    const cacheDir = tmp('snapshot-cache-');
    const expected = await answersOf(await open(dataDir, cacheDir), SEED_QUESTIONS);
    const file = snapshotPath(cacheDir, dataDir);
    damage(file);
    const warnings: string[] = [];
    const engine = await open(dataDir, cacheDir, warnings);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(reason);
    expect(engine.status().lastReload).toMatchObject({ ok: true, fromSnapshot: false });
    expect(await answersOf(engine, SEED_QUESTIONS)).toEqual(expected);
    // The rebuild wrote a good snapshot again.
    const again: string[] = [];
    expect((await open(dataDir, cacheDir, again)).status().lastReload?.fromSnapshot).toBe(true);
    expect(again).toEqual([]);
  }

  it('a corrupted one (a byte flipped in the payload)', () =>
    damaged((file) => {
      const bytes = readFileSync(file);
      bytes[Math.floor(bytes.length * 0.6)] ^= 0xff;
      writeFileSync(file, bytes);
    }, /corrupted/));

  it('a truncated one (an interrupted copy)', () => damaged((file) => truncateSync(file, Math.floor(readFileSync(file).length / 2)), /cut off/));

  it('one of an older format version', () =>
    damaged((file) => {
      const bytes = readFileSync(file);
      bytes.writeUInt32LE(bytes.readUInt32LE(4) - 1, 4);
      writeFileSync(file, bytes);
    }, /format version/));

  it('one that is not a snapshot at all', () => damaged((file) => writeFileSync(file, 'hello'), /not a snapshot/));

  it('one written before over-long sentences were cut (version 4): the rebuild serves a run-on sentence in pieces', async () => {
    const dataDir = seedCopy();
    const runOn = Array.from({ length: 400 }, (_, i) => `delegation ${i} discussed the ceasefire in Aleppo`).join(', ');
    writeFileSync(path.join(dataDir, 'run-on.txt'), `Keyword list\n\n${runOn}.\n`);
    const { engine, warnings } = await startAfterVersion(4, dataDir);
    expect(warnings).toEqual([expect.stringMatching(/format version 4/)]);
    expect(engine.status().lastReload).toMatchObject({ ok: true, fromSnapshot: false });
    const quotes = (await engine.ask('Which delegation discussed the ceasefire in Aleppo?', { top: 5 })).answers.filter((a) => a.source.file === 'run-on.txt');
    expect(quotes.length).toBeGreaterThan(0);
    for (const q of quotes) expect(runOn.includes(q.quote) && q.quote.length <= MAX_SENTENCE_CHARS).toBe(true);
  });

  it('one written before word soup was refused (version 5): the rebuild skips the soup file, with its reason', async () => {
    const dataDir = seedCopy();
    const seeds = readdirSync(dataDir).map((f) => readFileSync(path.join(dataDir, f), 'utf8'));
    writeFileSync(path.join(dataDir, 'keywords.txt'), randomWordSoup(seeds, 2000, 1));
    const { engine, warnings } = await startAfterVersion(5, dataDir);
    expect(warnings).toEqual([expect.stringMatching(/format version 5/)]);
    expect(engine.status().lastReload).toMatchObject({ ok: true, fromSnapshot: false, errors: [{ file: 'keywords.txt', reason: expect.stringMatching(/^reads as word soup/) }] });
    expect(engine.articles().map((a) => a.file).sort()).toEqual(readdirSync(path.resolve('data')).sort());
  });

  it.each([6, 7, 8])('one of version %i (words not case folded; a combining mark splitting a word, or a word count; ʼ unfolded): rebuilt', async (version) => {
    const dataDir = seedCopy();
    const street = 'Shopkeepers on the Große Straße in Zu\u0308rich protested against the new parking fees on Monday.';
    writeFileSync(path.join(dataDir, 'street.txt'), `Parking fees\n\n${street}\n`);
    const { engine, warnings } = await startAfterVersion(version, dataDir);
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`format version ${version}`))]);
    expect(engine.status().lastReload).toMatchObject({ ok: true, fromSnapshot: false });
    const [best] = (await engine.ask('What happened on the Grosse Strasse in Zurich?')).answers;
    expect(best?.quote).toBe(street);
    expect(best.highlights.map(([a, b]) => street.slice(a, b))).toContain('Zu\u0308rich');
  });
});

describe('a changed data folder', () => {
  it('a changed file invalidates the snapshot: the start rebuilds and serves the new text', async () => {
    const dataDir = seedCopy();
    const cacheDir = tmp('snapshot-cache-');
    await open(dataDir, cacheDir);
    const file = readdirSync(dataDir).find((f) => f.endsWith('.txt'))!;
    appendFileSync(path.join(dataDir, file), '\n\nThe quartermaster counted seventeen crates of marmalade on the pier.\n');
    const warnings: string[] = [];
    const engine = await open(dataDir, cacheDir, warnings);
    expect(engine.status().lastReload).toMatchObject({ ok: true, fromSnapshot: false });
    expect(warnings).toEqual([expect.stringMatching(/data folder changed since \(1 file/)]);
    const answer = await engine.ask('How many crates of marmalade did the quartermaster count?');
    expect(answer.answers[0]?.quote).toBe('The quartermaster counted seventeen crates of marmalade on the pier.');
  });

  it('a reload rebuilds and writes the new snapshot, which the next start loads', async () => {
    const dataDir = seedCopy();
    const cacheDir = tmp('snapshot-cache-');
    const engine = await open(dataDir, cacheDir);
    writeFileSync(path.join(dataDir, 'added.md'), '---\ntitle: Harbour news\n---\nThe harbour master approved the new lighthouse in March.\n');
    // Written after the swap; the caller may wait for it.
    const report = await engine.reload({ waitForSnapshot: true });
    expect(report).toMatchObject({ ok: true, fromSnapshot: false, added: ['added.md'] });
    const warnings: string[] = [];
    const next = await open(dataDir, cacheDir, warnings);
    expect(warnings).toEqual([]);
    expect(next.status().lastReload).toMatchObject({ fromSnapshot: true, articles: 3 });
    expect((await next.ask('Who approved the new lighthouse?')).answers[0]?.quote).toBe('The harbour master approved the new lighthouse in March.');
  });

  it('another embedding model makes it stale (the key holds the model and its weights)', async () => {
    const dataDir = seedCopy();
    const cacheDir = tmp('snapshot-cache-');
    await open(dataDir, cacheDir);
    const file = snapshotPath(cacheDir, dataDir);
    // Rewrite the model id in the stored key, keeping the checksum valid, as a snapshot of another model would be.
    const { readSectionFile, writeSectionFile } = await import('./snapshot-file');
    const { SNAPSHOT_VERSION } = await import('./snapshot');
    const read = (await readSectionFile(file, SNAPSHOT_VERSION))!;
    const meta = read.meta as { key: { model: string } };
    meta.key.model = 'another model\nsome weights';
    await writeSectionFile(file, SNAPSHOT_VERSION, meta, Object.fromEntries(read.sections));
    const warnings: string[] = [];
    expect((await open(dataDir, cacheDir, warnings)).status().lastReload?.fromSnapshot).toBe(false);
    expect(warnings).toEqual([expect.stringMatching(/another embedding model/)]);
  });
});

describe('where the snapshot goes', () => {
  it('never inside the data folder, even when the cache folder is put there', async () => {
    const dataDir = seedCopy();
    const before = readdirSync(dataDir, { recursive: true }).sort();
    const outside = tmp('snapshot-cache-');
    await open(dataDir, outside);
    expect(readdirSync(dataDir, { recursive: true }).sort()).toEqual(before);
    expect(readdirSync(path.join(outside, 'snapshots'))).toHaveLength(1);
    const warnings: string[] = [];
    const inside = path.join(dataDir, '.cache');
    const engine = await open(dataDir, inside, warnings);
    expect(engine.status().lastReload?.ok).toBe(true);
    expect(existsSync(path.join(inside, 'snapshots'))).toBe(false);
    expect(warnings).toEqual([expect.stringMatching(/snapshot is not written: the cache folder .* is inside the data folder/)]);
    // Reached through a symbolic link from outside, it is still inside.
    const linked = path.join(tmp('snapshot-link-'), 'cache');
    symlinkSync(inside, linked);
    const linkWarnings: string[] = [];
    await open(dataDir, linked, linkWarnings);
    expect(existsSync(path.join(inside, 'snapshots'))).toBe(false);
    expect(linkWarnings).toEqual([expect.stringMatching(/snapshot is not written: the cache folder .* is inside the data folder/)]);
  });

  it('a temporary file left by a writer that died is removed by the next write; a live writer\'s is kept', async () => {
    const dataDir = seedCopy();
    const cacheDir = tmp('snapshot-cache-');
    const engine = await open(dataDir, cacheDir);
    const file = snapshotPath(cacheDir, dataDir);
    const dead = `${file}.4194303.tmp`; // above Linux's default pid_max: no such process
    const live = `${file}.${process.ppid}.tmp`;
    writeFileSync(dead, 'half a snapshot');
    writeFileSync(live, 'being written');
    await engine.reload({ waitForSnapshot: true });
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(readdirSync(path.dirname(file)).filter((f) => !f.endsWith('.tmp'))).toEqual([path.basename(file)]);
  });
});

describe("a reload's snapshot, written in the background after the swap", () => {
  it('is waited for by snapshotWritten, so a process ending right after the reload keeps it', async () => {
    const dataDir = syntheticFolder();
    const cacheDir = tmp('snapshot-cache-');
    const engine = await open(dataDir, cacheDir);
    let waited = false;
    expect(await engine.snapshotWritten(0, () => (waited = true))).toBe(true); // nothing being written: at once
    expect(waited).toBe(false);
    appendFileSync(path.join(dataDir, 'article-1.txt'), '\nThe quartermaster counted 17 crates of marmalade on the pier.\n');
    expect(await engine.reload()).toMatchObject({ ok: true, changed: ['article-1.txt'] });
    expect(await engine.snapshotWritten(30_000, () => (waited = true))).toBe(true);
    expect(waited).toBe(true); // the reload answered before its snapshot was on disk
    // The snapshot on disk is the reloaded build's: the next start loads it and quotes the new sentence.
    const next = await open(dataDir, cacheDir);
    expect(next.status().lastReload).toMatchObject({ ok: true, fromSnapshot: true });
    expect((await next.ask('How many crates of marmalade did the quartermaster count?')).answers[0]?.quote).toContain('quartermaster');
  });
});

describe('words named like object properties', () => {
  it("'constructor', 'valueOf', '__proto__' are terms like any other: the vocabulary reads back as built", async () => {
    const dataDir = tmp('snapshot-words-');
    writeFileSync(path.join(dataDir, 'a.txt'), 'The constructor\n\nThe constructor of the bridge kept valueOf tables, toString charts and __proto__ notes.\n');
    writeFileSync(path.join(dataDir, 'b.txt'), 'Harbour news\n\nThe harbour master counted seventeen ferries.\n');
    const embedder = await loadEmbedder({ cacheDir: tmp('snapshot-words-model-'), warn: () => {} });
    const index = await buildSearchIndex((await readDataFolder(dataDir)).articles, embedder);
    expect(index.termNames.every((t) => typeof t === 'string')).toBe(true);
    expect(index.vocabulary.has('constructor')).toBe(true);
    const file = path.join(tmp('snapshot-words-cache-'), 'words.bin');
    const key = await folderKey(dataDir, embedder.id, 5 << 20);
    await writeSnapshot(file, key, index, []);
    expect((await readSnapshot(file, key))!.index.termNames).toEqual(index.termNames);
  });
});

describe('a start from the snapshot, then a reload', () => {
  it('keeps the embedding cache whole: the reload looked up only the changed sentences, the others are not stale', async () => {
    const dataDir = tmp('snapshot-keep-cache-');
    for (let a = 0; a < 40; a++) {
      const sentences = Array.from({ length: 30 }, (_, s) => `Depot ${a} shipped ${a * 1000 + s} crates of ${TOPICS[s % TOPICS.length]} parts to ${PLACES[a % PLACES.length]}.`);
      writeFileSync(path.join(dataDir, `depot-${a}.txt`), `Depot ${a}\n\n${sentences.join(' ')}\n`);
    }
    const cacheDir = tmp('snapshot-cache-');
    await open(dataDir, cacheDir);
    const cacheFile = () => path.join(cacheDir, 'embeddings', readdirSync(path.join(cacheDir, 'embeddings'))[0]);
    const built = readFileSync(cacheFile()).length;
    const engine = await open(dataDir, cacheDir);
    expect(engine.status().lastReload).toMatchObject({ fromSnapshot: true });
    appendFileSync(path.join(dataDir, 'depot-3.txt'), '\nThe quartermaster counted 17 crates of marmalade on the pier.\n');
    expect(await engine.reload({ waitForSnapshot: true })).toMatchObject({ ok: true, changed: ['depot-3.txt'], embedded: 1 });
    expect(readFileSync(cacheFile()).length).toBeGreaterThan(built); // one record appended, none dropped
    const cold = await openEngine({ dataDir, cacheDir: tmp('snapshot-cache-'), warn: () => {} });
    expect(cold.status().lastReload?.embedded).toBeGreaterThan(1200); // what a lost cache costs
    rmSync(snapshotPath(cacheDir, dataDir));
    expect((await open(dataDir, cacheDir)).status().lastReload).toMatchObject({ fromSnapshot: false, embedded: 0 });
  }, 60_000);
});
