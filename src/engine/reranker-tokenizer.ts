/**
 * The cross-encoder's tokenisation, step for step the same as `training/ce_tokenizer.py` (the model only works on
 * the ids it was trained on; `reranker-tokenizer.test.ts` checks both agree on the pairs in
 * `reranker-tokenizer.fixture.json`, written by the Python export).
 *
 * 1. lowercase, Unicode NFD, combining marks dropped;
 * 2. tokens: runs of [a-z0-9], or any other single code point that is not whitespace;
 * 3. a vocabulary token has its row, any other goes to one of `buckets` hashed rows (FNV-1a 32-bit of its UTF-8);
 * 4. `[CLS] question [SEP] sentence`, the question at most `maxQuestion` tokens, `maxLength` tokens in all;
 * 5. a match type per token: whether it appears in the other segment, exactly or by a 4-character prefix.
 *
 * @example
 * const tokenizer = new RerankerTokenizer(['the', 'obama', 'meet'], { buckets: 10, maxLength: 80, maxQuestion: 30, commonRank: 1 });
 * tokenizer.words('Obama’s café?'); // ['obama', '’', 's', 'cafe', '?']
 * tokenizer.encode(['obama', 'meeting'], ['the', 'obama', 'meet']).matchIds; // [0, 2, 3, 0, 1, 2, 3]
 */

/** Whitespace separating tokens: the same character class as `WHITESPACE` in ce_tokenizer.py (ranges included). */
export const WHITESPACE = ' \t\n\r\f\v\u0085\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff\u001c-\u001f';
const TOKEN = new RegExp(`[a-z0-9]+|[^a-z0-9${WHITESPACE}]`, 'gu');
const WORD = /^[a-z0-9]+$/;
const COMBINING_MARK = /\p{Mn}/gu;
const PREFIX_CHARS = 4;

/** Match types (the rows of the model's match embedding). */
export enum Match {
  Special = 0,
  None = 1,
  /** The same rare word is in the other segment. */
  Exact = 2,
  /** A word sharing its first 4 characters is in the other segment. */
  Prefix = 3,
  /** The same common word (or punctuation) is in the other segment. */
  Common = 4,
}

export interface TokenizerSettings {
  buckets: number;
  maxLength: number;
  maxQuestion: number;
  /** Vocabulary words ranked below this (the commonest) count as common words when matched. */
  commonRank: number;
}

export interface EncodedPair {
  inputIds: number[];
  segmentIds: number[];
  matchIds: number[];
}

const utf8 = new TextEncoder();

/** FNV-1a, 32 bits, over the UTF-8 bytes of a token. */
export function fnv1a(token: string): number {
  let h = 0x811c9dc5;
  for (const byte of utf8.encode(token)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export class RerankerTokenizer {
  readonly padId: number;
  readonly clsId: number;
  readonly sepId: number;
  private readonly hashBase: number;
  private readonly index = new Map<string, number>();

  constructor(
    vocab: readonly string[],
    private readonly settings: TokenizerSettings,
  ) {
    vocab.forEach((w, i) => this.index.set(w, i));
    this.padId = vocab.length;
    this.clsId = vocab.length + 1;
    this.sepId = vocab.length + 2;
    this.hashBase = vocab.length + 3;
  }

  /** Splits a text into the model's tokens (strings). */
  words(text: string): string[] {
    const normalised = text.toLowerCase().normalize('NFD').replace(COMBINING_MARK, '');
    return normalised.match(TOKEN) ?? [];
  }

  tokenId(word: string): number {
    return this.index.get(word) ?? this.hashBase + (fnv1a(word) % this.settings.buckets);
  }

  private match(own: readonly string[], other: readonly string[]): number[] {
    const otherSet = new Set(other);
    const prefixes = new Set<string>();
    for (const w of other) if (w.length >= PREFIX_CHARS && WORD.test(w)) prefixes.add(w.slice(0, PREFIX_CHARS));
    return own.map((w) => {
      if (otherSet.has(w)) {
        const common = !WORD.test(w) || (this.index.get(w) ?? this.settings.commonRank) < this.settings.commonRank;
        return common ? Match.Common : Match.Exact;
      }
      if (w.length >= PREFIX_CHARS && WORD.test(w) && prefixes.has(w.slice(0, PREFIX_CHARS))) return Match.Prefix;
      return Match.None;
    });
  }

  /** `[CLS] question [SEP] sentence` from already split words (split the question once for many sentences). */
  encode(questionWords: readonly string[], sentenceWords: readonly string[]): EncodedPair {
    const q = questionWords.slice(0, this.settings.maxQuestion);
    const s = sentenceWords.slice(0, Math.max(0, this.settings.maxLength - 2 - q.length));
    return {
      inputIds: [this.clsId, ...q.map((w) => this.tokenId(w)), this.sepId, ...s.map((w) => this.tokenId(w))],
      segmentIds: [...new Array<number>(q.length + 2).fill(0), ...new Array<number>(s.length).fill(1)],
      matchIds: [Match.Special, ...this.match(q, s), Match.Special, ...this.match(s, q)],
    };
  }
}
