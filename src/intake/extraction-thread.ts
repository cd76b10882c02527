/**
 * Runs inside the extraction worker (see `extraction-worker.ts`): one page in through `workerData`, one message out,
 * the page or the refusal. Anything else thrown reaches the main thread as the worker's 'error' event.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { IntakeError } from './errors';
import { extractArticle, type ExtractedPage } from './extract-html';

export type ExtractionReply =
  | { ok: true; page: ExtractedPage }
  | { ok: false; kind: IntakeError['kind']; message: string };

const { html, pageUrl } = workerData as { html: string; pageUrl: string | null };
let reply: ExtractionReply;
try {
  reply = { ok: true, page: extractArticle(html, pageUrl) };
} catch (err) {
  if (!(err instanceof IntakeError)) throw err;
  reply = { ok: false, kind: err.kind, message: err.message };
}
parentPort!.postMessage(reply);
