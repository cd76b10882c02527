/**
 * What moving HTML extraction into a worker thread costs and buys:
 * - the stored test page, read on this thread (`extractArticle`, warm) and in a fresh worker (`extractInWorker`,
 *   start-up included), median and range over `--runs`;
 * - the event loop's worst lag (a 10 ms timer) while a slow page within `extractArticle`'s bounds is read, on this
 *   thread and in the worker, and through `prepareArticle` (which also runs the engine's reader, in a worker of its
 *   own above 1 MB);
 * - the same lag, and the time taken, through `prepareArticle` for uploads near `MAX_FILE_MB` (5 MB): Markdown,
 *   plain text and HTML, whose sentences the engine's reader (`parseArticle`) splits. `--uploads` measures only these.
 *
 *   npx tsx bench/extraction.ts [--runs 7] [--uploads]
 */
import { readFileSync } from 'node:fs';
import { countOption, scriptOptions } from '../src/cli/args';
import { extractArticle } from '../src/intake/extract-html';
import { extractInWorker } from '../src/intake/workers';
import { prepareArticle } from '../src/intake/prepare';
import { worstTimerLag } from '../test/timer-lag';
import { percentile } from '../src/percentiles';

const usage = 'usage: npx tsx bench/extraction.ts [--runs N] [--uploads]';
const values = scriptOptions(process.argv.slice(2), { runs: { type: 'string' }, uploads: { type: 'boolean' } } as const, usage, []);
const runs = countOption(values.runs, '--runs', usage, 7);

const NEWS_PAGE = readFileSync(new URL('../src/intake/fixtures/news-page.html', import.meta.url), 'utf8');
const STORY = '<p>The island ferry will run twice a day instead of four times from November, the operator said on Tuesday.</p>';
const page = (body: string) => `<html><head><title>Ferry cut</title></head><body>${body}</body></html>`;
/** Both within the bounds (depth ≤ 128, < 50,000 elements) and among the slowest we could make: ~5 s each at load 2–4. */
const SLOW_PAGES = {
  '400 stacks of 120 divs (0.6 MB)': page(`${'<div>'.repeat(120)}${STORY}${'</div>'.repeat(120)}`.repeat(400)),
  '24,000 small blocks (1.7 MB)': page(`<div><div><span>x</span> ${STORY}</div></div>`.repeat(12_000)),
};

const fmt = (ms: number[]) => `median ${percentile(ms, 50)!.toFixed(0)} ms (${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)})`;

async function timed(work: () => unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Paragraphs of four news sentences (abbreviations, quotes, initials), repeated to just under 5 MB. */
const PARAGRAPH =
  'Mr. Obama met Mr. Putin for about 90 minutes on Monday, officials said. "It was a candid conversation," said J.P. Lee of the U.S. delegation. ' +
  'The two leaders did not agree on a ceasefire in Syria, though talks would continue. Markets in Hangzhou barely moved after the news broke at 3 p.m.';
const uploadText = (blank: string) => Array.from({ length: Math.floor((5 << 20) / (PARAGRAPH.length + 40)) }, (_, i) => `${PARAGRAPH} (${i})`).join(blank);
const UPLOADS: Record<string, { bytes: Uint8Array; fileName: string }> = {
  'Markdown upload': { bytes: new TextEncoder().encode(`# Obama and Putin meet\n\n${uploadText('\n\n')}\n`), fileName: 'upload.md' },
  'plain-text upload': { bytes: new TextEncoder().encode(`Obama and Putin meet\n\n${uploadText('\n\n')}\n`), fileName: 'upload.txt' },
  'HTML upload': { bytes: new TextEncoder().encode(page(uploadText('').replace(/(Mr\. Obama)/g, '<p>$1'))), fileName: 'upload.html' },
};

async function measureUploads(): Promise<void> {
  for (const [name, upload] of Object.entries(UPLOADS)) {
    let sentences = 0;
    const { lag, took } = await worstTimerLag(async () => {
      sentences = (await prepareArticle(upload, { maxFileBytes: 5 << 20, addedBy: 'bench' })).article.sentences.length;
    });
    const size = (upload.bytes.length / 1e6).toFixed(1);
    console.log(`${name} (${size} MB, ${sentences} sentences) through prepareArticle: took ${(took / 1000).toFixed(1)} s, worst timer lag ${lag.toFixed(0)} ms`);
  }
}

if (values.uploads) {
  for (let i = 0; i < runs; i++) await measureUploads();
  process.exit(0);
}

extractArticle(NEWS_PAGE); // warm this thread's JIT, as a running bot's would be
const here: number[] = [];
const inWorker: number[] = [];
for (let i = 0; i < runs; i++) {
  here.push(await timed(() => extractArticle(NEWS_PAGE)));
  inWorker.push(await timed(() => extractInWorker(NEWS_PAGE, null)));
}
console.log(`stored page, ${runs} runs: this thread ${fmt(here)}; a fresh worker each ${fmt(inWorker)}`);

for (const [name, html] of Object.entries(SLOW_PAGES)) {
  const bytes = new TextEncoder().encode(html);
  for (const [how, work] of [
    ['this thread', () => extractArticle(html)],
    ['worker', () => extractInWorker(html, null)],
    ['prepareArticle (worker + reader)', () => prepareArticle({ bytes }, { maxFileBytes: 5 << 20, addedBy: 'bench' })],
  ] as const) {
    const { lag, took } = await worstTimerLag(work);
    console.log(`${name}, ${how}: took ${(took / 1000).toFixed(1)} s, worst timer lag ${lag.toFixed(0)} ms`);
  }
}

await measureUploads();
