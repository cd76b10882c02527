/**
 * End to end, who a reload names (its own bot, as bot-run.ts makes it): moderators whose reloads share one build,
 * as /about shows them: each person once, two of one display name as two, a name holding a link or markdown as text.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { callback } from './discord-view';
import { canHoldFiles, holdFile } from './hold-file';
import { checkWholeRun, member, MOD_ROLE, useBotRun } from './bot-run';

const CAN_HOLD_FILES = canHoldFiles();
const run = useBotRun();
const isReport = (calls: Array<{ method: string; body?: unknown }>) => calls.some((c) => c.method === 'PATCH' && JSON.stringify(c.body).includes('Sources reloaded'));

describe('who a shared reload names', () => {
  it.skipIf(!CAN_HOLD_FILES)('names each moderator once, two of one name as two, and a name with a link or markdown as text', async () => {
    const ann = member({ roles: [MOD_ROLE], nick: 'Ann' });
    const otherAnn = member({ roles: [MOD_ROLE], nick: 'Ann' });
    const linked = member({ roles: [MOD_ROLE], nick: '[x](https://e.vil) **b**' });
    // The running build is held in its read of a new file; the reloads asked meanwhile share the build after it.
    const file = path.join(run.dataDir, 'zz_names.txt');
    await writeFile(file, 'Ferry news\n\nThe harbour ferry to the summit island left at dawn on Monday.\n');
    const hold = await holdFile(file);
    let queued: string[];
    try {
      run.fake.command('reload', [], member({ roles: [MOD_ROLE], nick: 'First' }));
      await hold.opened;
      queued = [ann, linked, ann, otherAnn].map((who) => run.fake.command('reload', [], who));
      // Each is told at once it waits: by then it has joined the queued build.
      const waiting = (c: Array<{ method: string; body?: { content?: string } }>) => c.some((x) => x.method === 'PATCH' && /^Reloading… waiting/.test(x.body?.content ?? ''));
      for (const token of queued) await run.fake.waitForInteraction(token, waiting);
    } finally {
      hold.release();
    }
    for (const token of queued) await run.fake.waitForInteraction(token, isReport, 20_000);
    const about = await run.fake.waitForInteraction(run.fake.command('about', [], member()), (c) => !!callback(c));
    const field = callback(about)!.body.data.embeds[0].fields.find((f: { name: string }) => f.name === 'Last reload');
    // Before: "by Ann and \[x](https://e.vil) \*\*b\*\*": the second Ann dropped, the link clickable.
    expect(field.value).toMatch(/^<t:\d+:f> \(<t:\d+:R>\) by Ann \(2 moderators of that name\) and \\\[x\]\(https\\:\/\/e\.vil\) \\\*\\\*b\\\*\\\*$/);
  }, 30_000);

  checkWholeRun(run);
});
