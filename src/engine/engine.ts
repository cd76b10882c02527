/**
 * The answer engine: owns the serving index and rebuilds it from the data folder on demand.
 * A rebuild happens aside and is swapped in at once; a failed rebuild leaves the old index serving;
 * reloads asked while one builds share the one build queued after it (reload-queue.ts).
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { readDataFolder, DEFAULT_MAX_FILE_BYTES, type Article } from './corpus/articles';
import { takeAlreadyRead } from './corpus/already-read';
import { unchangedSince } from './unchanged-since';
import { listArticles } from './article-list';
import { ReloadQueue, type BuildOptions } from './reload-queue';
import { loadEmbedder, type Embedder } from './encoders/embedder';
import { answerQuestion } from './answer';
import { loadModelParameters, type ModelParameters } from './ranking/parameters';
import type { CrossEncoder } from './encoders/cross-encoder';
import { loadStageCrossEncoder } from './ranking/rescore';
import { buildSearchIndex, type SearchIndex } from './retrieval/search-index';
import { sameObjects, updateSearchIndex } from './retrieval/index-update';
import { folderKey, readSnapshot, SNAPSHOT_KEPT_ADVICE, SnapshotKept, snapshotPath, writeSnapshot, type SnapshotKey, type StoredIndex } from './snapshot/snapshot';
import {
  QuestionError,
  questionRefusal,
  type Answer,
  type AnswerEngine,
  type ArticleInfo,
  type AskOptions,
  type EngineOptions,
  type EngineStatus,
  type FileError,
  type ReloadOptions,
  type ReloadProgress,
  type ReloadReport,
} from './types';

/**
 * How long a front end that is ending waits for a snapshot still being written (`snapshotWritten`): a million
 * sentences' snapshot takes a few seconds to write; past this the process ends and the next start rebuilds.
 */
export const SNAPSHOT_EXIT_WAIT_MS = 30_000;
/** The most quotes one answer gives (`ask`'s `top` is clamped to it; the terminal's `--top` refuses more). */
export const MAX_TOP = 10;
/** What a question gets while the data folder holds no article yet. */
export const NO_ARTICLES = 'No articles are loaded yet, so there is nothing to quote: ask again once articles have been added.';
/** A guard only: the front end chooses how many completions it can show (Discord's autocomplete takes 25). */
const MAX_SUGGESTIONS = 100;

/** A built index with what it was built from. */
interface Build {
  index: SearchIndex;
  fingerprints: Map<string, string>;
  /**
   * `articles()`, made once: copying each article on every call cost 3–9 ms p50 (up to 38 ms with a collection) at
   * 50,000 articles, on every /sources and every keystroke of an autocomplete.
   */
  listed: readonly ArticleInfo[];
  /** The folder as this build found it: the next reload re-reads only files whose size or time differ from it. */
  key: SnapshotKey;
  errors: FileError[];
  builtAt: Date;
}

class Engine implements AnswerEngine {
  private current: Build | null = null;
  private readonly builds = new ReloadQueue((options) => this.rebuild(options), (message) => this.options.warn(message));
  private lastReport: ReloadReport | null = null;
  /** Snapshot writes, one after another, each after the swap of its build. */
  private snapshotWrites: Promise<void> = Promise.resolve();
  /** Snapshot writes queued and not yet finished. */
  private writesPending = 0;
  /** The last warning why the snapshot was not used (`warnOnce`): not said at every reload of a folder that stays empty. */
  private snapshotRefused: string | null = null;

  constructor(
    private readonly options: Required<Pick<EngineOptions, 'dataDir' | 'cacheDir' | 'maxFileBytes' | 'warn'>> & EngineOptions,
    private readonly embedder: Embedder,
    /** The ranker and abstention fitted for the embedding model (stored beside it). */
    private readonly parameters: ModelParameters,
    /** The cross-encoder of `parameters.crossEncoder`, when it loaded. */
    private readonly crossEncoder: CrossEncoder | null,
  ) {}

