/**
 * The answer engine's public API. Front ends (the Discord bot, the terminal) import from here and from `types`.
 */
export { openEngine, EngineStartError, MAX_QUESTION_LENGTH, MAX_TOP, SNAPSHOT_EXIT_WAIT_MS } from './engine';
export { QuestionError } from './types';
export type * from './types';
