/**
 * The persisted index: one build of the data folder written into the cache folder, so a start with unchanged data
 * loads it instead of re-reading, re-splitting, re-tokenising and re-indexing every file.
 *
 * File `<cacheDir>/snapshots/<hash of the data folder's path>.bin`, a section file (`snapshot-file.ts`: checksummed,
 * typed arrays viewed in place). It is used only when its key equals the folder's: the format version, the model
 * (name and a hash of its weights), the file size limit, and every file's path, size and modification time (what
 * make and rsync trust; a listing with no reads, so checking costs milliseconds even for thousands of files), and for
 * a file modified near when the key was taken, which may have been rewritten since under the same stamp, what reading
 * it gives now (snapshot-key.ts).
 * It holds the articles' text, so the offsets it stores always index the very text they were computed on and no
 * file is opened at start; sentence and paragraph spans, term ids, BM25 postings, the vocabulary (FlexSearch's own
 * export), the words as written with their counts (what a reload updates the vocabulary from), sentence vectors
 * (int8 codes and scales) and term vectors. A large corpus's approximate index (usearch's own file format) goes
 * beside it in `<snapshot>.ann`, whose size and CRC-32 the snapshot holds, with the changes reloads made beside
 * the graph since it was built (`DenseIndex.graphChanges`): it is used only when it matches, and rebuilt from the
 * stored vectors (one warning) when it is missing or does not match.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { isArticleFile } from '../corpus/articles';
import { Bm25Index } from '../retrieval/bm25';
import { DenseIndex, type CompactVectors, type GraphChanges } from '../retrieval/dense-index';
import { commonWords } from '../retrieval/dictionary';
import { fileChecksum, readSectionFile, removeAbandoned, SnapshotError, writeSectionFile, type LazyBytes, type Section } from './snapshot-file';
import { keyDifference, racyChanged, type SnapshotKey } from './snapshot-key';
import { SearchIndex } from '../retrieval/search-index';
import { metaOf, servedArticles, type ArticleMeta, type ParagraphTable, type SentenceTable } from '../retrieval/sentence-table';
import type { FileError } from '../types';
import { WordLookup } from '../retrieval/word-lookup';

export { SnapshotError };
export { folderKey, type SnapshotKey } from './snapshot-key';

/** A snapshot not used now but kept for later: the folder holds no article file (a volume not mounted yet). */
export class SnapshotKept extends SnapshotError {
  override name = 'SnapshotKept';
}

/** What the owner can do about a kept snapshot (said after why it is not used, and what that leaves serving). One
 * snapshot a folder: an article added meanwhile is built alone, and its snapshot takes this one's place. */
export const SNAPSHOT_KEPT_ADVICE =
  'the snapshot is kept for when the article files are back: mount the volume (or put the same files back, their modification times kept) and restart or reload, and it is used instead of rebuilding every article (an article added meanwhile is built alone, and its snapshot replaces this one); if the folder is meant to be empty, delete the snapshot';

/** Bump when the file layout or anything that shapes a build (reading, splitting, tokenising) changes. 5: long
 * sentences cut (capSentence); 6: word soup refused; 7: index words case folded ("Straße" is "strasse"); 8: combining
 * marks kept in words ("Zu\u0308rich" was "Zu", "rich"); 9: and in word counts, initials, before ‘; ʼ folded; 10: the
 * key's `takenAt` (files modified near it compared by their bytes: snapshot-key.ts). */
export const SNAPSHOT_VERSION = 10;

/** Where the snapshot of `dataDir` goes: one per data folder, so two folders never overwrite each other's. */
export function snapshotPath(cacheDir: string, dataDir: string): string {
  return path.join(cacheDir, 'snapshots', `${createHash('sha1').update(path.resolve(dataDir)).digest('hex').slice(0, 16)}.bin`);
}

/** Lets the event loop run (questions are answered while a reload's snapshot is written). */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Strings measured between two breaths: at a million sentences, measuring every article's text took 125 ms. */
const STRINGS_PER_BREATH = 2048;

/**
 * Strings as one UTF-8 section and their cumulative end offsets (UTF-16 units): one decode reads them all back.
 * Encoded one string at a time as the section is written, never joined (the articles' text is 160 MB at a million
 * sentences).
 */
