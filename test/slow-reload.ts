/** A reload kept running for a while, for end-to-end tests that act while one runs (an add, a removal, /sources). */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AnswerEngine, ReloadReport } from '../src/engine/types';
import type { FakeDiscord } from './fake-discord';

/**
 * Writes a large new article, `zz_<tag>.txt` (its own words, so no cache shortens its reading), and starts a reload;
 * resolves once it runs. The caller removes the file.
 * @example const slow = await slowReload({ dataDir, engine, fake }, 'pier'); …; await slow.done
 */
export async function slowReload(bot: { dataDir: string; engine: AnswerEngine; fake: FakeDiscord }, tag: string): Promise<{ done: Promise<ReloadReport> }> {
  let text = `Filler ${tag} for a slow reload\n\n`;
  for (let i = 0; i < 20_000; i++) text += `The ${tag} lantern number ${i} rested near meadow ${i * 13}.${i % 5 === 4 ? '\n\n' : ' '}`;
  await writeFile(path.join(bot.dataDir, `zz_${tag}.txt`), text);
  const done = bot.engine.reload();
  await bot.fake.waitFor(() => bot.engine.status().reloading, 5000, 'the reload to start');
  return { done }; // not the promise itself: an async function would wait for it
}
