import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readIntakeSettings } from './settings';

const engine = { dataDir: '/srv/bot/data', maxFileBytes: 5 << 20 };

describe('readIntakeSettings', () => {
  it('defaults: private addresses refused, set-aside folder beside the data folder', () => {
    expect(readIntakeSettings({}, engine)).toEqual({ dataDir: '/srv/bot/data', removedDir: '/srv/bot/removed-articles', maxFileBytes: 5 << 20, allowPrivate: false, attachmentHosts: ['cdn.discordapp.com', 'media.discordapp.net'] });
  });

  it('reads ARTICLE_FETCH_ALLOW_PRIVATE and REMOVED_DIR', () => {
    const s = readIntakeSettings({ ARTICLE_FETCH_ALLOW_PRIVATE: 'TRUE', REMOVED_DIR: 'old' }, engine);
    expect(s).toMatchObject({ allowPrivate: true, removedDir: path.resolve('old') });
  });

  it('names the variable when a value is wrong', () => {
    expect(() => readIntakeSettings({ ARTICLE_FETCH_ALLOW_PRIVATE: 'maybe' }, engine)).toThrow(/^ARTICLE_FETCH_ALLOW_PRIVATE must be true or false/);
    expect(() => readIntakeSettings({ REMOVED_DIR: '/srv/bot/data/old' }, engine)).toThrow(/^REMOVED_DIR .* must not be inside DATA_DIR/);
  });
});