  async ask(question: string, options: AskOptions = {}): Promise<Answer> {
    const started = performance.now();
    const q = question.trim();
    const refusal = questionRefusal(q);
    if (refusal) throw new QuestionError(refusal.message, refusal.kind);
    const build = this.current;
    if (!build) throw new Error('the engine has no index yet');
    // Not an abstention: "the sources don't answer this" would blame the question.
    if (build.index.articles.length === 0) throw new QuestionError(NO_ARTICLES, 'no-articles');
    const top = Math.max(1, Math.min(MAX_TOP, Math.floor(options.top ?? 3)));
    const { quotes: answers, abstainedBecause } = await answerQuestion(build.index, { embedder: this.embedder, parameters: this.parameters, crossEncoder: this.crossEncoder }, q, top);
    return {
      question: q,
      abstained: answers.length === 0,
      ...(abstainedBecause ? { abstainedBecause } : {}),
      model: this.embedder.model,
      answers,
      articlesSearched: build.index.articles.length,
      sentencesSearched: build.index.sentenceCount,
      tookMs: Math.round((performance.now() - started) * 10) / 10,
    };
  }

  suggest(partial: string, limit = 10): string[] {
    const build = this.current;
    if (!build) return [];
    const max = Math.max(0, Math.min(MAX_SUGGESTIONS, Math.floor(limit)));
    const text = partial.replace(/\s+/g, ' ').trimStart();
    if (!text.trim()) return build.index.articles.slice(0, max).map((a) => a.title);
    const out = [text.trim()];
    const m = /(^|\s)([^\s]+)$/.exec(text);
    if (m && !/[?.!]$/.test(text)) {
      const head = text.slice(0, text.length - m[2].length);
      for (const w of build.index.words.complete(m[2], max)) {
        const completed = head + w.word;
        if (completed.toLowerCase() !== out[0].toLowerCase()) out.push(completed);
      }
    }
    return out.slice(0, max);
  }

  reload(options: ReloadOptions = {}): Promise<ReloadReport> {
    // Counted from the index this caller saw: callers of one build may have seen two (its index serves before it ends).
    const seen = this.current?.fingerprints;
    return this.builds.run(options).then(({ result: { report, serving }, waitedMs }) => ({ ...report, ...changes(seen, serving), waitedMs }));
  }

