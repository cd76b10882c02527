/** For the commands' tests: moderators to name, and a reload report each test varies. */
import type { ReloadReport, Requester } from '../src/engine/types';

/** Moderators with distinct ids, in order. @example who('Ann', 'Ann') // two people of one name */
export const who = (...names: string[]): Requester[] => names.map((name, i) => ({ id: String(900 + i), name }));

/** A good reload of 3 articles by one moderator ("Mod"), with `fields` as a test needs them. */
export function reloadReport(fields: Partial<ReloadReport> = {}): ReloadReport {
  return { ok: true, articles: 3, sentences: 50, added: [], changed: [], removed: [], errors: [], embedded: 0, model: 'm', tookMs: 1500, builtAt: new Date(), requestedBy: who('Mod'), ...fields };
}
