import { readdirSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCommand, isRoot, runWithoutPermissionOverride } from '../../test/system';
import { readDataFolder } from '../engine/corpus/articles';
import { IntakeError } from './errors';
import { prepareArticle, type PreparedArticle } from './prepare';
import { defaultRemovedDir, removeArticleFile, saveArticle, slugify, type ArticleFolders } from './store';

const PROJECT = path.resolve(__dirname, '..', '..');
let tmp: string;
let folders: ArticleFolders;
const NOW = new Date('2026-11-26T12:30:05.123Z');

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'intake-store-'));
  folders = { dataDir: path.join(tmp, 'data'), removedDir: path.join(tmp, 'removed-articles') };
  await mkdir(folders.dataDir);
});
afterEach(async () => {
  await chmod(folders.dataDir, 0o755).catch(() => {});
  await rm(tmp, { recursive: true, force: true });
});

function article(title: string, url: string | null, sentence = 'The council voted seven to two on Thursday to build the bridge.'): Promise<PreparedArticle> {
  const front = `---\ntitle: ${title}\n${url ? `url: ${url}\n` : ''}---\n${sentence}\n`;
  return prepareArticle({ bytes: new TextEncoder().encode(front), fileName: 'a.md' }, { maxFileBytes: 1 << 20, addedBy: 'Ana (1)', addedAt: NOW });
}

const ls = async (dir: string) => (await readdir(dir, { recursive: true })).sort();

describe('saveArticle', () => {
  it('writes under a name made from the title, leaving no temporary file, and the engine loads it', async () => {
    const saved = await saveArticle(folders, await article('Harbour bridge approved, after 8 years!', null), []);
    expect(saved).toEqual({ file: 'harbour-bridge-approved-after-8-years.md', replaced: [] });
    expect(await ls(folders.dataDir)).toEqual(['harbour-bridge-approved-after-8-years.md']);
    const { articles, errors } = await readDataFolder(folders.dataDir);
    expect(errors).toEqual([]);
    expect(articles[0]).toMatchObject({ title: 'Harbour bridge approved, after 8 years!', addedBy: 'Ana (1)', addedAt: NOW.toISOString() });
  });

  it('tells the name as it is taken: the file is there under it, and its temporary file not yet removed', async () => {
    // The intake marks the file being added from here (/article remove asks): told once the temporary file is gone,
    // a removal in the meantime found a file in the folder that no mark named.
    const told: Array<{ file: string; listed: string[] }> = [];
    const saved = await saveArticle(folders, await article('Bridge approved', null), [], NOW, (file) => {
      told.push({ file, listed: readdirSync(folders.dataDir).sort() });
    });
    expect(told).toEqual([{ file: saved.file, listed: [expect.stringMatching(/^\.intake-.+\.tmp$/), 'bridge-approved.md'] }]);
  });

  it('never overwrites: the same title twice gives two files', async () => {
    await saveArticle(folders, await article('Bridge approved', 'https://a.example/1'), []);
    const second = await saveArticle(folders, await article('Bridge approved', 'https://b.example/2'), []);
    expect(second.file).toBe('bridge-approved-2.md');
    expect(await ls(folders.dataDir)).toEqual(['bridge-approved-2.md', 'bridge-approved.md']);
    expect(await readFile(path.join(folders.dataDir, 'bridge-approved.md'), 'utf8')).toContain('https://a.example/1');
  });

  it('lands two adds made at once', async () => {
    const prepared = await Promise.all([article('Bridge approved', 'https://a.example/1'), article('Bridge approved', 'https://b.example/2'), article('Ferry cut', 'https://c.example/3')]);
    const results = await Promise.all(prepared.map((p) => saveArticle(folders, p, [])));
    expect(results.map((r) => r.file).sort()).toEqual(['bridge-approved-2.md', 'bridge-approved.md', 'ferry-cut.md']);
    expect((await readDataFolder(folders.dataDir)).articles.map((a) => a.url).sort()).toEqual(['https://a.example/1', 'https://b.example/2', 'https://c.example/3']);
  });

  it('replaces the files it is given (from the same URL: findInSources), setting the old file aside with the time in its name', async () => {
    const first = await saveArticle(folders, await article('Bridge approved', 'https://ledger.example/bridge'), []);
    const updated = await article('Bridge approved', 'http://www.ledger.example/bridge/#comments', 'The council voted eight to one on Friday to build the bridge.');
    const saved = await saveArticle(folders, updated, [first.file], NOW);
    const aside = path.join(folders.removedDir, '2026-11-26T12-30-05.123Z_replaced_bridge-approved.md');
    expect(saved).toEqual({ file: 'bridge-approved.md', replaced: [{ file: 'bridge-approved.md', setAsideTo: aside }] });
    expect(await readFile(path.join(folders.dataDir, 'bridge-approved.md'), 'utf8')).toContain('eight to one');
    expect(await readFile(aside, 'utf8')).toContain('seven to two');
    expect(await ls(folders.dataDir)).toEqual(['bridge-approved.md']);
  });

  it.skipIf(isRoot && !hasCommand('setpriv'))('refuses a read-only data folder in one line and leaves nothing behind', async () => {
    await chmod(folders.dataDir, 0o555);
    const prepared = await article('Bridge approved', null);
    let outcome: { kind?: string; message: string };
    if (isRoot) {
      // Root writes through permission bits, so the attempt runs without that power.
      const script = `import { saveArticle } from ${JSON.stringify(path.join(__dirname, 'store.ts'))};
        try { await saveArticle(${JSON.stringify(folders)}, ${JSON.stringify(prepared)}, []); console.log(JSON.stringify({ message: 'saved' })); }
        catch (e) { console.log(JSON.stringify({ kind: e.kind, message: e.message })); }`;
      outcome = JSON.parse(await runWithoutPermissionOverride(script, PROJECT));
    } else {
      outcome = await saveArticle(folders, prepared, []).then(
        () => ({ message: 'saved' }),
        (e: IntakeError) => ({ kind: e.kind, message: e.message }),
      );
    }
    expect(outcome).toEqual({ kind: 'read-only', message: `cannot write: the data folder (${folders.dataDir}) is read-only for the bot; ask its host to make it writable` });
    expect(await ls(folders.dataDir)).toEqual([]);
  });
});

