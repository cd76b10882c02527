import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildProgress } from './progress';

/** A stream that says it is (or is not) a terminal and keeps what is written. */
function stream(isTTY: boolean) {
  let written = '';
  const s = new Writable({
    write(chunk, _enc, done) {
      written += String(chunk);
      done();
    },
  }) as Writable & { isTTY: boolean; columns: number };
  s.isTTY = isTTY;
  s.columns = 100;
  return { s: s as unknown as NodeJS.WriteStream, written: () => written };
}

describe('buildProgress', () => {
  it('draws nothing when stderr is not a terminal (piped, redirected, --json consumers)', () => {
    expect(buildProgress(stream(false).s)).toBeNull();
  });

  it('on a terminal, shows each phase and the embedding and indexing counts, and clears the bar at the end', async () => {
    const out = stream(true);
    const progress = buildProgress(out.s)!;
    // cli-progress redraws at most every 200 ms.
    const step = () => new Promise((resolve) => setTimeout(resolve, 250));
    progress.onProgress({ phase: 'reading', done: 0, total: 0 });
    await step();
    progress.onProgress({ phase: 'embedding', done: 500, total: 1000 });
    await step();
    progress.onProgress({ phase: 'indexing', done: 0, total: 3 });
    await step();
    progress.onProgress({ phase: 'indexing', done: 40_000, total: 200_000 });
    await step();
    progress.stop();
    const text = out.written();
    expect(text).toContain('reading articles…');
    expect(text).toMatch(/embedding sentences \[=+-+\] 500\/1,000, \d+s left/);
    expect(text).toContain('indexing…');
    expect(text).toMatch(/indexing \[=+-+\] 40,000\/200,000, \d+s left/);
    // Cleared at the end: the last thing written erases the line.
    expect(text.endsWith('\u001b[2K')).toBe(true);
  });
});