async function packStrings(list: readonly string[]): Promise<[LazyBytes, Uint32Array]> {
  const ends = new Uint32Array(list.length);
  let n = 0;
  let byteLength = 0;
  for (let i = 0; i < list.length; i++) {
    ends[i] = n += list[i].length;
    byteLength += Buffer.byteLength(list[i], 'utf8');
    if (i % STRINGS_PER_BREATH === STRINGS_PER_BREATH - 1) await breathe();
  }
  return [
    {
      byteLength,
      *parts() {
        for (const s of list) yield Buffer.from(s, 'utf8');
      },
    },
    ends,
  ];
}

function unpackStrings(bytes: Section, ends: Section): string[] {
  const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const out = new Array<string>(ends.length);
  for (let i = 0, start = 0; i < ends.length; start = ends[i++]) out[i] = all.slice(start, ends[i]);
  return out;
}

/** Int32 lists as one flat section and their cumulative end offsets. */
function packLists(lists: ArrayLike<number>[] | Iterable<number>[]): [Int32Array, Uint32Array] {
  const arrays = lists.map((l) => Int32Array.from(l as Iterable<number>));
  const ends = new Uint32Array(arrays.length);
  let n = 0;
  arrays.forEach((a, i) => (ends[i] = n += a.length));
  const flat = new Int32Array(n);
  arrays.forEach((a, i) => flat.set(a, ends[i] - a.length));
  return [flat, ends];
}

function unpackLists(flat: Section, ends: Section): Int32Array[] {
  const out = new Array<Int32Array>(ends.length);
  for (let i = 0, start = 0; i < ends.length; start = ends[i++]) out[i] = (flat as Int32Array).subarray(start, ends[i]);
  return out;
}

interface SnapshotMeta {
  key: SnapshotKey;
  errors: FileError[];
  articles: ArticleMeta[];
  dim: number;
  termVectors: boolean;
  /**
   * The approximate index file's size and CRC-32; null when the build had none (below its threshold). `changed`:
   * reloads changed rows since the graph was built (sections `graphRowOf`, `graphAdded`).
   */
  approximate: { bytes: number; crc: number; changed: boolean } | null;
}

/** Where the approximate index of the snapshot `file` goes. */
export const approximatePath = (file: string) => `${file}.ann`;

/**
 * The approximate graph each file beside a snapshot holds, as written or mapped by this process, with the file's
 * stamp and checksum: a reload keeps the graph (its changes go in the snapshot), so the next snapshot finds the
 * very file in place and neither saves the graph again (a native call that blocks the event loop ~0.5 s at a
 * million sentences and writes 250 MB) nor checksums it.
 */
const graphFiles = new WeakMap<object, { file: string; stamp: string; bytes: number; crc: number }>();

const stampOf = async (file: string) => stat(file).then((s) => `${s.ino}/${s.size}/${s.mtimeMs}`, () => null);

async function noteGraphFile(graph: object, file: string, sum: { bytes: number; crc: number }): Promise<void> {
  const stamp = await stampOf(file);
  if (stamp) graphFiles.set(graph, { file, stamp, ...sum });
}

/**
 * Writes the approximate index beside the snapshot (a temporary file renamed over the old one), unless the file
 * there already holds this graph; or removes a stale one when the build has none. Returns what the snapshot records of it.
 */
async function writeApproximate(file: string, dense: DenseIndex): Promise<SnapshotMeta['approximate']> {
  const graph = dense.graph;
  if (!graph) {
    await rm(file, { force: true });
    return null;
  }
  const changed = dense.graphChanges !== null;
  const written = graphFiles.get(graph);
  if (written?.file === file && written.stamp === (await stampOf(file))) return { bytes: written.bytes, crc: written.crc, changed };
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    dense.saveApproximate(tmp);
    const sum = await fileChecksum(tmp);
    await rename(tmp, file);
    await noteGraphFile(graph, file, sum);
    return { ...sum, changed };
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  } finally {
    await removeAbandoned(file);
  }
}

/**
 * Writes the snapshot of `index`, built from the folder `key` describes, with the files it could not read.
 * Atomic: a temporary file renamed over the old snapshot.
 */
