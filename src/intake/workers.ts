/**
 * The intake's worker threads, so the bot keeps answering while an article is read. `extractInWorker` runs
 * `extractArticle` (parsing and Readability take up to a few seconds on a page within its bounds: a 1.7 MB page of
 * 24,000 small blocks, ~5 s); `readInWorker` runs the engine's reader on a big uploaded or extracted file (no
 * linkedom, ~0.1 s of start-up). One worker per job, ended when it answers: articles are added rarely, so each gets a
 * fresh heap under its own limits, a job that runs too long or fills its heap takes only its own worker down, and
 * nothing stays in memory between adds. Both share the same limits and turns; the price is the worker's start-up
 * (tsx, and linkedom for pages), paid off the main thread.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { Article } from '../engine/corpus/articles';
import { IntakeError } from './errors';
import type { ExtractedPage } from './extract-html';
import type { WorkerJob, WorkerReply } from './worker-job';

export interface WorkerLimits {
  /** Wall time from the worker's start to its answer (start-up included); the worker is ended past it. */
  timeMs: number;
  /** The worker's heap (V8 old generation), in MB. */
  heapMb: number;
}

/**
 * The slowest pages we could make within `extractArticle`'s bounds took ~5 s at load 2.5 plus up to ~1 s of
 * start-up (one found later, 125 nested divs around 46,000 paragraphs: ~9–10 s at load 2): the time limit leaves
 * room for a busier machine. The same pages (5 MB of 49,000 paragraphs, 1.7 MB of
 * 24,000 small blocks, 400 stacks of 120 divs) all fit in 128 MB of heap and not in 64: the heap limit is twice that.
 */
export const WORKER_LIMITS: WorkerLimits = { timeMs: 20_000, heapMb: 256 };

/**
 * Pages read at once; more wait their turn, first come first served, and a page's time limit starts when its
 * worker does. Twenty workers started together on two cores shared the cores so thinly that 19 of 20 stored test
 * pages (10 ms each on this thread) passed the 20 s limit; two at a time leaves a core for answering and bounds the
 * heaps to 2 × 256 MB, whatever a moderator (or a script with a moderator's role) sends at once. The count is this
 * process's: under sharding each shard has its own (a shared one would go through the manager), so N shards may
 * read 2N pages at once, on a machine sized for N answering processes.
 */
export const MAX_WORKERS = 2;

/**
 * Pages that may wait for a worker (links still downloading among them); past them a page is refused at once
 * ('busy'). Each waiting page holds its whole text (up to `MAX_FILE_MB`, ~10 MB as a UTF-16 string), and a stored
 * page takes ~0.4–0.8 s to read, a slow one up to ~10 s: six waiting behind two running is a few seconds' work for
 * pages a moderator adds by hand, and at most ~60 MB held, where hundreds of links sent by a script would hold
 * gigabytes and most would time out before their turn.
 */
export const MAX_WAITING = 6;

let running = 0;
const waiting: Array<() => void> = [];

/**
 * Resolves when a worker may start; the caller calls `leaveTurn` once its worker has ended. Throws `IntakeError`
 * ('busy') when `MAX_WAITING` pages already wait; the pages taken in keep their turns.
 */
function takeTurn(): Promise<void> {
  if (running < MAX_WORKERS) {
    running++;
    return Promise.resolve();
  }
  refuseIfBusy();
  return new Promise((start) => waiting.push(start));
}

/**
 * Throws `IntakeError` ('busy') when `MAX_WAITING` pages already wait for a worker. Also asked before a link is
 * downloaded (a page nearly always needs a worker), counting the links still downloading (`coming`) as waiting, so
 * a flood of links, sent at once or one by one, is refused without fetching them.
 */
export function refuseIfBusy(coming = 0): void {
  const ahead = running + waiting.length + coming;
  if (ahead >= MAX_WORKERS + MAX_WAITING) {
    throw new IntakeError('busy', `busy: ${ahead} articles are already being read or waiting their turn; try again in a minute`);
  }
}

