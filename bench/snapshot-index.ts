/**
 * What the stage benchmarks (question-stages.ts, rank-stage.ts) start from: the engine's model with its parameters
 * and cross-encoder, and the index of a data folder read from its snapshot in the cache folder (built and written
 * first when there is none), so each run times questions, not a build.
 */
import { existsSync } from 'node:fs';
import { openEngine } from '../src/engine';
import { DEFAULT_MAX_FILE_BYTES } from '../src/engine/corpus/articles';
import { loadEmbedder, type Embedder } from '../src/engine/encoders/embedder';
import { loadModelParameters } from '../src/engine/ranking/parameters';
import { loadStageCrossEncoder } from '../src/engine/ranking/rescore';
import type { SearchIndex } from '../src/engine/retrieval/search-index';
import { folderKey, readSnapshot, snapshotPath } from '../src/engine/snapshot/snapshot';
import { printError } from './print';

export const warn = (m: string) => printError(`warning: ${m}`);

/** The embedding model of `cacheDir`, its parameters (quotebot.json) and its cross-encoder (null without one). */
export async function loadBenchModel(cacheDir: string) {
  const embedder = await loadEmbedder({ cacheDir, warn });
  const parameters = loadModelParameters(embedder.folder, embedder.model, warn);
  return { embedder, parameters, crossEncoder: await loadStageCrossEncoder(parameters, warn) };
}

/** The index of `dataDir` from its snapshot in `cacheDir`, written first by a build when there is none. */
export async function snapshotIndex(dataDir: string, cacheDir: string, embedder: Embedder): Promise<SearchIndex> {
  const file = snapshotPath(cacheDir, dataDir);
  if (!existsSync(file)) {
    printError(`no index snapshot of ${dataDir} in ${cacheDir}: building it (written for the next run)`);
    await openEngine({ dataDir, cacheDir, warn });
  }
  const stored = await readSnapshot(file, await folderKey(dataDir, embedder.id, DEFAULT_MAX_FILE_BYTES));
  if (!stored) throw new Error(`no index snapshot of ${dataDir} in ${cacheDir}`);
  return stored.index;
}
