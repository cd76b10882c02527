/**
 * Runs `extractArticle` in a worker thread, so the bot keeps answering while a page is read: parsing and
 * Readability take up to a few seconds on a page within `extractArticle`'s bounds (a 1.7 MB page of 24,000 small
 * blocks: ~5 s). One worker per page, ended when it answers: pages are added rarely, so each gets a fresh heap
 * under its own limits, a page that runs too long or fills its heap takes only its own worker down, and nothing
 * stays in memory between adds. The price is the worker's start-up (tsx and linkedom load in it), paid off the
 * main thread.
 */
import { Worker } from 'node:worker_threads';
import { IntakeError } from './errors';
import type { ExtractedPage } from './extract-html';
import type { ExtractionReply } from './extraction-thread';

export interface ExtractionLimits {
  /** Wall time from the worker's start to its answer (start-up included); the worker is ended past it. */
  timeMs: number;
  /** The worker's heap (V8 old generation), in MB. */
  heapMb: number;
}

/**
 * The slowest pages we could make within `extractArticle`'s bounds took ~5 s at load 2.5 plus up to ~1 s of
 * start-up: the time limit leaves room for a busier machine. The same pages (5 MB of 49,000 paragraphs, 1.7 MB of
 * 24,000 small blocks, 400 stacks of 120 divs) all fit in 128 MB of heap and not in 64: the heap limit is twice that.
 */
export const EXTRACTION_LIMITS: ExtractionLimits = { timeMs: 20_000, heapMb: 256 };

const ENTRY = new URL('./extraction-thread-entry.cjs', import.meta.url);

/**
 * `extractArticle(html, pageUrl)` off the main thread; throws `IntakeError` as it does, and also when the page
 * takes longer than `limits.timeMs` ('timed-out'), fills the worker's heap ('too-large') or the worker fails.
 * @example const page = await extractInWorker(html, 'https://ledger.example/news/bridge')
 */
export function extractInWorker(html: string, pageUrl: string | null, limits: ExtractionLimits = EXTRACTION_LIMITS): Promise<ExtractedPage> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(ENTRY, {
        workerData: { html, pageUrl },
        // The same start under tsx, vitest and plain node: not with the parent's loader flags.
        execArgv: [],
        // tsx compiles through esbuild, whose synchronous calls otherwise run in a thread of their own with a child
        // process that no one reaps once the worker ends (one defunct process per page); this way each is awaited.
        env: { ...process.env, ESBUILD_WORKER_THREADS: '0' },
        resourceLimits: { maxOldGenerationSizeMb: limits.heapMb },
      });
    } catch (err) {
      return reject(unreadable(err as Error));
    }
    let settled = false;
    const settle = (fail: IntakeError | null, page?: ExtractedPage) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (fail) reject(fail);
      else resolve(page!);
    };
    const timer = setTimeout(() => settle(new IntakeError('timed-out', `the page took too long to read (more than ${limits.timeMs / 1000} s)`)), limits.timeMs);
    worker.on('message', (reply: ExtractionReply) => settle(reply.ok ? null : new IntakeError(reply.kind, reply.message), reply.ok ? reply.page : undefined));
    worker.on('error', (err: Error & { code?: string }) =>
      settle(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new IntakeError('too-large', `too large: reading the page needed more than ${limits.heapMb} MB of memory`)
          : unreadable(err),
      ),
    );
    worker.on('exit', (code) => settle(new IntakeError('not-an-article', `the page could not be read: the reader stopped (exit code ${code})`)));
  });
}

/** The worker failed (a bug, or the machine out of threads): this page is refused, nothing else is affected. */
function unreadable(err: Error): IntakeError {
  return new IntakeError('not-an-article', `the page could not be read: ${err.message.split('\n')[0]}`);
}
