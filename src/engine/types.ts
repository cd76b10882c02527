/**
 * The answer engine's public types. Nothing here knows about Discord, FlexSearch or ONNX:
 * the bot and the terminal mode only ever see these shapes.
 */

/** A half-open range `[start, end)` of a text. */
export interface Span {
  start: number;
  end: number;
}

/** A sentence that may be served as a quote. */
export interface SentenceSpan extends Span {
  /** Index of its paragraph within the article. */
  paragraph: number;
}

/** An article file as the engine's reader (src/engine/corpus/articles.ts) read it. */
export interface Article {
  id: string;
  /** Path relative to the data folder, `/`-separated. */
  file: string;
  title: string;
  url: string | null;
  outlet: string | null;
  published: string | null;
  /** The whole decoded file: every sentence span indexes into it. */
  text: string;
  /** Prose paragraphs (captions, headlines, trailers and titles are left out). */
  paragraphs: Span[];
  sentences: SentenceSpan[];
  /** Hash of the file's bytes, to tell changed files on reload. */
  fingerprint: string;
  /** Who added it from Discord and when (`.md` front matter `added_by`, `added_at`), where known. */
  addedBy?: string | null;
  addedAt?: string | null;
}

/** One loaded article, as listed by `/sources`. */
export interface ArticleInfo {
  /** Stable id: the file path relative to the data folder. */
  id: string;
  title: string;
  /** Path relative to the data folder, with `/` separators. */
  file: string;
  url: string | null;
  /** The outlet that published it ("Reuters"), where known. */
  outlet: string | null;
  /** Publication date as written in the article's metadata, where known. */
  published: string | null;
  /** How many sentences of it are indexed (served as possible quotes). */
  sentences: number;
  /** Who added it with `/article add`, and when (ISO 8601), where known. */
  addedBy?: string | null;
  addedAt?: string | null;
  /**
   * Its file as the serving index's build found it. The engine sets it; a file whose stamp now differs is no longer
   * the one served (replaced under its name, and not loaded since). None for a file modified near the moment the
   * build took its stamps: rewritten within the file system's clock tick it would keep its stamp, so read it.
   */
  stamp?: FileStamp;
}

/**
 * A file's size and modification time, what a reload trusts to tell a file unchanged without reading it; and its
 * change time and inode, which give away a replacement whose modification time was set back (rsync -t, cp -p, tar).
 */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  /** Set by the kernel on any write or rename into place; no program can set it back. */
  ctimeMs: number;
  ino: number;
}

/** Where a quote comes from. */
export interface SourceRef {
  title: string;
  file: string;
  url: string | null;
  outlet: string | null;
}

/** One verbatim quote. `quote` is always an exact substring of the source file's text. */
export interface Quote {
  quote: string;
  source: SourceRef;
  /** Character offsets of the quote in the source file's decoded text: `text.slice(start, end) === quote`. */
  start: number;
  end: number;
  /** Fused relevance in [0, 1]; higher is better. Comparable within one answer only. */
  score: number;
  /** The sentences just before and after the quote in the same paragraph or article, for context. */
  context: { before: string | null; after: string | null };
  /** Other articles carrying a near-identical sentence ("also reported by …"). */
  alsoIn: SourceRef[];
  /** Spans `[start, end)` inside `quote` to highlight: words that match the question, and `answerSpans`. */
  highlights: Array<[number, number]>;
  /** Spans `[start, end)` inside `quote` of the words that answer it where the question's answer type is known
   *  (the duration for "how long", the name for "who", the date for "when"). Also in `highlights`. */
  answerSpans: Array<[number, number]>;
}

/** The engine's answer to one question. */
export interface Answer {
  question: string;
  /** True when the sources do not answer the question; `answers` is then empty. */
  abstained: boolean;
  /** Why, set when abstained: a front end words each its own way. */
  abstainedBecause?: AbstainReason;
  /** The embedding model that served this answer. */
  model: string;
  answers: Quote[];
  articlesSearched: number;
  sentencesSearched: number;
  tookMs: number;
}