export async function writeSnapshot(file: string, key: SnapshotKey, index: SearchIndex, errors: FileError[]): Promise<void> {
  const p = index.parts;
  const articles = p.articles.map(metaOf);
  const bm25 = (prefix: string, b: Bm25Index) => ({
    [`${prefix}Offsets`]: b.arrays.offsets, [`${prefix}Docs`]: b.arrays.docs, [`${prefix}Tfs`]: b.arrays.tfs, [`${prefix}Lengths`]: b.arrays.lengths,
  });
  const flex = await p.words.export();
  const sections: Record<string, Section | LazyBytes> = {};
  const strings = async (name: string, list: readonly string[]) => ([sections[name], sections[`${name}Ends`]] = await packStrings(list));
  const lists = (name: string, list: ArrayLike<number>[] | Iterable<number>[]) => ([sections[name], sections[`${name}Ends`]] = packLists(list));
  await strings('text', p.articles.map((a) => a.text));
  Object.assign(sections, {
    sentenceStarts: p.sentences.start, sentenceEnds: p.sentences.end, sentenceParagraphs: p.sentences.paragraph, articleFirstSentence: p.sentences.articleFirst,
    paragraphSpans: p.paragraphs.spans, articleFirstParagraph: p.paragraphs.articleFirst,
    sentenceTerms: p.sentenceTerms.flat, sentenceTermsEnds: p.sentenceTerms.ends, paragraphTerms: p.paragraphTerms.flat, paragraphTermsEnds: p.paragraphTerms.ends,
  });
  lists('titleTerms', p.titleTerms);
  await strings('termNames', p.termNames);
  await strings('words', p.words.words.map((w) => w.word));
  sections.wordCounts = Uint32Array.from(p.words.words, (w) => w.count);
  await strings('wordForms', [...p.wordForms.keys()]);
  sections.wordFormCounts = Uint32Array.from(p.wordForms.values());
  await breathe();
  await strings('prefixKeys', flex.prefix.map(([k]) => k));
  await strings('prefixData', flex.prefix.map(([, d]) => d));
  await strings('fuzzyKeys', flex.fuzzy.map(([k]) => k));
  await strings('fuzzyData', flex.fuzzy.map(([, d]) => d));
  sections.vectorCodes = p.dense.vectors.codes;
  sections.vectorScales = p.dense.vectors.scales;
  if (p.termVectors) sections.termVectors = p.termVectors;
  const changes = p.dense.graphChanges;
  if (changes) Object.assign(sections, { graphRowOf: changes.rowOf, graphAdded: changes.added });
  Object.assign(sections, bm25('sentenceBm25', p.sentenceBm25), bm25('paragraphBm25', p.paragraphBm25));
  // The approximate index first: a snapshot never names a file that is not there yet.
  const approximate = await writeApproximate(approximatePath(file), p.dense);
  const meta: SnapshotMeta = { key, errors, articles, dim: p.dim, termVectors: p.termVectors !== null, approximate };
  await writeSectionFile(file, SNAPSHOT_VERSION, meta, sections);
}

/** A snapshot read back. `repaired`: its approximate index had to be rebuilt, so the snapshot should be written again. */
export interface StoredIndex {
  index: SearchIndex;
  errors: FileError[];
  repaired: boolean;
}

/**
 * The index stored in `file` if it was built from the folder `key` describes; null when there is no snapshot.
 * Throws `SnapshotError` with the reason when there is one but it cannot serve (damaged, another version, stale).
 * An approximate index file that is missing or does not match is rebuilt from the stored vectors, with one `warn`.
 */
