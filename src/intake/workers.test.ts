import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { readArticleText } from './engine-reader';
import { IntakeError } from './errors';
import { extractArticle } from './extract-html';
import { WORKER_LIMITS, extractInWorker, MAX_WAITING, MAX_WORKERS, readInWorker, workerOptions } from './workers';
import { prepareArticle, READ_HERE_MAX_BYTES } from './prepare';
import { worstTimerLag } from '../../test/timer-lag';
import { refusal } from './test-helpers';

const NEWS_PAGE = readFileSync(path.join(__dirname, 'fixtures', 'news-page.html'), 'utf8');
const PAGE_URL = 'https://ledger.example/news/2024/03/harbour-bridge-approved';
const STORY = '<p>The island ferry will run twice a day instead of four times from November, the operator said on Tuesday.</p>';
/** Within every bound (120 deep, a few thousand elements) yet slow to read: ~2 s for 150 stacks, ~5 s for 400 (load 2-4). */
const slowPage = (stacks: number) => `<html><head><title>Ferry cut</title></head><body>${`${'<div>'.repeat(120)}${STORY}${'</div>'.repeat(120)}`.repeat(stacks)}</body></html>`;

/** The process's threads (Linux): a worker thread is one until it has ended. */
const threads = () => readdirSync('/proc/self/task').length;
/** The count once an ended worker's thread has gone (it lingers a moment after 'exit'): unchanged for 300 ms. */
async function settledThreads(): Promise<number> {
  let count = threads();
  for (let still = 0, i = 0; still < 15 && i < 250; i++) {
    await sleep(20);
    still = threads() === count ? still + 1 : 0;
    count = threads();
  }
  return count;
}

/** This process's children that have ended but were never reaped (Linux). */
function defunctChildren(): string[] {
  return readdirSync('/proc').filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      // "pid (name) state ppid …"; the name may hold spaces, so read after its closing parenthesis.
      const [state, ppid] = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
      return state === 'Z' && Number(ppid) === process.pid;
    } catch {
      return false; // gone meanwhile
    }
  });
}

