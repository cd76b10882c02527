/**
 * The answer engine: owns the serving index and rebuilds it from the data folder on demand.
 * A rebuild happens aside and is swapped in at once; a failed rebuild leaves the old index serving;
 * concurrent reload calls share one rebuild.
 */
import path from 'node:path';
import { readDataFolder, DEFAULT_MAX_FILE_BYTES, type Article } from './articles';
import { loadEmbedder, type Embedder } from './embedder';
import { DEFAULT_RANKING, selectQuotes, type RankingParameters } from './ranking';
import { SearchIndex, type Retrieval } from './search-index';
import {
  QuestionError,
  type Answer,
  type AnswerEngine,
  type ArticleInfo,
  type AskOptions,
  type EngineOptions,
  type EngineStatus,
  type ReloadOptions,
  type ReloadReport,
} from './types';

/** Questions longer than this are refused rather than silently cut. */
export const MAX_QUESTION_LENGTH = 1000;
const MAX_TOP = 10;

/** A built index with what it was built from. */
interface Build {
  index: SearchIndex;
  fingerprints: Map<string, string>;
  builtAt: Date;
}

class Engine implements AnswerEngine {
  private current: Build | null = null;
  private pending: Promise<ReloadReport> | null = null;
  private lastReport: ReloadReport | null = null;

  constructor(
    private readonly options: Required<Pick<EngineOptions, 'dataDir' | 'maxFileBytes'>> & EngineOptions,
    private readonly embedder: Embedder,
    /** Exposed for the evaluation script's parameter fitting; the bot never sets it. */
    public ranking: RankingParameters = DEFAULT_RANKING,
  ) {}

  async ask(question: string, options: AskOptions = {}): Promise<Answer> {
    const started = performance.now();
    const q = question.trim();
    if (!q) throw new QuestionError('The question is empty: type a question about the news event.');
    if (q.length > MAX_QUESTION_LENGTH) {
      throw new QuestionError(`The question is too long (${q.length} characters; at most ${MAX_QUESTION_LENGTH}).`);
    }
    const build = this.current;
    if (!build) throw new Error('the engine has no index yet');
    const top = Math.max(1, Math.min(MAX_TOP, Math.floor(options.top ?? 3)));
    const retrieval = await retrieveFor(build.index, this.embedder, q);
    const answers = selectQuotes(build.index, retrieval, top, this.ranking);
    return {
      question: q,
      abstained: answers.length === 0,
      model: this.embedder.model,
      answers,
      articlesSearched: build.index.articles.length,
      sentencesSearched: build.index.sentences.length,
      tookMs: Math.round((performance.now() - started) * 10) / 10,
    };
  }

