"""Paraphrased questions for the cross-encoder (train_cross_encoder.py --paraphrase P, off by default; a probe).

The match embedding marks question words that appear in the sentence exactly or by a 4-letter prefix, so the network
can rank by shared words alone. Here a share P of the questions (a seeded draw) has each content word it shares with
its answer sentence replaced, with chance WORD_RATE, by its nearest GloVe neighbour that is another word (no common
4-letter prefix, neither a prefix of the other, as words or light stems), in the model's vocabulary, at cosine >= FLOOR, and that matches no
word of the answer sentence either; a word without such a neighbour is dropped. Names (words capitalised after the
question's first word) are kept: swapping "Sichuan" for its neighbour "Yunnan" would teach that another place answers. So the pair keeps its answer but
loses some of its marks, and the network must match those words by meaning. GloVe neighbours are not always
synonyms (antonyms, co-hyponyms: "north" -> "south"): the rewritten question is a noisy paraphrase.

Deterministic: one random.Random(seed), draws in the examples' order, ties in similarity broken by vocabulary rank.

    >>> nb = Neighbours(["city", "town", "village", "cities"], [[1, 0], [0.9, 0.3], [0.8, 0.5], [1, 0.01]])
    >>> nb.nearest("city", ["the", "old", "village"])
    'town'
    >>> paraphrase_question(["which", "city", "?"], ["a", "city", "."], AlwaysRandom(), nb)
    ['which', 'town', '?']
"""
import random

import numpy as np

from ce_data import STOP
from ce_tokenizer import PREFIX_CHARS, WORD_RE, match_prefixes, prefix_matches

WORD_RATE = 0.5  # chance that each shared content word of a chosen question is changed
FLOOR = 0.6  # least cosine similarity of a replacement (the nearest other words mostly lie at 0.7-0.9)
SEARCHED = 30  # nearest vocabulary words looked at for a replacement


def is_content(w: str) -> bool:
    return bool(WORD_RE.match(w)) and not w.isdigit() and w not in STOP


SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", ""), ("er", ""), ("est", ""))


def stem(w: str) -> str:
    """A light stem (one English suffix off, leaving at least 3 letters): "cities" -> "city", "running" -> "runn"."""
    for suffix, repl in SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: len(w) - len(suffix)] + repl
    return w


def related(a: str, b: str) -> bool:
    """The same word or stem: equal, one a prefix of the other, or a common prefix of PREFIX_CHARS letters (the
    match embedding's rule), as words or as stems."""
    for x, y in ((a, b), (stem(a), stem(b))):
        if x.startswith(y) or y.startswith(x):
            return True
        if len(x) >= PREFIX_CHARS and len(y) >= PREFIX_CHARS and x[:PREFIX_CHARS] == y[:PREFIX_CHARS]:
            return True
    return False


def marked(w: str, sentence: list[str]) -> bool:
    """Whether the tokenizer marks `w` as matching the sentence (exactly or by prefix: ce_tokenizer._match's rule)."""
    return w in sentence or prefix_matches(w, match_prefixes(sentence))


def shared_content(question: list[str], sentence: list[str]) -> int:
    """How many distinct content words of the question share a word or stem with a content word of the sentence
    (the same word, or `related` when both have 3 letters or more): the overlap that defines ce_diagnostics.py's
    low-overlap slice. The floor keeps letter fragments ("China's", "U.S.", "re-opened") from counting as shared
    with every word that starts with them."""
    others = {s for s in sentence if is_content(s)}
    return sum(any(w == s or (min(len(w), len(s)) >= 3 and related(w, s)) for s in others) for w in {w for w in question if is_content(w)})


class Neighbours:
    """Cosine nearest neighbours among the vocabulary's content words (vocab and vectors in the same order)."""

    def __init__(self, vocab: list[str], vectors):
        self.vocab = vocab
        self.index = {w: i for i, w in enumerate(vocab)}
        m = np.asarray(vectors, dtype=np.float32)
        self.unit = m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)
        self.allowed = np.array([is_content(w) for w in vocab])
        self.cache: dict[str, list[str]] = {}

    def candidates(self, w: str) -> list[str]:
        """Up to SEARCHED words at cosine >= FLOOR, nearest first, none related to `w`."""
        if w not in self.cache:
            i = self.index.get(w)
            out: list[str] = []
            if i is not None:
                sims = self.unit @ self.unit[i]
                sims[~self.allowed] = -2.0
                k = min(SEARCHED + 1, len(sims))
                top = np.argpartition(-sims, k - 1)[:k]
                for j in sorted(top.tolist(), key=lambda j: (-float(sims[j]), j)):
                    if sims[j] >= FLOOR and not related(self.vocab[j], w):
                        out.append(self.vocab[j])
            self.cache[w] = out
        return self.cache[w]

    def nearest(self, w: str, sentence: list[str]) -> str | None:
        """The nearest candidate the tokenizer would not mark as matching `sentence`, or None."""
        return next((c for c in self.candidates(w) if not marked(c, sentence)), None)


class AlwaysRandom(random.Random):
    """A Random whose draws are all 0 (every coin says "change"), for examples and tests."""

    def random(self) -> float:
        return 0.0


def names(question: str, words_of) -> set[str]:
    """The words of the question's capitalised tokens after its first (a light test for names)."""
    return {w for token in question.split()[1:] if token[:1].isupper() for w in words_of(token)}


def paraphrase_question(question: list[str], sentence: list[str], rng: random.Random, nb: Neighbours, keep=frozenset()) -> list[str]:
    """`question` (words) with some of the content words it shares with `sentence` (not those in `keep`) replaced
    or dropped; the question itself when nothing changed or when no content word would be left."""
    out = []
    for w in question:
        if is_content(w) and w not in keep and marked(w, sentence) and rng.random() < WORD_RATE:
            swap = nb.nearest(w, sentence)
            if swap is not None:
                out.append(swap)
            continue  # no neighbour: dropped
        out.append(w)
    return out if any(is_content(w) for w in out) else question


def paraphrase_examples(examples: list, words_of, share: float, nb: Neighbours, seed: int) -> tuple[list, int]:
    """`examples` [(question, positive, negatives)] with a seeded share of the questions paraphrased (as their
    words joined by spaces, which `words` splits back into the same words); and how many changed. The draws
    depend only on the questions and positives, so lists with other negatives get the same questions."""
    if share <= 0:
        return examples, 0
    rng = random.Random(seed)
    out, changed = [], 0
    for question, positive, negatives in examples:
        if rng.random() < share:
            qw = words_of(question)
            new = paraphrase_question(qw, words_of(positive), rng, nb, names(question, words_of))
            if new != qw:
                question = " ".join(new)
                changed += 1
        out.append((question, positive, negatives))
    return out, changed