describe('extractInWorker', () => {
  it('gives the stored page the same article as reading it on this thread', async () => {
    const page = await extractInWorker(NEWS_PAGE, PAGE_URL);
    expect(page).toEqual(extractArticle(NEWS_PAGE, PAGE_URL));
    expect(page.paragraphs[0]).toMatch(/^The Millbrook city council voted seven to two/);
    expect(page.title).toBe('Harbour bridge approved after eight-year fight');
  });

  it("passes on extractArticle's own refusals", async () => {
    const err = await refusal(extractInWorker(`<html><head><title>Deep</title></head><body>${'<div>'.repeat(2000)}${STORY}</body></html>`, null));
    expect(err.kind).toBe('not-an-article');
    expect(err.message).toBe('not an article: the page is nested more than 128 elements deep');
  });

  it.runIf(existsSync('/proc/self/task'))('refuses a page that takes longer than the time limit, and ends its worker', async () => {
    await extractInWorker(NEWS_PAGE, null); // warm: threads Node starts once (libuv's pool, …) are counted in the baseline
    const before = await settledThreads();
    const started = performance.now();
    const err = await refusal(extractInWorker(slowPage(400), null, { ...WORKER_LIMITS, timeMs: 1000 }));
    const waited = performance.now() - started;
    expect(err.kind).toBe('timed-out');
    expect(err.message).toBe('the article took too long to read (more than 1 s)');
    expect(waited).toBeGreaterThanOrEqual(990);
    expect(waited).toBeLessThan(3000); // refused at the limit, not when the page would have been read (~5 s)
    expect(await settledThreads()).toBeLessThanOrEqual(before); // left running, it would read on for seconds
  });

  it('refuses a page that fills the heap; a bug in the worker is an error, not a refusal; the next page is read', async () => {
    const oom = await refusal(extractInWorker(slowPage(150), null, { ...WORKER_LIMITS, heapMb: 16 }));
    expect(oom.kind).toBe('too-large');
    expect(oom.message).toBe('too large: reading the article needed more than 16 MB of memory');
    // An exception that is not a refusal (here: no text at all) is not the page's fault: it reaches the router as an
    // error (logged with its stack under an error id), as it did when extraction ran on this thread.
    const thrown = await extractInWorker(null as unknown as string, null).then(() => null, (err: Error) => err);
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(IntakeError);
    expect(thrown!.message).toMatch(/^Cannot read properties of null/);
    expect(thrown!.stack).toMatch(/extract-html/); // the worker's own stack, for the log
    expect((await extractInWorker(NEWS_PAGE, PAGE_URL)).paragraphs).toHaveLength(6);
  }, 20_000); // three workers, one filling its heap: over vitest's 5 s default at load 4.5 (a full suite took 484 s)

  it("readInWorker gives what the engine's reader gives on this thread: the same Article, the same refusal", async () => {
    const story = Array.from({ length: 40 }, (_, i) => `The council voted seven to two on Thursday, meeting ${i} of the year.`).join('\n\n');
    const utf8 = (s: string) => new TextEncoder().encode(s);
    const read: Array<[string, Uint8Array]> = [
      ['article.md', utf8(`---\ntitle: Bridge\nadded_by: Ana (1)\n---\n${story}\n`)],
      ['article.txt', utf8(`Bridge\n\n${story}\n\nArticle source: https://ledger.example/bridge\n`)],
    ];
    for (const [file, bytes] of read) expect(await readInWorker(file, bytes)).toStrictEqual(readArticleText(file, bytes));
    const refused: Array<[string, Uint8Array]> = [
      ['article.md', utf8('---\ntitle: Bridge\n---\nToo short.\n')],
      ['article.md', utf8(`---\ntitle: Bridge\n${story}`)],
      ['article.txt', Buffer.from('Bridge approved.', 'utf16le')],
    ];
    for (const [file, bytes] of refused) {
      const here = await refusal(() => readArticleText(file, bytes));
      expect(await refusal(readInWorker(file, bytes))).toMatchObject({ kind: here.kind, message: here.message });
    }
  });

  it("names the article, not a page, when the engine's reading of an upload runs out of time or heap", async () => {
    const upload = new TextEncoder().encode(`# Talks\n\n${'Mr. Obama met Mr. Putin on Monday, officials said. '.repeat(60_000)}\n`);
    const slow = await refusal(readInWorker('article.md', upload, { ...WORKER_LIMITS, timeMs: 50 }));
    expect(slow).toMatchObject({ kind: 'timed-out', message: 'the article took too long to read (more than 0.05 s)' });
    const oom = await refusal(readInWorker('article.md', upload, { ...WORKER_LIMITS, heapMb: 16 }));
    expect(oom).toMatchObject({ kind: 'too-large', message: 'too large: reading the article needed more than 16 MB of memory' });
  });

  it('hands on the turn of a worker that cannot start (its data cannot be sent): after more such failures than workers, a page is read', async () => {
    const unsendable = () => {}; // a function cannot be copied to a thread: the Worker constructor throws
    for (let i = 0; i < MAX_WORKERS + 1; i++) {
      const thrown = await extractInWorker(NEWS_PAGE, unsendable as unknown as string).then(() => null, (err: Error) => err);
      expect(thrown).toBeInstanceOf(Error);
      expect(thrown).not.toBeInstanceOf(IntakeError);
    }
    expect((await extractInWorker(NEWS_PAGE, PAGE_URL)).paragraphs).toHaveLength(6);
  }, 10_000);

  it.runIf(existsSync('/proc/self/task'))('reads at most MAX_WORKERS pages at once; the others wait their turn and are all read', async () => {
    await extractInWorker(NEWS_PAGE, null);
    const before = await settledThreads();
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, threads() - before)), 5);
    try {
      // Twenty at once on two cores, every worker starting together, had 19 of 20 stored pages time out at 20 s.
      const pages = await Promise.all(Array.from({ length: 4 }, () => extractInWorker(NEWS_PAGE, PAGE_URL)));
      expect(pages.map((p) => p.title)).toEqual(Array(4).fill('Harbour bridge approved after eight-year fight'));
    } finally {
      clearInterval(watch);
    }
    expect(most).toBeGreaterThanOrEqual(1); // the watch saw the workers at all
    // The process's threads, not only the workers: one runtime thread starting meanwhile was seen once (3 at load 4 in a
    // fresh clone's npm test). Four pages with no cap would show four.
    expect(most).toBeLessThanOrEqual(MAX_WORKERS + 1);
  }, 30_000);

  it.runIf(existsSync('/proc/self/task'))('refuses a page at once when MAX_WAITING pages already wait; those taken in are all read, and then pages are taken again', async () => {
    const taken = Array.from({ length: MAX_WORKERS + MAX_WAITING }, () => extractInWorker(NEWS_PAGE, PAGE_URL));
    const started = performance.now();
    const busy = await refusal(extractInWorker(NEWS_PAGE, PAGE_URL));
    expect(performance.now() - started).toBeLessThan(100); // refused, not queued (a page takes ~0.4–0.8 s)
    expect(busy.kind).toBe('busy');
    expect(busy.message).toBe(`busy: ${MAX_WORKERS + MAX_WAITING} articles are already being read or waiting their turn; try again in a minute`);
    const pages = await Promise.all(taken);
    expect(pages.map((p) => p.title)).toEqual(Array(MAX_WORKERS + MAX_WAITING).fill('Harbour bridge approved after eight-year fight'));
    expect((await extractInWorker(NEWS_PAGE, PAGE_URL)).paragraphs).toHaveLength(6);
  }, 60_000);

  it.runIf(existsSync('/proc/self/task'))('never refuses as busy a page already taken in: a big page read after its extraction keeps its place', async () => {
    // Two pages whose Markdown is over READ_HERE_MAX_BYTES take both workers, six more wait: the queue is full when
    // the first big page, extracted, goes on to be read by the engine in a worker of its own.
    const story = (i: number) => `<p>The council met for the ${i}th time on Thursday and voted seven to two to approve the harbour bridge.</p>`;
    const big = new TextEncoder().encode(`<html><head><title>Bridge</title></head><body><article>${Array.from({ length: 11_000 }, (_, i) => story(i)).join('')}</article></body></html>`);
    const options = { maxFileBytes: 2 << 20, addedBy: 'Ana (1)' };
    const bigPages = [prepareArticle({ bytes: big }, options), prepareArticle({ bytes: big }, options)];
    const waiting = Array.from({ length: MAX_WAITING }, () => extractInWorker(NEWS_PAGE, PAGE_URL));
    const read = await Promise.allSettled(bigPages);
    expect(read.map((r) => (r.status === 'fulfilled' ? r.value.article.sentences.length : (r.reason as Error).message))).toEqual([11_000, 11_000]);
    expect(read.map((r) => (r.status === 'fulfilled' ? new TextEncoder().encode(r.value.text).length > READ_HERE_MAX_BYTES : null))).toEqual([true, true]);
    expect((await Promise.all(waiting)).map((p) => p.paragraphs.length)).toEqual(Array(MAX_WAITING).fill(6));
  }, 60_000);

  it.runIf(existsSync('/proc/self/stat'))('leaves no defunct child process behind (tsx compiles in the worker through esbuild)', async () => {
    const cache = process.env.TSX_DISABLE_CACHE;
    process.env.TSX_DISABLE_CACHE = '1'; // compile as on a fresh install (the worker copies the environment at its start)
    try {
      await extractInWorker(NEWS_PAGE, null);
    } finally {
      if (cache === undefined) delete process.env.TSX_DISABLE_CACHE;
      else process.env.TSX_DISABLE_CACHE = cache;
    }
    await sleep(200);
    expect(defunctChildren()).toEqual([]);
  });
});