  suggest(partial: string, limit = 25): string[] {
    const build = this.current;
    if (!build) return [];
    const max = Math.max(0, Math.min(25, limit));
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
    // Two reloads at once become one: the second caller gets the running rebuild's report.
    this.pending ??= this.rebuild(options).finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async rebuild({ onProgress, requestedBy }: ReloadOptions): Promise<ReloadReport> {
    const started = performance.now();
    const previous = this.current;
    const finish = (report: Omit<ReloadReport, 'tookMs' | 'builtAt' | 'model' | 'requestedBy'>): ReloadReport => {
      this.lastReport = {
        ...report,
        model: this.embedder.model,
        tookMs: Math.round(performance.now() - started),
        // A successful build's instant is the serving index's.
        builtAt: report.ok && this.current ? this.current.builtAt : new Date(),
        requestedBy: requestedBy ?? null,
      };
      return this.lastReport;
    };
    const before = previous?.fingerprints ?? new Map<string, string>();
    const stats = { added: [] as string[], changed: [] as string[], removed: [] as string[] };
    try {
      onProgress?.({ phase: 'reading', done: 0, total: 0 });
      const folder = await readDataFolder(this.options.dataDir, this.options.maxFileBytes);
      const fingerprints = new Map(folder.articles.map((a) => [a.file, a.fingerprint]));
      for (const [file, hash] of fingerprints) {
        if (!before.has(file)) stats.added.push(file);
        else if (before.get(file) !== hash) stats.changed.push(file);
      }
      for (const file of before.keys()) if (!fingerprints.has(file)) stats.removed.push(file);
      if (folder.articles.length === 0) {
        return finish({
          ok: false,
          error: `no readable article in ${this.options.dataDir}${previous ? '; the previous index keeps serving' : ''}`,
          articles: previous?.index.articles.length ?? 0,
          sentences: previous?.index.sentences.length ?? 0,
          ...stats,
          errors: folder.errors,
          embedded: 0,
        });
      }
      const computedBefore = this.embedder.computed;
      const vectors = await this.embedArticles(folder.articles, onProgress);
      const embedded = this.embedder.computed - computedBefore;
      onProgress?.({ phase: 'indexing', done: 0, total: folder.articles.length });
      const index = new SearchIndex(folder.articles, vectors, this.embedder.dim);
      index.setWordVectors(await this.embedder.embed(index.vocabularyWords()));
      await this.embedder.flush();
      this.current = { index, fingerprints, builtAt: new Date() };
      return finish({
        ok: true,
        articles: index.articles.length,
        sentences: index.sentences.length,
        ...stats,
        errors: folder.errors,
        embedded,
      });
    } catch (err) {
      return finish({
        ok: false,
        error: `${(err as Error).message}${previous ? '; the previous index keeps serving' : ''}`,
        articles: previous?.index.articles.length ?? 0,
        sentences: previous?.index.sentences.length ?? 0,
        ...stats,
        errors: [],
        embedded: 0,
      });
    }
  }

  private embedArticles(articles: Article[], onProgress: ReloadOptions['onProgress']): Promise<Float32Array> {
    const texts = articles.flatMap((a) => a.sentences.map((s) => a.text.slice(s.start, s.end)));
    return this.embedder.embed(texts, {
      onProgress: (done, total) => onProgress?.({ phase: 'embedding', done, total }),
    });
  }

  articles(): ArticleInfo[] {
    return (this.current?.index.articles ?? []).map((a) => ({
      id: a.id,
      title: a.title,
      file: a.file,
      url: a.url,
      outlet: a.outlet,
      published: a.published,
      sentences: a.sentences.length,
    }));
  }

  status(): EngineStatus {
    return {
      model: this.embedder.model,
      articles: this.current?.index.articles.length ?? 0,
      sentences: this.current?.index.sentences.length ?? 0,
      builtAt: this.current?.builtAt ?? null,
      lastReload: this.lastReport,
      reloading: this.pending !== null,
    };
  }
}

/**
 * Retrieval for one question: its terms, its embedding, and the embeddings of its words the corpus lacks (so
 * similar corpus words can stand in). Without an embedder (lexical-only measurements) there is no dense signal.
 * @example const retrieval = await retrieveFor(index, embedder, 'How long did Obama and Putin meet?')
 */
export async function retrieveFor(index: SearchIndex, embedder: Embedder | null, question: string): Promise<Retrieval> {
  const terms = index.queryTerms(question);
  if (!embedder) return index.retrieve(terms, null);
  const unknown = index.unknownWords(terms);
  const vectors = await embedder.embed([question, ...unknown], { cache: false });
  const { dim } = embedder;
  const row = (i: number) => vectors.subarray(i * dim, (i + 1) * dim);
  // A question made only of words the model does not know embeds to zeros: no dense signal then.
  const questionVector = row(0).some((x) => x !== 0) ? row(0) : null;
  return index.retrieve(terms, questionVector, new Map(unknown.map((w, i) => [w, row(i + 1)])));
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
export async function openEngine(options: EngineOptions): Promise<AnswerEngine & { ranking: RankingParameters }> {
  const dataDir = path.resolve(options.dataDir);
  const cacheDir = path.resolve(options.cacheDir);
  if (cacheDir === dataDir || cacheDir.startsWith(dataDir + path.sep)) {
    throw new Error(`the cache folder (${cacheDir}) must not be inside the data folder (${dataDir})`);
  }
  const warn = options.warn ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  const embedder = await loadEmbedder({ model: options.model, cacheDir, warn });
  const engine = new Engine({ ...options, dataDir, cacheDir, maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES }, embedder);
  const report = await engine.reload({ onProgress: options.onProgress });
  if (!report.ok) throw new EngineStartError(report);
  return engine;
}