  private async rebuild({ onProgress, requestedBy, useSnapshot, waitForSnapshot, alreadyRead = [] }: BuildOptions): Promise<Rebuilt> {
    const started = performance.now();
    const previous = this.current;
    let fingerprints: Map<string, string> | undefined;
    let errors: FileError[] = [];
    let saved: Promise<void> = Promise.resolve(), kept = '';
    let outcome: Pick<ReloadReport, 'ok' | 'error' | 'articles' | 'sentences' | 'embedded' | 'fromSnapshot' | 'filesRead'>;
    try {
      onProgress?.({ phase: 'reading', done: 0, total: 0 });
      // Taken before reading: a file changed while the build reads it leaves a key that no longer matches.
      const key = await folderKey(this.options.dataDir, this.embedder.id, this.options.maxFileBytes);
      // A start loads the snapshot; a reload only when asked to (another shard has just built and written it), or
      // from an empty index (a volume mounted after the start: its snapshot is still there, the empty one not written).
      const stored = previous?.index.articles.length && !useSnapshot ? null : await this.loadSnapshot(key, (refused) => (kept = refused));
      let embedded = 0;
      let filesRead: number | undefined;
      let index: SearchIndex;
      if (stored) ({ index, errors } = stored);
      else {
        const { dataDir, maxFileBytes } = this.options;
        const unchanged = previous ? unchangedSince({ key: previous.key, articles: previous.index.articles }, key) : () => undefined;
        const taken = takeAlreadyRead(dataDir, alreadyRead, maxFileBytes);
        const folder = await readDataFolder(dataDir, maxFileBytes, async (file) => (await unchanged(file)) ?? taken(file));
        filesRead = folder.filesRead;
        errors = folder.errors;
        // A folder with no article file yet (a new server's) serves an empty index, and moderators add articles. Files
        // that all failed, or a folder emptied under a serving index (unmounted, gone), are an error instead.
        const noArticleFile = errors.length === folder.notArticles && !previous?.index.articles.length;
        if (folder.articles.length === 0 && !noArticleFile) throw new Error(`no readable article in ${this.options.dataDir}${listFileErrors(errors)}`);
        const build = {
          onProgress: (phase: ReloadProgress['phase'], done: number, total: number) => onProgress?.({ phase, done, total }),
          // Counted per call: questions answered during the rebuild run through the same embedder.
          onComputed: (count: number) => (embedded += count),
        };
        index = previous
          ? await updateSearchIndex(previous.index, sameObjects(folder.articles, previous.index.articles), this.embedder, build)
          : await buildSearchIndex(folder.articles, this.embedder, build);
        // Only a full build asked for every sentence and word: a reload's update asked for the changed ones alone.
        await this.embedder.flush({ compact: !previous });
      }
      fingerprints = new Map(index.articles.map((a) => [a.file, a.fingerprint]));
      const current = (this.current = { index, fingerprints, listed: listArticles(index.articles, key), key, errors, builtAt: new Date() });
      // Written aside after the swap: the new index serves at once. A start waits (other shards may load it next).
      // A repaired snapshot is written again, so the next start finds its approximate index in place. An empty index
      // is not written: it builds at once, and the snapshot of a volume not mounted yet stays for when it is.
      if ((!stored || stored.repaired) && index.articles.length > 0) saved = this.queueSnapshot(current);
      if (!previous || waitForSnapshot) await saved;
      outcome = { ok: true, articles: index.articles.length, sentences: index.sentenceCount, embedded, fromSnapshot: stored !== null, filesRead };
    } catch (err) {
      // The reason alone: each front end says which index serves (it said it twice, in two wordings).
      outcome = {
        ok: false,
        error: (err as Error).message,
        articles: previous?.index.articles.length ?? 0,
        sentences: previous?.index.sentenceCount ?? 0,
        embedded: 0,
      };
    }
    if (kept) this.warnOnce(`${kept}${outcome.ok && !this.current?.index.articles.length ? ', so the index is empty' : ''}; ${SNAPSHOT_KEPT_ADVICE}`);
    this.lastReport = {
      ...outcome,
      ...changes(previous?.fingerprints, fingerprints), // status().lastReload's count from the build before
      errors,
      model: this.embedder.model,
      tookMs: Math.round(performance.now() - started),
      // A successful build's instant is the serving index's.
      builtAt: outcome.ok && this.current ? this.current.builtAt : new Date(),
      requestedBy,
    };
    return { report: this.lastReport, serving: this.current?.fingerprints };
  }

  /** Writes the snapshot of `build` after the writes before it, unless a newer build has been swapped in meanwhile (it writes its own). */
  private queueSnapshot(build: Build): Promise<void> {
    this.writesPending++;
    this.snapshotWrites = this.snapshotWrites
      .then(() => (this.current === build ? this.saveSnapshot(build.key, build.index, build.errors) : undefined))
      .finally(() => this.writesPending--);
    return this.snapshotWrites;
  }

