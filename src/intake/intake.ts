/**
 * The two things a moderator does, each one call: add an article (an uploaded file or a link) and remove one.
 * Fetch → prepare (checks, extraction, the engine's reader) → save; nothing is written until every check passed.
 * The caller reloads the engine afterwards.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Resolver } from './address';
import { IntakeError } from './errors';
import { refuseIfBusy } from './workers';
import { fetchPage, type FetchedPage } from './fetch-page';
import { prepareArticle, tooLarge, type IntakeInput } from './prepare';
import type { IntakeSettings } from './settings';
import { removeArticleFile, sameArticleUrl, saveArticle, type LoadedArticle } from './store';

export interface IntakeRun extends IntakeSettings {
  /** Recorded as `added_by` in the saved file (e.g. "Ana (123456789012345678)"). */
  addedBy: string;
  /** The articles the engine serves now (`engine.articles()`): an added article with the same URL replaces its file. */
  loaded: readonly LoadedArticle[];
  now?: Date;
  /** Network edge, for tests: a fetch time limit and a DNS resolver. */
  timeoutMs?: number;
  resolve?: Resolver;
}

/** An uploaded file as Discord describes it. */
export interface Upload {
  /** Where Discord serves it. */
  url: string;
  name: string;
  /** Bytes, as Discord states. */
  size?: number;
}

export interface AddedArticle {
  /** The new file, relative to the data folder. */
  file: string;
  title: string;
  url: string | null;
  outlet: string | null;
  published: string | null;
  sentences: number;
  /** The first sentence the bot may quote from it. */
  firstSentence: string;
  /** Files replaced (same URL) and where they were set aside. */
  replaced: Array<{ file: string; setAsideTo: string }>;
}

/** Links being downloaded now, each to be read in a worker soon (`refuseIfBusy`). */
let linksDownloading = 0;

/**
 * Links being added now, from the call until it settles. The store replaces an article already loaded from the same
 * address but cannot see one still on its way, so two adds of one link at once (two moderators, a double submit)
 * would save two copies. This process's only: under sharding each shard has its own, like the workers' turns.
 */
const linksBeingAdded = new Set<string>();

/**
 * Adds the article at a member-supplied link (address-checked: see `fetchPage`); refused 'busy' before its download
 * when `MAX_WAITING` pages already wait for a worker, links still downloading counted among them, and
 * 'being-added' at once when the same address (`sameArticleUrl`) is being added already.
 * @example const added = await addArticleFromLink('https://example.com/news/1', { ...settings, addedBy, loaded: engine.articles() })
 */
export async function addArticleFromLink(link: string, run: IntakeRun): Promise<AddedArticle> {
  // Checked and marked with no await between, so two adds at once cannot both pass.
  for (const other of linksBeingAdded) {
    if (sameArticleUrl(other, link)) throw new IntakeError('being-added', 'this link is already being added; it will be quoted once that finishes');
  }
  // Before the download: a link sent while the queue is full would be refused once fetched anyway. Links still
  // downloading hold a place too, or links sent at once would all be fetched before the first reached the queue.
  refuseIfBusy(linksDownloading);
  linksBeingAdded.add(link);
  try {
    linksDownloading++;
    let page: FetchedPage;
    try {
      page = await fetchPage(link, { maxBytes: run.maxFileBytes, allowPrivate: run.allowPrivate, timeoutMs: run.timeoutMs, resolve: run.resolve });
    } finally {
      linksDownloading--; // its place passes to its page, which asks for its turn with no await between
    }
    return await addArticle({ bytes: page.bytes, contentType: page.contentType, pageUrl: page.url }, run);
  } finally {
    linksBeingAdded.delete(link); // whatever the outcome (saved, refused, timed out, thrown), so it can be added again
  }
}

