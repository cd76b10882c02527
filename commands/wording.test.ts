import { describe, expect, it } from 'vitest';
import type { EngineStatus, ReloadReport } from '../src/engine/types';
import { LIMITS } from '../src/discord/limits';
import { reloadReport, who } from './test-helpers';
import { describeLastReload } from './wording';

/** A good reload by one moderator (each test sets when it was built). */
const report = reloadReport();

describe('describeLastReload', () => {
  const at = new Date(1_700_000_000_000);
  const status = (lastReload: ReloadReport | null): EngineStatus => ({ model: 'm', articles: 3, sentences: 50, builtAt: at, lastReload, reloading: false });

  it('says when the serving index was built and by whom, or that it was the build at start', () => {
    expect(describeLastReload(status({ ...report, builtAt: at }))).toBe('<t:1700000000:f> (<t:1700000000:R>) by Mod');
    expect(describeLastReload(status({ ...report, builtAt: at, requestedBy: [] }))).toBe('<t:1700000000:f> (<t:1700000000:R>), at start');
    // A queued build several reloads joined: it named only its first caller.
    expect(describeLastReload(status({ ...report, builtAt: at, requestedBy: who('Mod', 'Ann_B', 'Cy') }))).toBe('<t:1700000000:f> (<t:1700000000:R>) by Mod, Ann\\_B, and Cy');
  });

  it('after a failed reload, gives the serving index and who tried', () => {
    const failed = { ...report, ok: false, builtAt: new Date(1_700_000_600_000), requestedBy: who('@everyone*') };
    expect(describeLastReload(status(failed))).toBe('<t:1700000000:f> (<t:1700000000:R>); a reload by @everyone\\* failed <t:1700000600:R>');
  });

  it('names each moderator once, and two sharing a name as two', () => {
    const [ann, bo, otherAnn] = who('Ann', 'Bo', 'Ann');
    // One moderator asked twice: the build names them once (the queue keeps each id once), whatever the list holds.
    expect(describeLastReload(status({ ...report, builtAt: at, requestedBy: [ann, bo, ann] }))).toBe('<t:1700000000:f> (<t:1700000000:R>) by Ann and Bo');
    // Two people of one name: "by Ann, Bo, and Ann" read as one moderator named twice; "by Ann" (once) lost one.
    expect(describeLastReload(status({ ...report, builtAt: at, requestedBy: [ann, bo, otherAnn] }))).toBe(
      '<t:1700000000:f> (<t:1700000000:R>) by Ann (2 moderators of that name) and Bo',
    );
    // Past five, "others" counts people, not names.
    expect(describeLastReload(status({ ...report, builtAt: at, requestedBy: who('Ann', 'Ann', 'Ann', 'A', 'B', 'C', 'D', 'E', 'F') }))).toBe(
      '<t:1700000000:f> (<t:1700000000:R>) by Ann (3 moderators of that name), A, B, C, and 3 others',
    );
  });

  it("shows a moderator's name as text: no link, no markdown, no mention", () => {
    // Discord's display names are at most 32 characters.
    const line = describeLastReload(status({ ...report, builtAt: at, requestedBy: who('[x](https://e.vil) **b** <@1>', 'https://e.vil/a_b @everyone') }));
    expect(line).toBe('<t:1700000000:f> (<t:1700000000:R>) by \\[x](https\\://e.vil) \\*\\*b\\*\\* \\<@1> and https\\://e.vil/a\\_b @everyone');
  });

  it('names at most five moderators, so the line keeps its end within the field (/about, /sources)', () => {
    // Twenty moderators' reloads shared one failed build: named in full (32 characters, each "_" escaped), the line
    // passed the field's 1,024 characters and the cut took "failed <t:…>" off: it read as a good reload.
    const names = Array.from({ length: 20 }, (_, i) => `Mod_${String(i).padStart(2, '0')}_${'_x'.repeat(12)}_`);
    const failed = describeLastReload(status({ ...report, ok: false, builtAt: new Date(1_700_000_600_000), requestedBy: who(...names) }));
    expect(failed.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    expect(failed).toMatch(/^<t:1700000000:f> \(<t:1700000000:R>\); a reload by Mod\\_00\\_.*, Mod\\_03\\_[^,]*, and 16 others failed <t:1700000600:R>$/);
    const five = ['A', 'B', 'C', 'D', 'E'];
    expect(describeLastReload(status({ ...report, builtAt: at, requestedBy: who(...five) }))).toBe('<t:1700000000:f> (<t:1700000000:R>) by A, B, C, D, and E');
    expect(describeLastReload(status({ ...report, builtAt: at, requestedBy: who(...five, 'F') }))).toBe('<t:1700000000:f> (<t:1700000000:R>) by A, B, C, D, and 2 others');
  });
});