/**
 * Why the engine abstained: 'words-absent' when (almost) none of the question's words occur in the articles (asked
 * in another language than theirs, or about what they never mention); 'not-answered' for any other abstention.
 */
export type AbstainReason = 'words-absent' | 'not-answered';

/** A data file that could not be loaded, and why. */
export interface FileError {
  file: string;
  reason: string;
}

/** What a (re)build did. */
export interface ReloadReport {
  /** False when the rebuild failed as a whole (`error` says why); the last good index then keeps serving. */
  ok: boolean;
  /** Set when `ok` is false. */
  error?: string;
  articles: number;
  sentences: number;
  added: string[];
  changed: string[];
  removed: string[];
  errors: FileError[];
  /** Sentences embedded by this build (the rest came from the on-disk cache). */
  embedded: number;
  /**
   * Article files this build read and parsed; the others were unchanged since the last build or read already
   * (`ReloadOptions.alreadyRead`). Unset when nothing was read (a snapshot loaded, a failed build).
   */
  filesRead?: number;
  /** True when the index was loaded from the snapshot of a build of the same files (a start, or `useSnapshot`). */
  fromSnapshot?: boolean;
  model: string;
  tookMs: number;
  /** When this build finished (for a failed one, when it gave up); the serving index's is `EngineStatus.builtAt`. */
  builtAt: Date;
  /**
   * Who asked for it (`ReloadOptions.requestedBy` of every call that shared the build, in the order they asked, each
   * id once, with the name it first asked under); empty for a build nobody named, like the one at start.
   */
  requestedBy: Requester[];
  /**
   * On the report a `reload` call returns: how long that call waited for the build in progress before its own
   * started (0 when its build started at once); `tookMs` is its build's own time.
   */
  waitedMs?: number;
}

export interface ReloadProgress {
  phase: 'reading' | 'embedding' | 'indexing';
  done: number;
  total: number;
  /** Set while the call waits for the build in progress to end (its own comes next): phase, done and total are that build's. */
  waiting?: boolean;
}

export interface EngineStatus {
  model: string;
  articles: number;
  sentences: number;
  /** When the serving index was built; null before the first build finished. */
  builtAt: Date | null;
  lastReload: ReloadReport | null;
  reloading: boolean;
}

export interface AskOptions {
  /** How many quotes at most (default 3, at most 10). */
  top?: number;
}

/**
 * Who asks for a reload: `id` tells people apart (a moderator's user id), `name` is what is shown. Two people may
 * share a name, and one person may ask twice under two names.
 */
export interface Requester {
  id: string;
  name: string;
}

export interface ReloadOptions {
  onProgress?: (progress: ReloadProgress) => void;
  /** Who asks, kept in the report; a queued build's report names every caller that joined it. */
  requestedBy?: Requester;
  /**
   * Take the snapshot in the cache folder when it was built from the folder as it is now (another process sharing
   * the folder, such as another shard, has just built it) instead of building; otherwise build as usual.
   */
  useSnapshot?: boolean;
  /**
   * Resolve only once this build's snapshot is written, so another process can load it. The new index serves
   * before that either way (the snapshot is written after the swap).
   */
  waitForSnapshot?: boolean;
  /**
   * Articles just read from files in the data folder (an `/article add`'s reading of its saved file), taken instead
   * of reading those files again while their bytes are still the ones read; a queued build takes every caller's.
   */
  alreadyRead?: readonly Article[];
}

/**
 * The engine both front ends call.
 * @example
 * const engine = await openEngine({ dataDir: 'data', cacheDir: '.cache' });
 * (await engine.ask('How long did Obama and Putin meet?', { top: 3 })).answers[0].quote; // 'Obama and Putin met for 90 minutes …'
 */