export async function readSnapshot(file: string, key: SnapshotKey, warn: (message: string) => void = () => {}): Promise<StoredIndex | null> {
  // An empty index writes no snapshot, so none matches a folder with no article file: refused unread, from the listing
  // (read whole, a million sentences' 614 MB took 0.5–0.7 s and 560 MB to refuse, at each shard's start and /reload).
  if (!key.files.some(([f]) => isArticleFile(f))) {
    if (!(await stat(file).catch(() => null))) return null;
    throw new SnapshotKept('the data folder holds no article file now (is its volume not mounted?)');
  }
  // The term vectors go to the native exact scan (`DenseIndex.exact`), which needs an array that starts its buffer:
  // read into one of their own, they are not copied out of the file's buffer (38 MB at a million sentences: 94,704
  // terms of 400 bytes).
  const read = await readSectionFile(file, SNAPSHOT_VERSION, { separateSections: ['termVectors'] });
  if (!read) return null;
  const meta = read.meta as SnapshotMeta;
  const stale = keyDifference(meta.key, key);
  if (stale) throw new SnapshotError(stale);
  const rewritten = await racyChanged(meta.key, key, meta.articles, meta.errors);
  if (rewritten) throw new SnapshotError(`the data folder changed since (${rewritten} file${rewritten === 1 ? '' : 's'} rewritten under the same size and time)`);
  const s = (name: string): Section => {
    const section = read.sections.get(name);
    if (!section) throw new SnapshotError(`section ${name} is missing`);
    return section;
  };
  const articleFirst = s('articleFirstSentence') as Int32Array;
  const article = new Int32Array(articleFirst[articleFirst.length - 1]);
  for (let a = 0; a + 1 < articleFirst.length; a++) article.fill(a, articleFirst[a], articleFirst[a + 1]);
  const sentences: SentenceTable = {
    article,
    start: s('sentenceStarts') as Int32Array,
    end: s('sentenceEnds') as Int32Array,
    paragraph: s('sentenceParagraphs') as Int32Array,
    articleFirst,
  };
  const paragraphs: ParagraphTable = { spans: s('paragraphSpans') as Int32Array, articleFirst: s('articleFirstParagraph') as Int32Array };
  const articles = servedArticles(meta.articles, unpackStrings(s('text'), s('textEnds')), sentences, paragraphs);
  const bm25 = (prefix: string) =>
    new Bm25Index({
      offsets: s(`${prefix}Offsets`) as Uint32Array,
      docs: s(`${prefix}Docs`) as Int32Array,
      tfs: s(`${prefix}Tfs`) as Uint16Array,
      lengths: s(`${prefix}Lengths`) as Float32Array,
    });
  const pairs = (keys: string, data: string) => {
    const k = unpackStrings(s(keys), s(`${keys}Ends`));
    const d = unpackStrings(s(data), s(`${data}Ends`));
    return k.map((key, i): [string, string] => [key, d[i]]);
  };
  const counts = s('wordCounts');
  const words = unpackStrings(s('words'), s('wordsEnds')).map((word, i) => ({ word, count: counts[i] }));
  const formCounts = s('wordFormCounts');
  const wordForms = new Map(unpackStrings(s('wordForms'), s('wordFormsEnds')).map((form, i) => [form, formCounts[i]]));
  const changes = meta.approximate?.changed ? { rowOf: s('graphRowOf') as Int32Array, added: s('graphAdded') as Int32Array } : undefined;
  const { dense, repaired } = await readDense(file, meta, { codes: s('vectorCodes') as Int8Array, scales: s('vectorScales') as Float32Array }, changes, warn);
  const index = new SearchIndex({
    articles,
    sentences,
    paragraphs,
    termNames: unpackStrings(s('termNames'), s('termNamesEnds')),
    sentenceTerms: { flat: s('sentenceTerms') as Int32Array, ends: s('sentenceTermsEnds') as Uint32Array },
    paragraphTerms: { flat: s('paragraphTerms') as Int32Array, ends: s('paragraphTermsEnds') as Uint32Array },
    titleTerms: unpackLists(s('titleTerms'), s('titleTermsEnds')).map((ids) => new Set(ids)),
    dim: meta.dim,
    dense,
    termVectors: meta.termVectors ? (s('termVectors') as Float32Array) : null,
    sentenceBm25: bm25('sentenceBm25'),
    paragraphBm25: bm25('paragraphBm25'),
    words: new WordLookup(words, commonWords(), { prefix: pairs('prefixKeys', 'prefixData'), fuzzy: pairs('fuzzyKeys', 'fuzzyData') }),
    wordForms,
  });
  return { index, errors: meta.errors, repaired };
}

/** The dense index as the build had it: exact, or approximate from the file beside the snapshot (or rebuilt). */
async function readDense(
  file: string,
  meta: SnapshotMeta,
  vectors: CompactVectors,
  changes: GraphChanges | undefined,
  warn: (message: string) => void,
): Promise<{ dense: DenseIndex; repaired: boolean }> {
  if (!meta.approximate) return { dense: await DenseIndex.fromCompact(vectors, meta.dim, { approximateFrom: Infinity }), repaired: false };
  const annFile = approximatePath(file);
  try {
    const found = await fileChecksum(annFile).catch((err: NodeJS.ErrnoException) => {
      throw new SnapshotError(err.code === 'ENOENT' ? 'it is missing' : `it cannot be read (${err.message})`);
    });
    if (found.bytes !== meta.approximate.bytes || found.crc !== meta.approximate.crc) {
      throw new SnapshotError('it does not match the snapshot (damaged, or written by another build)');
    }
    const dense = await DenseIndex.fromCompact(vectors, meta.dim, { approximateFrom: 0, approximateFile: annFile, changes });
    await noteGraphFile(dense.graph!, annFile, found);
    return { dense, repaired: false };
  } catch (err) {
    warn(`the approximate index ${annFile} is not used: ${(err as Error).message}; it is rebuilt from the snapshot's vectors`);
    return { dense: await DenseIndex.fromCompact(vectors, meta.dim, { approximateFrom: 0 }), repaired: true };
  }
}
