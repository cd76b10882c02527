/**
 * What crosses processes in a shared reload, with the real engine: the manager relays a broadcast's script and its
 * context to each shard process (here a stand-in for discord.js' ShardClientUtil runs the script against another
 * shard's Client, the context through JSON as over IPC). A shard the manager respawns runs the code on disk: after an
 * update it runs the new version beside shards of the old one, so each side must take what the other sends.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'discord.js';
import { afterAll, describe, expect, it } from 'vitest';
import { describeLastReload } from '../../commands/wording';
import { openEngine } from '../engine';
import { createLogger } from '../log';
import { connectShards } from './shards';

const tmp = (p: string) => mkdtempSync(path.join(os.tmpdir(), p));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const log = createLogger({ level: 'error', write: () => undefined });

type Script = (client: unknown, context: unknown) => unknown;
/** Shard `shard`'s Client as `connectShards` uses it; its broadcasts run against `receiver`, another shard's Client. */
function shardClient(shard: number, receiver: () => unknown = () => null): Client {
  const broadcastEval = (script: Script, { context }: { context: unknown }) => Promise.resolve(script(receiver(), JSON.parse(JSON.stringify(context))));
  return { shard: { ids: [shard], count: 1, broadcastEval }, guilds: { cache: { size: 1 } }, isReady: () => true } as unknown as Client;
}
type TakeBuild = (...args: unknown[]) => Promise<{ ok: boolean }>;
const takeBuildOf = (client: Client) => (client as unknown as { quotebotShard: { takeBuild: TakeBuild } }).quotebotShard.takeBuild;

describe('a shared reload between shards of two versions', () => {
  it('takes the build a shard of the version before shares (it sends the name alone), and /about names that moderator', async () => {
    const [dataDir, cacheDir] = [tmp('shards-data-'), tmp('shards-cache-')];
    dirs.push(dataDir, cacheDir);
    cpSync(path.resolve('data'), dataDir, { recursive: true });
    const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
    const client = shardClient(1);
    connectShards(client, log).serve(engine);
    // As the version before's script called it: takeBuild(ctx.requestedBy, ctx.from), requestedBy a display name.
    // Before: the name was kept as a requester, and every /about and /sources after it threw on it.
    expect(await takeBuildOf(client)('Mod_A', 0)).toMatchObject({ ok: true });
    expect(describeLastReload(engine.status())).toMatch(/\) by Mod\\_A$/);
    // Anything else that crosses names nobody rather than break what shows the last reload.
    expect(await takeBuildOf(client)({ id: 7 }, 0)).toMatchObject({ ok: true });
    expect(describeLastReload(engine.status())).toMatch(/\), at start$/);
  }, 60_000);

  it('shares its build with a shard of the version before as that version reads it: the name where it took it', async () => {
    const heard: unknown[][] = [];
    // The version before's handler: takeBuild(requestedBy: string, from: number).
    const before = { quotebotShard: { takeBuild: (...args: unknown[]) => (heard.push(args), { shard: 1, ok: true }) } };
    const { shards } = connectShards(shardClient(0, () => before), log);
    await shards!.shareReload({ id: '900', name: 'Ann' });
    // Before: the whole { id, name } went where that version reads a name, and its /about threw on it.
    expect(heard).toEqual([['Ann', 0, '900']]);
  });
});
