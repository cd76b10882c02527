/**
 * The engine's own reader (`parseArticle`) on exactly the text the intake will write, its refusal as the intake's:
 * an article must have at least one servable sentence before anything is saved.
 */
import { ArticleError, parseArticle, type Article } from '../engine/corpus/articles';
import { IntakeError } from './errors';

/** @example readArticleText('article.md', new TextEncoder().encode('# Bridge\n\nThe council voted on Thursday.\n')).title // 'Bridge' */
export function readArticleText(file: string, bytes: Uint8Array): Article {
  try {
    return parseArticle(file, bytes);
  } catch (err) {
    if (err instanceof ArticleError) throw new IntakeError('not-an-article', `not an article: ${err.message}`);
    throw err;
  }
}
