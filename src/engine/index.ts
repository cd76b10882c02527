/**
 * The answer engine's public API. Front ends (the Discord bot, the terminal) import from here and from `types`.
 */
export { openEngine, EngineStartError, MAX_TOP, NO_ARTICLES, SNAPSHOT_EXIT_WAIT_MS } from './engine';
export { MAX_QUESTION_LENGTH, QuestionError, questionRefusal } from './types';
export type * from './types';