describe('removeArticleFile', () => {
  it('moves the file into the set-aside folder (keeping its sub-folder), never deleting it', async () => {
    await mkdir(path.join(folders.dataDir, 'news'));
    await writeFile(path.join(folders.dataDir, 'news', 'bridge.txt'), 'Bridge\n\nThe council voted on Thursday to build it.\n');
    const aside = await removeArticleFile(folders, 'news/bridge.txt', NOW);
    expect(aside).toBe(path.join(folders.removedDir, 'news', '2026-11-26T12-30-05.123Z_removed_bridge.txt'));
    expect(await readFile(aside, 'utf8')).toContain('voted on Thursday');
    expect(await ls(folders.dataDir)).toEqual(['news']);
    // Removed twice in the same millisecond: both kept.
    await writeFile(path.join(folders.dataDir, 'news', 'bridge.txt'), 'again');
    expect(await removeArticleFile(folders, 'news/bridge.txt', NOW)).toBe(path.join(folders.removedDir, 'news', '2026-11-26T12-30-05.123Z_removed-2_bridge.txt'));
  });

  it('refuses a file that is not there or outside the data folder', async () => {
    await writeFile(path.join(tmp, 'secret.md'), 'x');
    for (const file of ['missing.md', '../secret.md', '/etc/hostname', 'news']) {
      await expect(removeArticleFile(folders, file)).rejects.toMatchObject({ kind: 'no-such-article' });
    }
    expect(await readFile(path.join(tmp, 'secret.md'), 'utf8')).toBe('x');
  });
});

describe('names and addresses', () => {
  it('slugifies titles into safe file names', () => {
    expect(slugify('Путин и Обама: встреча')).toBe('путин-и-обама-встреча');
    expect(slugify('Café crème / "quotes" \\ ../..')).toBe('cafe-creme-quotes');
    expect(slugify('!!!')).toBe('article');
    expect(slugify('a'.repeat(200)).length).toBe(80);
  });

  it('puts the set-aside folder beside the data folder by default', () => {
    expect(defaultRemovedDir('/srv/bot/data')).toBe('/srv/bot/removed-articles');
  });
});
