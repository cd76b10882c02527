/**
 * What an intake worker thread is given and how it answers (see `workers.ts`): one job in through
 * `workerData`, one message out, the result or the refusal. Anything else thrown reaches the main thread as the
 * worker's 'error' event.
 */
import { parentPort } from 'node:worker_threads';
import { IntakeError } from './errors';

export type WorkerJob =
  | { task: 'extract'; html: string; pageUrl: string | null }
  | { task: 'read'; file: string; bytes: Uint8Array };

export type WorkerReply<T> = { ok: true; value: T } | { ok: false; kind: IntakeError['kind']; message: string };

/** Runs the thread's job and posts its result, or its `IntakeError` as a refusal. */
export function answer(work: () => unknown): void {
  let reply: WorkerReply<unknown>;
  try {
    reply = { ok: true, value: work() };
  } catch (err) {
    if (!(err instanceof IntakeError)) throw err;
    reply = { ok: false, kind: err.kind, message: err.message };
  }
  parentPort!.postMessage(reply);
}
