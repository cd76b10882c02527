/**
 * End to end: /article remove never takes the last article. A reload that finds none keeps the old index serving (as
 * for a folder unmounted), so the removal would not show: removing the last is refused, nothing moved,
 * even when two moderators remove the last two at once; removing an article whose file is already gone from the
 * folder drops it, and one whose file comes back during the removal's reload, or was renamed, is not called gone. The bot is
 * bot-run.ts's, on a copy of data/ (two articles).
 */
import { existsSync } from 'node:fs';
import { readdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType } from 'discord.js';
import { callback, edit } from './discord-view';
import { askAndWait, checkWholeRun, EPHEMERAL, member, MOD_ROLE, quoteFromDescription, useBotRun } from './bot-run';
import { slowReload } from './slow-reload';

const run = useBotRun();
const { String: STRING, Subcommand: SUB } = ApplicationCommandOptionType;
const FILES = ['000_f1945c786f8eadba.txt', '004_80e3bf820ab2d521.txt'];

/** Sends /article remove from a moderator; resolves with what the moderator was shown (an edit or a reply). */
function remove(file: string) {
  const token = run.fake.command('article', [{ name: 'remove', type: SUB, options: [{ name: 'article', type: STRING, value: file }] }], member({ roles: [MOD_ROLE] }));
  return run.fake
    .waitForInteraction(token, (c) => !!edit(c) || callback(c)?.body?.type === 4, 30_000)
    .then((calls) => ({ first: callback(calls)!, body: edit(calls)?.body ?? callback(calls)!.body.data }));
}

