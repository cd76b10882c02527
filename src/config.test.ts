import { describe, expect, it } from 'vitest';
import { ConfigError, readEngineSettings } from './config';

describe('readEngineSettings', () => {
  it('refuses a cache folder inside the data folder, naming both variables', () => {
    expect(() => readEngineSettings({ DATA_DIR: 'news', CACHE_DIR: 'news/.cache' })).toThrow(ConfigError);
    expect(() => readEngineSettings({ DATA_DIR: 'news', CACHE_DIR: 'news' })).toThrow(/CACHE_DIR .* must not be inside DATA_DIR/);
    expect(readEngineSettings({ DATA_DIR: 'news', CACHE_DIR: 'news-cache' }).cacheDir).toMatch(/news-cache$/);
  });
});
