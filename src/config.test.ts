import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, readEngineSettings } from './config';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readEngineSettings', () => {
  it('takes MAX_FILE_MB above 0 up to 1024, and says so when refusing 0 (no "unlimited"): "between 0 and 1024" seemed to allow it', () => {
    expect(readEngineSettings({ MAX_FILE_MB: '0.5' }).maxFileBytes).toBe(512 * 1024);
    expect(readEngineSettings({ MAX_FILE_MB: '1024' }).maxFileBytes).toBe(1024 * 1024 * 1024);
    for (const mb of ['0', '1025', 'lots']) {
      expect(() => readEngineSettings({ MAX_FILE_MB: mb })).toThrow(`MAX_FILE_MB must be a number of megabytes above 0 and at most 1024, got "${mb}"`);
    }
  });

  it('names MAX_FILE_MB and CACHE_DIR both when both are wrong', () => {
    expect(() => readEngineSettings({ MAX_FILE_MB: '-1', DATA_DIR: 'news', CACHE_DIR: 'news/.cache' })).toThrow(
      /^2 settings are wrong:\n- MAX_FILE_MB must be .*, got "-1"\n- CACHE_DIR .* must not be inside DATA_DIR/,
    );
  });

  it('refuses a cache folder inside the data folder, naming both variables', () => {
    expect(() => readEngineSettings({ DATA_DIR: 'news', CACHE_DIR: 'news/.cache' })).toThrow(ConfigError);
    expect(() => readEngineSettings({ DATA_DIR: 'news', CACHE_DIR: 'news' })).toThrow(/CACHE_DIR .* must not be inside DATA_DIR/);
    expect(readEngineSettings({ DATA_DIR: 'news', CACHE_DIR: 'news-cache' }).cacheDir).toMatch(/news-cache$/);
  });

  it('refuses a cache folder that is a file, or lies under one, naming the file (it warned three times, then at every reload)', () => {
    const file = path.join(tmp, 'cache.txt');
    writeFileSync(file, 'not a folder');
    for (const cacheDir of [file, path.join(file, 'deeper', 'cache')]) {
      expect(() => readEngineSettings({ DATA_DIR: path.join(tmp, 'data'), CACHE_DIR: cacheDir })).toThrow(
        `CACHE_DIR (${cacheDir}) must be a folder, but ${file} is a file: the index snapshot and the embedding cache could never be written there`,
      );
    }
    // A folder yet to be made, under one that is there, is fine.
    expect(readEngineSettings({ DATA_DIR: path.join(tmp, 'data'), CACHE_DIR: path.join(tmp, 'new', 'cache') }).cacheDir).toBe(path.join(tmp, 'new', 'cache'));
  });
});
