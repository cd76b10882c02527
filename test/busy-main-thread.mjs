/**
 * Loaded with `--import` (NODE_OPTIONS) into the process that runs src/main.ts: once the file named by
 * BUSY_MAIN_THREAD_FROM exists, the main thread is busy 300 ms of every 330, as in a long build slice or an answer
 * on loaded cores. A signal then waits for the thread, as it would on a busy server.
 */
import { existsSync } from 'node:fs';

const from = process.env.BUSY_MAIN_THREAD_FROM;
// Only the entry's process: under tsx's command line, NODE_OPTIONS reaches tsx's own process too.
if (from && process.argv[1]?.endsWith('main.ts')) {
  const busy = () => {
    const end = Date.now() + 300;
    while (Date.now() < end);
    setTimeout(busy, 30).unref();
  };
  const poll = setInterval(() => {
    if (!existsSync(from)) return;
    clearInterval(poll);
    busy();
  }, 20);
  poll.unref();
}