describe('/article remove of the last article', () => {
  it('refuses the same article removed twice at once, so the second cannot unmark the first', async () => {
    // Before, the second failed to move the file and unmarked it while the first was still reloading: a third
    // removal, of the other article, then passed the check and emptied the folder.
    const outcomes = await Promise.all([remove(FILES[0]), remove(FILES[0])]);
    expect(outcomes.filter((o) => o.body.embeds?.[0]?.title === 'Article removed')).toHaveLength(1);
    const refused = outcomes.filter((o) => /is being removed already/.test(o.body.content ?? ''));
    expect(refused).toHaveLength(1);
    expect(refused[0].body.content).toMatch(/^Nothing was changed: /);
    expect(await readdir(run.dataDir)).toEqual([FILES[1]]);
    // Put back for the tests below.
    await writeFile(path.join(run.dataDir, FILES[0]), run.sourceTexts.get(FILES[0])!);
    expect((await run.engine.reload()).ok).toBe(true);
  });

  it('removes one of the last two when both are removed at once, and refuses the other, privately', async () => {
    const outcomes = await Promise.all(FILES.map(remove));
    const removed = outcomes.filter((o) => o.body.embeds?.[0]?.title === 'Article removed');
    const refused = outcomes.filter((o) => /only article left/.test(o.body.content ?? ''));
    expect(removed).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0].first.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(refused[0].body.content).toMatch(/Nothing was changed/);
    expect(await readdir(run.dataDir)).toHaveLength(1);
  });

  it('refuses to remove the last one, which is still quoted', async () => {
    const [last] = await readdir(run.dataDir);
    const { body } = await remove(last);
    expect(body.content).toMatch(/^Nothing was changed: .* is the only article left/);
    expect(await readdir(run.dataDir)).toEqual([last]);
    const answer = edit(await askAndWait(run.fake, 'Did Obama and Putin meet?', member()))!.body;
    expect(run.sourceTexts.get(last)).toContain(quoteFromDescription(answer.embeds[0].description));
  });

  it('refuses the last file in the folder while the index still quotes another whose file is gone', async () => {
    const [last] = await readdir(run.dataDir);
    const other = FILES.find((f) => f !== last)!;
    await writeFile(path.join(run.dataDir, other), run.sourceTexts.get(other)!);
    expect((await run.engine.reload()).ok).toBe(true);
    // As after a removal whose reload failed (the old index keeps serving it), or a file the host took away.
    await rm(path.join(run.dataDir, other));
    const { body } = await remove(last);
    expect(body.content).toMatch(/^Nothing was changed: .* is the only article left/);
    expect(await readdir(run.dataDir)).toEqual([last]);
  });

  it('removes an article still quoted whose file is already gone from the folder: the reload drops it, nothing set aside', async () => {
    // Left by the test above: the index quotes `other`, whose file the host took away. Before, the reply was "Nothing
    // was changed: no article … in the data folder" while /sources listed it and /ask quoted it.
    const [last] = await readdir(run.dataDir);
    const other = FILES.find((f) => f !== last)!;
    expect(run.engine.articles().map((a) => a.file)).toContain(other);
    const asideBefore = await readdir(path.join(run.tmp, 'removed-articles'));
    const { first, body } = await remove(other);
    expect(first.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    const e = body.embeds[0];
    expect(e.title).toBe('Article removed');
    expect(e.description).toMatch(/^\*\*.+\*\* \(`[^`]+`\) is no longer quoted\.\nIts file had already left the data folder \(not moved by this removal\), so none was set aside now\.\nNow 1 article, \d+ sentences\.$/);
    expect(run.engine.articles().map((a) => a.file)).toEqual([last]);
    expect(await readdir(path.join(run.tmp, 'removed-articles'))).toEqual(asideBefore);
  });

  it("does not say an article is no longer quoted when a file of its name came back during the removal's reload", async () => {
    const [last] = await readdir(run.dataDir);
    const other = FILES.find((f) => f !== last)!;
    await writeFile(path.join(run.dataDir, other), run.sourceTexts.get(other)!);
    expect((await run.engine.reload()).ok).toBe(true);
    // A slow reload (a large new article) running, so the removal's own reads the folder after the file came back.
    const slow = await slowReload(run, 'filler');
    const removing = remove(other);
    await run.fake.waitFor(() => !existsSync(path.join(run.dataDir, other)), 20_000, 'the removal to set the file aside');
    await writeFile(path.join(run.dataDir, other), run.sourceTexts.get(other)!); // as an add of the same file would
    const { body } = await removing;
    await slow.done;
    expect(run.engine.articles().map((a) => a.file)).toContain(other);
    // Before: "… is no longer quoted", while /ask quoted it from the file put back.
    expect(body.embeds[0].description).toMatch(/^\*\*.+\*\* \(`[^`]+`\) was set aside, but a file of that name was put back meanwhile and is quoted: see `\/sources`\.\nIts file is kept aside as /);
    await rm(path.join(run.dataDir, 'zz_filler.txt'));
    expect((await run.engine.reload()).ok).toBe(true);
  }, 60_000);

  it('says an article whose file the host renamed is still quoted under the new name, not that it is no longer quoted', async () => {
    const [, other] = FILES;
    const renamed = 'renamed-by-the-host.txt';
    // Written long enough ago that the build trusts its stamp (a file modified near it is read instead).
    const past = new Date(Date.now() - 60_000);
    await utimes(path.join(run.dataDir, other), past, past);
    expect((await run.engine.reload()).ok).toBe(true);
    await rename(path.join(run.dataDir, other), path.join(run.dataDir, renamed));
    const { body } = await remove(other);
    expect(run.engine.articles().map((a) => a.file)).toContain(renamed);
    // Before: "… is no longer quoted. Its file had already left the data folder …", while /ask quoted it.
    expect(body.embeds[0].description).toMatch(
      /^\*\*.+\*\* \(`004_80e3bf820ab2d521\.txt`\) is still quoted: its file was renamed `renamed-by-the-host\.txt` \(not by this removal\), and is quoted under that name\. Remove `renamed-by-the-host\.txt` to stop quoting it\.\nNothing was set aside\.\nNow 2 articles, \d+ sentences\.$/,
    );
  }, 30_000);
});

checkWholeRun(run);
