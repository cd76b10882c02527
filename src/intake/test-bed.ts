/**
 * For the intake's tests that add and remove articles as the bot does: the seed articles in a temporary data folder,
 * the real engine on them, the intake, and pages served on 127.0.0.1. Apart from test-helpers.ts, which the unit
 * tests import: this loads the engine.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openEngine, type AnswerEngine } from '../engine/index';
import { createArticleIntake, readIntakeSettings, type ArticleIntake } from './index';
import type { IntakeSettings } from './settings';

export interface IntakeBed {
  /** Where the pages are served: `http://127.0.0.1:<port>`. */
  base: string;
  engine: AnswerEngine;
  /** Private addresses allowed (the pages are on 127.0.0.1), files up to 1 MB. */
  settings: IntakeSettings;
  intake: ArticleIntake;
  /** Stops serving, waits for the engine's snapshots, removes the folders. */
  close(): Promise<void>;
}

/**
 * @param serve answers each request; `port` is the server's own, for redirects to another spelling of its address
 * @example const bed = await openIntakeBed('intake', (req, res) => res.end('Title\n\nA sentence of the article.\n'))
 */
export async function openIntakeBed(name: string, serve: (req: http.IncomingMessage, res: http.ServerResponse, port: number) => void): Promise<IntakeBed> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), `${name}-`));
  const dataDir = path.join(tmp, 'data');
  await cp(path.resolve(__dirname, '..', '..', 'data'), dataDir, { recursive: true });
  const server = http.createServer((req, res) => serve(req, res, (server.address() as AddressInfo).port));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const settings = readIntakeSettings({ ARTICLE_FETCH_ALLOW_PRIVATE: 'true', DISCORD_API_BASE: 'http://127.0.0.1/api' }, { dataDir, maxFileBytes: 1 << 20 });
  const engine = await openEngine({ dataDir, cacheDir: path.join(tmp, 'cache'), warn: () => {} });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    engine,
    settings,
    intake: createArticleIntake(settings, () => engine.articles()),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      // A reload's snapshot may still be being written into the folder about to be removed.
      await engine.snapshotWritten(30_000);
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
