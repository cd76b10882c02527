import { describe, expect, it } from 'vitest';
import type { ArticleInfo, FileStamp } from '../../src/engine/types';
import { renamedTo } from './renamed';

const stamp = (ino: number, size = 900, mtimeMs = 1_700_000_000_000): FileStamp => ({ size, mtimeMs, ctimeMs: mtimeMs, ino });
const info = (file: string, s: FileStamp | undefined): ArticleInfo => ({ id: file, title: file, file, url: null, outlet: null, published: null, sentences: 3, stamp: s });

describe('renamedTo: the name the host gave a removed article’s very file', () => {
  const removed = info('a.txt', stamp(41));

  it('is the name now serving the same file (inode, size and time) that did not serve it before', () => {
    expect(renamedTo(removed, [removed, info('c.txt', stamp(7))], [info('b.txt', { ...stamp(41), ctimeMs: 5 }), info('c.txt', stamp(7))])).toBe('b.txt');
    // Renamed over another file's name: that name served another file before.
    expect(renamedTo(removed, [removed, info('b.txt', stamp(7))], [info('b.txt', stamp(41))])).toBe('b.txt');
  });

  it('is none for a rewritten file, a racy stamp, or a file another name already served (a hard link, not a rename)', () => {
    expect(renamedTo(removed, [removed], [info('b.txt', stamp(41, 901))])).toBeNull();
    expect(renamedTo(info('a.txt', undefined), [info('a.txt', undefined)], [info('b.txt', stamp(41))])).toBeNull();
    // Before: "its file was renamed `b.txt`", of a name that served the same file all along.
    expect(renamedTo(removed, [removed, info('b.txt', stamp(41))], [info('b.txt', stamp(41))])).toBeNull();
  });

  it('is none where the file system gives no file number (0): size and time alone are two articles unpacked at once', () => {
    const unnumbered = info('a.txt', stamp(0));
    expect(renamedTo(unnumbered, [unnumbered], [info('b.txt', stamp(0))])).toBeNull();
  });
});