  async snapshotWritten(timeoutMs: number, onWait?: () => void): Promise<boolean> {
    if (this.writesPending === 0) return true;
    onWait?.();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    // Writes queued while waiting (a reload finishing meanwhile) are waited for too.
    const written = (async () => {
      while (this.writesPending > 0) await this.snapshotWrites;
      return true as const;
    })();
    try {
      return await Promise.race([written, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private get snapshotFile(): string {
    return snapshotPath(this.options.cacheDir, this.options.dataDir);
  }

  /**
   * The stored build of this folder if it verifies and matches `key`; otherwise null, with one warning why (`onKept`,
   * kept for a folder with no article file: said with the outcome, as a start that stops has no index to call empty).
   * Its approximate dense graph (a reload's changes too) is mapped from the file beside it: a shard does not rebuild it.
   */
  private async loadSnapshot(key: SnapshotKey, onKept: (refused: string) => void): Promise<StoredIndex | null> {
    try {
      const stored = await readSnapshot(this.snapshotFile, key, this.options.warn);
      if (stored) this.snapshotRefused = null;
      return stored;
    } catch (err) {
      const refused = `the index snapshot ${this.snapshotFile} is not used: ${(err as Error).message}`;
      if (err instanceof SnapshotKept) onKept(refused);
      else this.warnOnce(`${refused}; the index is rebuilt`);
      return null;
    }
  }

  private warnOnce(refused: string): void {
    if (refused !== this.snapshotRefused) this.options.warn((this.snapshotRefused = refused));
  }

  /** A snapshot is an optimisation: one that cannot be written is reported, never fatal. */
  private async saveSnapshot(key: SnapshotKey, index: SearchIndex, errors: FileError[]): Promise<void> {
    const file = this.snapshotFile;
    // Through symbolic links too: a snapshot inside the data folder would change the folder it describes.
    const real = (dir: string) => realpath(dir).catch(() => dir);
    const [dataDir, cacheDir] = await Promise.all([real(this.options.dataDir), real(this.options.cacheDir)]);
    const inData = path.relative(dataDir, path.join(cacheDir, path.relative(this.options.cacheDir, file)));
    if (!inData.startsWith('..') && !path.isAbsolute(inData)) {
      this.options.warn(`the index snapshot is not written: the cache folder ${this.options.cacheDir} is inside the data folder`);
      return;
    }
    try {
      await writeSnapshot(file, key, index, errors);
    } catch (err) {
      this.options.warn(`could not write the index snapshot ${file}: ${(err as Error).message}; the next start rebuilds the index`);
    }
  }

  articles(): readonly ArticleInfo[] {
    return this.current?.listed ?? [];
  }

  status(): EngineStatus {
    return {
      model: this.embedder.model,
      articles: this.current?.index.articles.length ?? 0,
      sentences: this.current?.index.sentenceCount ?? 0,
      builtAt: this.current?.builtAt ?? null,
      lastReload: this.lastReport,
      reloading: this.builds.busy,
    };
  }
}

/**
 * A finished build's report, and the files' fingerprints of the index serving after it: its own, or after a failed
 * build the last good one (which a build before it may have changed since a queued caller asked).
 */
type Rebuilt = { report: ReloadReport; serving?: Map<string, string> };

/** The files added, changed (another fingerprint) and removed from one index to another (none: no new index). */
function changes(before = new Map<string, string>(), after = before): Pick<ReloadReport, 'added' | 'changed' | 'removed'> {
  const added = [...after.keys()].filter((file) => !before.has(file));
  const changed = [...after].filter(([file, hash]) => before.has(file) && before.get(file) !== hash).map(([file]) => file);
  return { added, changed, removed: [...before.keys()].filter((file) => !after.has(file)) };
}

/** How many unreadable files a "no readable article" message names before it sums up the rest. */
const LISTED_FILE_ERRORS = 10;

/** ": a.txt (empty file); b.md (front matter is not closed); and 3 more files", or "" without errors. */
function listFileErrors(errors: FileError[]): string {
  if (errors.length === 0) return '';
  const named = errors.slice(0, LISTED_FILE_ERRORS).map((e) => `${e.file} (${e.reason})`);
  const rest = errors.length - named.length;
  return `: ${named.join('; ')}${rest > 0 ? `; and ${rest} more file${rest === 1 ? '' : 's'}` : ''}`;
}

/** An engine that failed its first build has nothing to serve. */
export class EngineStartError extends Error {
  override name = 'EngineStartError';
  constructor(readonly report: ReloadReport) {
    super(`could not build the index: ${report.error ?? 'unknown error'}`);
  }
}

/**
 * Opens the engine: loads the embedding model (falling back to the offline one) and builds the index from `dataDir`.
 * Files that cannot be read are reported in `status().lastReload.errors`; it throws only when nothing can be served.
 * @example
 * const engine = await openEngine({ dataDir: 'data', cacheDir: '.cache' })
 * const answer = await engine.ask('How long did Obama and Putin meet?')
 */
export async function openEngine(options: EngineOptions): Promise<AnswerEngine> {
  const dataDir = path.resolve(options.dataDir);
  const cacheDir = path.resolve(options.cacheDir);
  const warn = options.warn ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  const embedder = await loadEmbedder({ model: options.model, cacheDir, warn });
  const parameters = loadModelParameters(embedder.folder, embedder.model, warn);
  const crossEncoder = await loadStageCrossEncoder(parameters, warn);
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const engine = new Engine({ ...options, dataDir, cacheDir, maxFileBytes, warn }, embedder, parameters, crossEncoder);
  const report = await engine.reload({ onProgress: options.onProgress });
  if (!report.ok) throw new EngineStartError(report);
  return engine;
}