export interface AnswerEngine {
  /**
   * Best verbatim quotes for a question, or `abstained: true`. Throws `QuestionError` for a question `questionRefusal` refuses (empty, too long).
   * @example (await engine.ask('Who is Dmitry Peskov?')).answers.map((q) => q.source.title)
   */
  ask(question: string, options?: AskOptions): Promise<Answer>;
  /**
   * Up to `limit` completions of a partly typed question, drawn from the articles' words.
   * @example engine.suggest('Obama and Pu', 25) // ['Obama and Pu', 'Obama and Putin', …]
   */
  suggest(partial: string, limit?: number): string[];
  /**
   * Rebuild from the data folder while answering from the old index; calls made while a build runs share the one
   * build queued after it. Each report's added, changed and removed count from the index serving when that call was
   * made to the one serving after its build (after a failed one, the last good index, which a build before it may
   * have changed).
   * @example const report = await engine.reload({ requestedBy: { id: '42', name: 'Mod' } }); report.ok && report.added // ['new.md']
   */
  reload(options?: ReloadOptions): Promise<ReloadReport>;
  /**
   * The loaded articles, listed once a build: the same read-only list until the next build swaps in.
   * @example engine.articles().map((a) => `${a.title}: ${a.sentences} sentences`)
   */
  articles(): readonly ArticleInfo[];
  /** @example const { model, articles, builtAt, lastReload } = engine.status() */
  status(): EngineStatus;
  /**
   * Waits at most `timeoutMs` for the snapshots still being written in the background after a reload, so a process
   * that ends keeps them (otherwise the next start rebuilds the index). `onWait` is called first when there is one
   * to wait for. Resolves true once none is left being written (at once when none was), false when the time ran
   * out. Call it before exiting.
   * @example if (!(await engine.snapshotWritten(30_000, () => console.error('writing the snapshot…')))) console.error('not in time')
   */
  snapshotWritten(timeoutMs: number, onWait?: () => void): Promise<boolean>;
}

export interface EngineOptions {
  /** Folder of article files (`.txt` scraped text, `.md` with front matter). Read-only is fine. */
  dataDir: string;
  /** Folder for the embedding cache and downloaded models; never inside `dataDir`. */
  cacheDir: string;
  /** Hugging Face model id or local folder; defaults to the bundled offline model. */
  model?: string;
  /** Files larger than this are refused (default 5 MB). */
  maxFileBytes?: number;
  /** Where warnings go (model fallback and the like); default stderr. */
  warn?: (message: string) => void;
  /** Progress of the first build (later builds take theirs through `reload`). */
  onProgress?: ReloadOptions['onProgress'];
}

/**
 * Thrown by `ask` for a question the engine will not process (`questionRefusal`), or for any question while no
 * article is loaded ('no-articles'). The message is user-facing; `kind` lets a front end word it its own way (who
 * can add articles is the front end's to know).
 */
export class QuestionError extends Error {
  override name = 'QuestionError';
  constructor(message: string, readonly kind: QuestionRefusal['kind'] | 'no-articles') {
    super(message);
  }
}

/** Questions longer than this many characters (trimmed; code points) are refused rather than silently cut. */
export const MAX_QUESTION_LENGTH = 1000;

/** Why the engine will not take a question; `message` is written for the person who asked. */
export interface QuestionRefusal {
  kind: 'empty' | 'too-long';
  message: string;
}

/**
 * Why the engine refuses `question` (trimmed: empty, or longer than `MAX_QUESTION_LENGTH`), or null when it takes it.
 * `ask` throws it as a QuestionError; a front end may check first (/ask does, before it defers or takes a cooldown).
 * @example questionRefusal('why? '.repeat(300))?.message // 'The question is too long (1499 characters; at most 1000).'
 */
export function questionRefusal(question: string): QuestionRefusal | null {
  const q = question.trim();
  if (!q) return { kind: 'empty', message: 'The question is empty: type a question about the news event.' };
  // Counted in code points, as a person counts characters: in UTF-16 units an emoji is two, and 600 of them were
  // refused as "1200 characters". (Not graphemes: one can hold any number of combining marks.)
  const length = q.length > MAX_QUESTION_LENGTH ? codePoints(q) : q.length;
  if (length > MAX_QUESTION_LENGTH) {
    return { kind: 'too-long', message: `The question is too long (${length} characters; at most ${MAX_QUESTION_LENGTH}).` };
  }
  return null;
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
