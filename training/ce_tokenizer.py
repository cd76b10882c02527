"""Tokenisation of the cross-encoder, shared by training and export.

src/engine/encoders/cross-encoder-tokenizer.ts implements exactly the same steps in TypeScript (checked against
src/engine/encoders/cross-encoder-tokenizer.fixture.json, written by export_cross_encoder.py):

1. lowercase, Unicode NFD, drop combining marks (category Mn);
2. tokens: runs of [a-z0-9], or any other single code point that is not whitespace (WHITESPACE below);
3. a token in the vocabulary (vocab.txt: the commonest GloVe words, frequency order) has its row; any other token
   goes to one of `buckets` hashed rows: FNV-1a 32-bit of its UTF-8 bytes, modulo buckets;
4. `[CLS] question [SEP] sentence`: the question keeps at most `max_question` tokens, the sentence fills up to
   `max_length` in all;
5. a match type per token: 0 special, 1 no match, 2 exact match of a rare word in the other segment, 3 prefix match
   (common prefix of at least 4 characters), 4 exact match of a common word (vocabulary rank < `common_rank`) or of
   punctuation.
"""
import re
import unicodedata

WHITESPACE = " \t\n\r\f\v\u0085\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff\u001c-\u001f"
TOKEN_RE = re.compile("[a-z0-9]+|[^a-z0-9" + WHITESPACE + "]")
WORD_RE = re.compile(r"^[a-z0-9]+$")

MATCH_SPECIAL, MATCH_NONE, MATCH_EXACT, MATCH_PREFIX, MATCH_COMMON = 0, 1, 2, 3, 4
PREFIX_CHARS = 4


def match_prefixes(other: list[str]) -> set[str]:
    """The PREFIX_CHARS-letter prefixes of `other`'s words, which mark a word of the other side as a prefix match."""
    return {w[:PREFIX_CHARS] for w in other if len(w) >= PREFIX_CHARS and WORD_RE.match(w)}


def prefix_matches(w: str, prefixes: set[str]) -> bool:
    """Whether the match embedding marks `w` as a prefix match against words with these `match_prefixes`."""
    return len(w) >= PREFIX_CHARS and bool(WORD_RE.match(w)) and w[:PREFIX_CHARS] in prefixes


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def words(text: str) -> list[str]:
    return TOKEN_RE.findall(normalize(text))


def fnv1a(token: str) -> int:
    h = 0x811C9DC5
    for b in token.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


class CrossEncoderTokenizer:
    def __init__(self, vocab: list[str], buckets: int, max_length: int = 80, max_question: int = 30, common_rank: int = 150):
        self.vocab = vocab
        self.index = {w: i for i, w in enumerate(vocab)}
        self.buckets = buckets
        self.max_length = max_length
        self.max_question = max_question
        self.common_rank = common_rank
        v = len(vocab)
        self.pad_id, self.cls_id, self.sep_id = v, v + 1, v + 2
        self.hash_base = v + 3
        self.rows = v + 3 + buckets

    def token_id(self, w: str) -> int:
        i = self.index.get(w)
        return i if i is not None else self.hash_base + fnv1a(w) % self.buckets

    def _match(self, own: list[str], other: list[str]) -> list[int]:
        other_set = set(other)
        prefixes = match_prefixes(other)
        out = []
        for w in own:
            if w in other_set:
                common = not WORD_RE.match(w) or self.index.get(w, self.common_rank) < self.common_rank
                out.append(MATCH_COMMON if common else MATCH_EXACT)
            elif prefix_matches(w, prefixes):
                out.append(MATCH_PREFIX)
            else:
                out.append(MATCH_NONE)
        return out

    def encode_words(self, q: list[str], s: list[str]):
        """(input_ids, segment_ids, match_ids) for already split question and sentence words."""
        q = q[: self.max_question]
        s = s[: self.max_length - 2 - len(q)]
        ids = [self.cls_id] + [self.token_id(w) for w in q] + [self.sep_id] + [self.token_id(w) for w in s]
        seg = [0] * (len(q) + 2) + [1] * len(s)
        match = [MATCH_SPECIAL] + self._match(q, s) + [MATCH_SPECIAL] + self._match(s, q)
        return ids, seg, match

    def encode(self, question: str, sentence: str):
        return self.encode_words(words(question), words(sentence))


def read_glove_vocab(wink_json: str, size: int):
    """The `size` commonest GloVe tokens our splitter can produce, with their 100-d vectors (frequency order)."""
    import json

    with open(wink_json, encoding="utf-8") as f:
        data = json.load(f)
    dim = data["dimensions"]
    vocab, vectors = [], []
    seen = set()
    for w in data["words"]:
        if len(vocab) >= size:
            break
        if w in seen or not (WORD_RE.match(w) or (len(w) == 1 and TOKEN_RE.fullmatch(w))):
            continue
        if normalize(w) != w:
            continue
        seen.add(w)
        vocab.append(w)
        vectors.append(data["vectors"][w][:dim])
    return vocab, vectors