describe('prepareArticle on a slow page', () => {
  it('keeps this thread answering while the page is read (a timer is never held up long)', async () => {
    const bytes = new TextEncoder().encode(slowPage(150));
    let title = '';
    const { lag, took } = await worstTimerLag(async () => {
      title = (await prepareArticle({ bytes }, { maxFileBytes: 1 << 20, addedBy: 'Ana (1)' })).article.title;
    });
    expect(title).toBe('Ferry cut');
    // Read on this thread, the page held the timer for nearly its whole reading (~2 s: lag close to took); in the
    // worker, tens of ms. The bound grows with `took` on a busy machine (which slows both) yet stays far below it.
    expect(took).toBeGreaterThan(500);
    expect(lag).toBeLessThan(Math.max(250, took / 4));
  });

  it('keeps this thread answering while a 5 MB Markdown upload is read by the engine (in a worker above READ_HERE_MAX_BYTES)', async () => {
    const paragraph = (i: number) => `Mr. Obama met Mr. Putin for about ${i} minutes on Monday, officials said. The talks on Syria would continue, an aide said.`;
    const bytes = new TextEncoder().encode(`# Obama and Putin meet\n\n${Array.from({ length: 40_000 }, (_, i) => paragraph(i)).join('\n\n')}\n`);
    expect(bytes.length).toBeGreaterThan(4.5 * READ_HERE_MAX_BYTES);
    let sentences = 0;
    const { lag, took } = await worstTimerLag(async () => {
      sentences = (await prepareArticle({ bytes, fileName: 'talks.md' }, { maxFileBytes: 5 << 20, addedBy: 'Ana (1)' })).article.sentences.length;
    });
    expect(sentences).toBe(80_000);
    // On this thread the reader held the timer for its whole run (0.3–0.5 s: lag ≈ took); in a worker, ~30–45 ms
    // (taking in the result). The bound grows with `took` on a busy machine, yet stays far below it.
    expect(lag).toBeLessThan(Math.max(150, took / 4));
  }, 30_000);

  it("starts a worker without the bot's token or any other setting of the process: it runs on hostile pages", async () => {
    // A probe started exactly as the intake starts its workers, telling what it can see of the environment.
    const probe = path.join(mkdtempSync(path.join(os.tmpdir(), 'worker-env-')), 'probe.cjs');
    writeFileSync(probe, "require('node:worker_threads').parentPort.postMessage({ ...process.env });\n");
    const set = { DISCORD_TOKEN: 'MTExMTExMTExMTExMTExMTEx.GaBcDe.fakefakefakefakefakefakefake', OTHER_SETTING: 'x' };
    const saved = { DISCORD_TOKEN: process.env.DISCORD_TOKEN, OTHER_SETTING: process.env.OTHER_SETTING };
    Object.assign(process.env, set);
    try {
      const worker = new Worker(probe, workerOptions({ task: 'read', file: 'a.md', bytes: new Uint8Array() }, WORKER_LIMITS));
      const [seen] = (await once(worker, 'message')) as [Record<string, string>];
      await worker.terminate();
      expect(seen.DISCORD_TOKEN).toBeUndefined();
      expect(seen.OTHER_SETTING).toBeUndefined();
      expect(seen.PATH).toBe(process.env.PATH); // what a start needs is there
      // And the real workers still start and read with that environment.
      expect((await readInWorker('a.md', new TextEncoder().encode('# Ferry\n\nThe island ferry will run twice a day.\n'))).title).toBe('Ferry');
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }, 60_000);
});