/**
 * Adds an uploaded file. `url` is where Discord serves the attachment: it comes from Discord, not from the member, and
 * is fetched only from Discord's attachment hosts (`attachmentHosts`, redirects included), where the private-address check does not apply
 * (a test or proxy server standing in for Discord may be on one); the size cap and the time limit do.
 * @example await addArticleFromUpload({ url: attachment.url, name: attachment.name }, run)
 */
export async function addArticleFromUpload(upload: Upload, run: IntakeRun): Promise<AddedArticle> {
  // Discord states the size: refuse an over-size file without downloading it.
  if (upload.size !== undefined && upload.size > run.maxFileBytes) throw tooLarge(upload.size, run.maxFileBytes);
  let host: string;
  try {
    host = new URL(upload.url).hostname;
  } catch {
    throw new IntakeError('bad-link', 'the attachment has no valid address');
  }
  if (!run.attachmentHosts.includes(host)) throw new IntakeError('blocked-address', `not a Discord attachment: ${host} is not where Discord serves files`);
  // Redirects too stay on those hosts: the private-address check is off here.
  const page = await fetchPage(upload.url, { maxBytes: run.maxFileBytes, allowPrivate: true, onlyHosts: run.attachmentHosts, timeoutMs: run.timeoutMs, resolve: run.resolve });
  return addArticle({ bytes: page.bytes, fileName: upload.name }, run);
}

/** Checks, converts and writes one article from its bytes. */
export async function addArticle(input: IntakeInput, run: IntakeRun): Promise<AddedArticle> {
  const now = run.now ?? new Date();
  const prepared = await prepareArticle(input, { maxFileBytes: run.maxFileBytes, addedBy: run.addedBy, addedAt: now });
  const saved = await saveArticle(run, prepared, run.loaded, now);
  const { article } = prepared;
  const first = article.sentences[0];
  return {
    file: saved.file,
    title: article.title,
    url: article.url,
    outlet: article.outlet,
    published: article.published,
    sentences: article.sentences.length,
    firstSentence: article.text.slice(first.start, first.end),
    replaced: saved.replaced,
  };
}

/**
 * Moves a loaded article's file (its id, relative to the data folder) into the set-aside folder.
 * @example const { setAsideTo } = await removeArticle('obama-putin.md', settings)
 */
export async function removeArticle(file: string, settings: Pick<IntakeSettings, 'dataDir' | 'removedDir'>, now = new Date()): Promise<{ file: string; setAsideTo: string }> {
  return { file, setAsideTo: await removeArticleFile(settings, file, now) };
}

/** Adding and removing articles for one bot: the settings plus where to see what the engine serves now. */
export interface ArticleIntake {
  /** Mutable so a test can flip `allowPrivate`; read at each call. */
  settings: IntakeSettings;
  addFromLink(link: string, addedBy: string): Promise<AddedArticle>;
  addFromUpload(upload: Upload, addedBy: string): Promise<AddedArticle>;
  remove(file: string): Promise<{ file: string; setAsideTo: string }>;
  /** Whether any of `files` (loaded articles' files) is still in the data folder: the index may hold one set aside. */
  anyInFolder(files: readonly string[]): Promise<boolean>;
}

/**
 * @example const intake = createArticleIntake(readIntakeSettings(process.env, engineSettings), () => engine.articles())
 */
export function createArticleIntake(settings: IntakeSettings, loaded: () => readonly LoadedArticle[]): ArticleIntake {
  const intake: ArticleIntake = {
    settings,
    addFromLink: (link, addedBy) => addArticleFromLink(link, { ...intake.settings, addedBy, loaded: loaded() }),
    addFromUpload: (upload, addedBy) => addArticleFromUpload(upload, { ...intake.settings, addedBy, loaded: loaded() }),
    remove: (file) => removeArticle(file, intake.settings),
    anyInFolder: async (files) => {
      for (const file of files) if ((await stat(path.join(intake.settings.dataDir, file)).catch(() => null))?.isFile()) return true;
      return false;
    },
  };
  return intake;
}
