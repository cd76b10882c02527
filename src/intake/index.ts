/**
 * Article intake: what `/article add` and `/article remove` do, knowing nothing about Discord.
 * Steps, each with one entry point: `fetchPage` (safe fetching) → `prepareArticle` (checks, `extractArticle` for
 * HTML in a worker thread, the engine's reader) → `findInSources` (one copy of an article; adds in flight marked in
 * being-added.ts) → `saveArticle` / `removeArticleFile` (atomic writes, nothing deleted).
 */
export {
  addArticleFromLink,
  addArticleFromUpload,
  createArticleIntake,
  removeArticle,
  type AddedArticle,
  type ArticleIntake,
  type IntakeRun,
  type Upload,
} from './intake';
export { IntakeError, type IntakeErrorKind } from './errors';
export { readIntakeSettings, type IntakeSettings } from './settings';
export { type LoadedArticle } from './sources';
export { defaultRemovedDir } from './store';
