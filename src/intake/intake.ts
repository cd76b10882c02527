/**
 * The two things a moderator does, each one call: add an article (an uploaded file or a link) and remove one.
 * Fetch → prepare (checks, extraction, the engine's reader) → compare with the sources → save; nothing is written
 * until every check passed. The caller's `load` (its reload) runs before the add's mark (`being-added.ts`) ends.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { renamedArticle, type Article } from '../engine/corpus/articles';
import type { Resolver } from './address';
import { isBeingAdded, markArticle, markFile, markLink, markUpload, unmark, type BeingAdded } from './being-added';
import { IntakeError } from './errors';
import { refuseIfBusy } from './workers';
import { fetchPage, withoutCredentials, type FetchedPage } from './fetch-page';
import { prepareArticle, tooLarge, type IntakeInput } from './prepare';
import type { IntakeSettings } from './settings';
import { findInSources, type LoadedArticle } from './sources';
import { removeArticleFile, saveArticle } from './store';

export interface IntakeRun extends IntakeSettings {
  /** Recorded as `added_by` in the saved file (e.g. "Ana (123456789012345678)"). */
  addedBy: string;
  /**
   * The articles the engine serves (`engine.articles()`), so that only files not loaded yet are read to compare;
   * asked once the article is ready, since other adds and removals may have been loaded while it was fetched.
   */
  loaded: () => readonly LoadedArticle[];
  /**
   * Loads the saved article (the bot's reload). Run before the add's mark ends, so the same article added again
   * meanwhile is refused ('being-added') rather than compared with sources that do not show it yet. `alreadyRead` is
   * the engine's reading of the saved file, for the reload to take instead of reading it again.
   */
  load?: (added: AddedArticle, alreadyRead: Article) => Promise<void>;
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
 * Adds the article at a member-supplied link (address-checked: see `fetchPage`); refused 'being-added' at once when
 * the same address (`sameArticleUrl`) is being added already, and 'busy' before its download when `MAX_WAITING`
 * pages already wait for a worker, links still downloading counted among them.
 * @example const added = await addArticleFromLink('https://example.com/news/1', { ...settings, addedBy, loaded: () => engine.articles() })
 */
export async function addArticleFromLink(link: string, run: IntakeRun): Promise<AddedArticle> {
  // Marked without its user name and password: another add's refusal names this link ('being-added'), and the log
  // keeps that. `withoutCredentials` and `fetchPage` each take it out of its angle brackets.
  const own = markLink(withoutCredentials(link));
  try {
    // Before the download: a link sent while the queue is full would be refused once fetched anyway. Links still
    // downloading hold a place too, or links sent at once would all be fetched before the first reached the queue.
    refuseIfBusy(linksDownloading);
    linksDownloading++;
    let page: FetchedPage;
    try {
      page = await fetchPage(link, { maxBytes: run.maxFileBytes, allowPrivate: run.allowPrivate, timeoutMs: run.timeoutMs, resolve: run.resolve });
    } finally {
      linksDownloading--; // its place passes to its page, which asks for its turn with no await between
    }
    return await addMarked({ bytes: page.bytes, contentType: page.contentType, pageUrl: withoutCredentials(page.url) }, run, own);
  } finally {
    unmark(own);
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
  if (upload.size !== undefined && upload.size > run.maxFileBytes) throw tooLarge(run.maxFileBytes, upload.size);
  let host: string;
  try {
    host = new URL(upload.url).hostname;
  } catch {
    throw new IntakeError('bad-link', 'the attachment has no valid address');
  }
  if (!run.attachmentHosts.includes(host)) throw new IntakeError('blocked-address', `not a Discord attachment: ${host} is not where Discord serves files`);
  // Redirects too stay on those hosts: the private-address check is off here.
  const page = await fetchPage(upload.url, { maxBytes: run.maxFileBytes, allowPrivate: true, onlyHosts: run.attachmentHosts, timeoutMs: run.timeoutMs, resolve: run.resolve });
  const own = markUpload(upload.name);
  try {
    return await addMarked({ bytes: page.bytes, fileName: upload.name }, run, own);
  } finally {
    unmark(own);
  }
}

/**
 * Checks, converts and writes one article from its bytes under its add's mark, then runs the caller's `load`.
 * Refused 'being-added' when another add holds the same article, and 'already-in-sources' when a file in the data
 * folder from another address (or none) has the same quoted text; a file from the same address is replaced.
 */
async function addMarked(input: IntakeInput, run: IntakeRun, own: BeingAdded): Promise<AddedArticle> {
  const now = run.now ?? new Date();
  const prepared = await prepareArticle(input, { maxFileBytes: run.maxFileBytes, addedBy: run.addedBy, addedAt: now });
  const { article } = prepared;
  markArticle(own, article);
  const { sameUrl, sameText } = await findInSources(run.dataDir, article, run.loaded(), run.maxFileBytes);
  if (sameText) throw new IntakeError('already-in-sources', `already in the sources: ${sameText} has the same text; remove it first to add this one instead`);
  const saved = await saveArticle(run, prepared, sameUrl, now, (file) => markFile(own, run.dataDir, file));
  // Read under the upload's name, saved under a free one (`-2`): an untitled text's title is the saved name's, as the reload reads it.
  const alreadyRead = renamedArticle(article, saved.file);
  const first = article.sentences[0];
  const added: AddedArticle = {
    file: saved.file,
    title: alreadyRead.title,
    url: article.url,
    outlet: article.outlet,
    published: article.published,
    sentences: article.sentences.length,
    firstSentence: article.text.slice(first.start, first.end),
    replaced: saved.replaced,
  };
  await run.load?.(added, alreadyRead);
  return added;
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
  /** `load` (the reload) runs before the add's mark ends: see `IntakeRun.load`. */
  addFromLink(link: string, addedBy: string, load?: IntakeRun['load']): Promise<AddedArticle>;
  addFromUpload(upload: Upload, addedBy: string, load?: IntakeRun['load']): Promise<AddedArticle>;
  remove(file: string): Promise<{ file: string; setAsideTo: string }>;
  /** Whether an add has saved `file` (relative to the data folder) and is loading it: from its save to its `load`'s end. */
  beingAdded(file: string): boolean;
  /** Whether any of `files` (loaded articles' files) is still in the data folder: the index may hold one set aside. */
  anyInFolder(files: readonly string[]): Promise<boolean>;
}

/**
 * @example const intake = createArticleIntake(readIntakeSettings(process.env, engineSettings), () => engine.articles())
 */
export function createArticleIntake(settings: IntakeSettings, loaded: () => readonly LoadedArticle[]): ArticleIntake {
  const intake: ArticleIntake = {
    settings,
    addFromLink: (link, addedBy, load) => addArticleFromLink(link, { ...intake.settings, addedBy, loaded, load }),
    addFromUpload: (upload, addedBy, load) => addArticleFromUpload(upload, { ...intake.settings, addedBy, loaded, load }),
    remove: (file) => removeArticle(file, intake.settings),
    beingAdded: (file) => isBeingAdded(intake.settings.dataDir, file),
    anyInFolder: async (files) => {
      for (const file of files) if ((await stat(path.join(intake.settings.dataDir, file)).catch(() => null))?.isFile()) return true;
      return false;
    },
  };
  return intake;
}