/** Hands the ended worker's turn to the next waiting page (the count stays), or frees it. */
function leaveTurn(): void {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

const ENTRY = new URL('./worker-entry.cjs', import.meta.url);

/**
 * `extractArticle(html, pageUrl)` off the main thread; throws `IntakeError` as it does, and also when the page
 * takes longer than `limits.timeMs` ('timed-out') or fills the worker's heap ('too-large'); a worker failing for any
 * other reason rejects with a plain `Error`. Waits its turn when `MAX_WORKERS` pages are being read, and is refused
 * at once ('busy') when `MAX_WAITING` more already wait.
 * @example const page = await extractInWorker(html, 'https://ledger.example/news/bridge')
 */
export function extractInWorker(html: string, pageUrl: string | null, limits: WorkerLimits = WORKER_LIMITS): Promise<ExtractedPage> {
  return runInWorker({ task: 'extract', html, pageUrl }, limits);
}

/**
 * `readArticleText(file, bytes)` (the engine's reader) off the main thread, for big files: ~50–90 ms a MB there, which
 * would hold up answers. Throws, waits its turn and is bounded as `extractInWorker`; its worker loads no linkedom.
 * @example const article = await readInWorker('article.md', bytes)
 */
export function readInWorker(file: string, bytes: Uint8Array, limits: WorkerLimits = WORKER_LIMITS): Promise<Article> {
  return runInWorker({ task: 'read', file, bytes }, limits);
}

/**
 * The process's settings a worker's start reads (where programs and the temporary folder are, the locale, tsx's and
 * esbuild's own), and nothing else: a worker parses hostile pages and files, and the process's environment holds the
 * bot's token (DISCORD_TOKEN, from the environment or .env): nothing run there (linkedom, Readability, the reader, a
 * flaw in one of them) is handed it. No sandbox: the thread shares the process, and code run in it could still read
 * files (.env, /proc/self/environ); it only keeps the secret out of what the thread is given.
 */
const WORKER_ENV = /^(PATH|HOME|TMPDIR|TMP|TEMP|LANG|LC_[A-Z]+|TZ|TSX_[A-Z_]+|ESBUILD_[A-Z_]+)$/;
/**
 * The same on Windows, plus what a node start there reads (the system folder, the user's folders, the shell and
 * program extensions), with names matched in any case: Windows writes "Path", "SystemRoot", "windir", and its
 * variables are one whatever their case, so an exact match dropped them.
 */
const WORKER_ENV_WINDOWS =
  /^(PATH|PATHEXT|HOME|TMP|TEMP|LANG|LC_[A-Z]+|TZ|TSX_[A-Z_]+|ESBUILD_[A-Z_]+|SYSTEMROOT|SYSTEMDRIVE|WINDIR|COMSPEC|USERPROFILE|APPDATA|LOCALAPPDATA)$/i;

/**
 * The variables of `env` a worker is given (`WORKER_ENV`; `WORKER_ENV_WINDOWS` on Windows).
 * @example workerEnv({ Path: 'C:\\Windows', DISCORD_TOKEN: 't' }, 'win32') // { Path: 'C:\\Windows' }
 */
export function workerEnv(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Record<string, string> {
  const allowed = platform === 'win32' ? WORKER_ENV_WINDOWS : WORKER_ENV;
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => allowed.test(e[0]) && e[1] !== undefined));
}

/** How an intake worker is started: its job, its limits, its environment (`workerEnv`). */
export function workerOptions(job: WorkerJob, limits: WorkerLimits): WorkerOptions {
  return {
    workerData: job,
    // The same start under tsx, vitest and plain node: not with the parent's loader flags.
    execArgv: [],
    // tsx compiles through esbuild, whose synchronous calls otherwise run in a thread of their own with a child
    // process that no one reaps once the worker ends (one defunct process per page); this way each is awaited.
    // The variable is esbuild's own but undocumented: the defunct-child test fails if an update drops it.
    env: { ...workerEnv(), ESBUILD_WORKER_THREADS: '0' },
    resourceLimits: { maxOldGenerationSizeMb: limits.heapMb },
  };
}

/** One job in a fresh worker, under `limits`, in its turn. */
async function runInWorker<T>(job: WorkerJob, limits: WorkerLimits): Promise<T> {
  await takeTurn();
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(ENTRY, workerOptions(job, limits));
    } catch (err) {
      leaveTurn();
      return reject(err);
    }
    let settled = false;
    const settle = (fail: Error | null, value?: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // The turn passes on once the thread is gone (terminate resolves after 'exit'), so at most MAX_WORKERS heaps
      // exist; and before the caller hears, so a page's next step (a big page's reading after its extraction) finds
      // the queue as its own turn left it, never refused 'busy' once taken in.
      void worker.terminate().finally(() => {
        leaveTurn();
        if (fail) reject(fail);
        else resolve(value!);
      });
    };
    const timer = setTimeout(() => settle(new IntakeError('timed-out', `the article took too long to read (more than ${limits.timeMs / 1000} s)`)), limits.timeMs);
    worker.on('message', (reply: WorkerReply<T>) => settle(reply.ok ? null : new IntakeError(reply.kind, reply.message), reply.ok ? reply.value : undefined));
    // Any other failure is not the page's (a bug, tsx unable to load, the machine out of threads): it is thrown as
    // it was when `extractArticle` ran on this thread, so the router logs it with the worker's stack under an error
    // id, rather than telling the moderator the page is at fault.
    worker.on('error', (err: Error & { code?: string }) =>
      settle(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new IntakeError('too-large', `too large: reading the article needed more than ${limits.heapMb} MB of memory`)
          : err,
      ),
    );
    worker.on('exit', (code) => settle(new Error(`the ${job.task === 'read' ? 'reading' : 'extraction'} worker stopped with exit code ${code} before answering`)));
  });
}
