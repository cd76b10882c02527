/**
 * Holding a file so that whoever opens it waits (a Linux write lease, taken by test/hold-file.py): the e2e test
 * holds the reload inside its real read of an article file, deterministically, instead of sizing a filler file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.join(import.meta.dirname, 'hold-file.py');

export interface HeldFile {
  /** Resolves when another process has started opening the file (and now waits for `release`). */
  opened: Promise<void>;
  /** Lets the waiting open go on; safe to call twice. */
  release(): void;
}

/** Whether this machine can hold files (Linux leases, python3 on the PATH). */
export function canHoldFiles(): boolean {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hold-'));
  try {
    writeFileSync(path.join(dir, 'probe.txt'), 'probe');
    const r = spawnSync('python3', [SCRIPT, path.join(dir, 'probe.txt')], { input: '\n', encoding: 'utf8', timeout: 10_000 });
    return r.status === 0 && r.stdout.includes('held');
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Holds `file` (which nobody may have open) until `release()`; resolves once it is held. */
export async function holdFile(file: string): Promise<HeldFile> {
  const child = spawn('python3', [SCRIPT, file], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const seen = (word: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (out.includes(word) ? resolve() : undefined);
      child.stdout.on('data', check);
      child.on('exit', (code) => (out.includes(word) ? resolve() : reject(new Error(`hold-file.py exited (${code}) before "${word}": ${err}`))));
    });
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (err += d));
  const opened = seen('opened');
  opened.catch(() => undefined);
  await seen('held');
  let released = false;
  return {
    opened,
    release() {
      if (released) return;
      released = true;
      child.stdin.end('\n');
    },
  };
}
