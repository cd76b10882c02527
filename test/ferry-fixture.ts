/** The stamp tests' fixture (src/engine/racy-stamps, replaced-file): a ferry article in two texts of one size. */
import { utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const BEFORE = 'Ferry timetable\n\nThe island ferry will run at nine in the morning.\n';
export const AFTER_ = 'Ferry timetable\n\nThe island ferry will run at six in the evening!!\n';
/** Seconds since the epoch long before any build: a stamp this old is trusted. */
export const OLD = 1_700_000_000;

/** Writes an old harbour article into `dataDir` (a second article, so the folder never holds the ferry alone). */
export function writeOldHarbour(dataDir: string): void {
  const harbour = path.join(dataDir, 'harbour.txt');
  writeFileSync(harbour, 'Harbour news\n\nThe harbour master counted seventeen ferries in the bay.\n');
  utimesSync(harbour, OLD, OLD);
}
