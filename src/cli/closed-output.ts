/**
 * A reader that goes away (`npm run ask -- --batch FILE | head -3`, a pager quit early) is the end of the run, not a
 * crash: the next write to the closed pipe fails with EPIPE, which Node raises as an unhandled 'error' event (a stack
 * trace, exit status 1). The command-line front ends end quietly instead, as `yes | head` does.
 */

/** A write to a pipe whose reader has gone, or to the stream that such a write closed. */
const READER_GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

/**
 * Makes an EPIPE on stdout end the process at once, with status 0 and nothing printed (there is no one left to read
 * the results). One on stderr only drops the messages: the run goes on, for whoever reads its results (`2>&1
 * >answers.jsonl | head` ended the run at once, status 0, the answers file empty). Any other write error is raised.
 * @example endQuietlyWhenOutputCloses(); // first thing in a command-line main
 */
export function endQuietlyWhenOutputCloses(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (!READER_GONE.has(err.code ?? '')) throw err;
    process.exit(0);
  });
  process.stderr.on('error', (err: NodeJS.ErrnoException) => {
    if (!READER_GONE.has(err.code ?? '')) throw err;
  });
}
