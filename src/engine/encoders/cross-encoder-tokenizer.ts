/**
 * The cross-encoder's tokenisation, step for step the same as `training/ce_tokenizer.py` (the model only works on
 * the ids it was trained on; `cross-encoder-tokenizer.test.ts` checks both agree on the pairs in
 * `cross-encoder-tokenizer.fixture.json`, written by the Python export).
 *
 * 1. lowercase, Unicode NFD, combining marks dropped;
 * 2. tokens: runs of [a-z0-9], or any other single code point that is not whitespace;
 * 3. a vocabulary token has its row, any other goes to one of `buckets` hashed rows (FNV-1a 32-bit of its UTF-8);
 * 4. `[CLS] question [SEP] sentence`, the question at most `maxQuestion` tokens, `maxLength` tokens in all;
 * 5. a match type per token: whether it appears in the other segment, exactly or by a 4-character prefix.
 *
 * @example
 * const tokenizer = new CrossEncoderTokenizer(['the', 'obama', 'meet'], { buckets: 10, maxLength: 80, maxQuestion: 30, commonRank: 1 });
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

/** A text's tokens, looked up once (`CrossEncoderTokenizer.prepare`). */
export interface PreparedText {
  words: readonly string[];
  ids: Int32Array;
  /** 1 where the word counts as a common word when it matches (punctuation, or among the commonest words). */
  common: Uint8Array;
  /** The word's first 4 characters where prefix matching applies to it, else ''. */
  prefixes: string[];
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

export class CrossEncoderTokenizer {
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

  /**
   * A text split and looked up once (a sentence is scored with many questions): its words, token ids, and for each
   * word whether it counts as common when matched and its 4-character prefix ('' when prefixes do not apply).
   */
  prepare(text: string): PreparedText {
    return this.prepareWords(this.words(text));
  }

  prepareWords(words: readonly string[]): PreparedText {
    const ids = new Int32Array(words.length);
    const common = new Uint8Array(words.length);
    const prefixes = new Array<string>(words.length);
    words.forEach((w, i) => {
      const vocabRow = this.index.get(w);
      ids[i] = vocabRow ?? this.hashBase + (fnv1a(w) % this.settings.buckets);
      const word = WORD.test(w);
      common[i] = !word || (vocabRow ?? this.settings.commonRank) < this.settings.commonRank ? 1 : 0;
      prefixes[i] = word && w.length >= PREFIX_CHARS ? w.slice(0, PREFIX_CHARS) : '';
    });
    return { words, ids, common, prefixes };
  }

  /** `[CLS] question [SEP] sentence` from already split words (split the question once for many sentences). */
  encode(questionWords: readonly string[], sentenceWords: readonly string[]): EncodedPair {
    return this.encodePrepared(this.prepareWords(questionWords), this.prepareWords(sentenceWords));
  }

  /**
   * `[CLS] question [SEP] sentence` from prepared texts. A word matches when the same word stands in the other
   * segment as truncated (common or rare by its own rank), else by prefix when a word of the other segment shares
   * its 4-character prefix.
   */
  encodePrepared(question: PreparedText, sentence: PreparedText): EncodedPair {
    const q = Math.min(question.words.length, this.settings.maxQuestion);
    const s = Math.min(sentence.words.length, Math.max(0, this.settings.maxLength - 2 - q));
    const qWords = new Map<string, number[]>();
    const qPrefixes = new Map<string, number[]>();
    const add = (map: Map<string, number[]>, key: string, i: number) => (map.get(key) ?? map.set(key, []).get(key)!).push(i);
    for (let i = 0; i < q; i++) {
      add(qWords, question.words[i], i);
      if (question.prefixes[i]) add(qPrefixes, question.prefixes[i], i);
    }
    const qMatch = new Array<number>(q).fill(Match.None);
    const sMatch = new Array<number>(s);
    for (let j = 0; j < s; j++) {
      const w = sentence.words[j];
      const prefix = sentence.prefixes[j];
      const same = qWords.get(w);
      if (same) for (const i of same) qMatch[i] = question.common[i] ? Match.Common : Match.Exact;
      if (prefix) for (const i of qPrefixes.get(prefix) ?? []) if (qMatch[i] === Match.None) qMatch[i] = Match.Prefix;
      sMatch[j] = same ? (sentence.common[j] ? Match.Common : Match.Exact) : prefix && qPrefixes.has(prefix) ? Match.Prefix : Match.None;
    }
    const ids = [this.clsId, ...question.ids.subarray(0, q), this.sepId, ...sentence.ids.subarray(0, s)];
    return {
      inputIds: ids,
      segmentIds: [...new Array<number>(q + 2).fill(0), ...new Array<number>(s).fill(1)],
      matchIds: [Match.Special, ...qMatch, Match.Special, ...sMatch],
    };
  }
}
