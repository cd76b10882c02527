/**
 * A reader that goes away (`npm run ask -- --batch FILE | head -3`, a pager quit early) is the end of the run, not a
 * crash: the next write to the closed pipe fails with EPIPE, which Node raises as an unhandled 'error' event (a stack
 * trace, exit status 1). The command-line front ends end quietly instead, as `yes | head` does.
 */

/**
 * Makes an EPIPE on stdout or stderr end the process at once, with status 0 and nothing printed (there is no one left
 * to read it); any other write error is raised as before.
 * @example endQuietlyWhenOutputCloses(); // first thing in a command-line main
 */
export function endQuietlyWhenOutputCloses(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(0);
    });
  }
}
