"""Training examples for the cross-encoder from SQuAD train: for each question its answer sentence and up to 7
negatives — other sentences of the same paragraph first, then the article's best BM25 sentences, then random ones."""
import gzip
import json
import math
import random
import re
from collections import Counter, defaultdict

from ce_tokenizer import words
from ce_types import holds_kind, question_kind, question_words

SPLIT_RE = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
STOP = set(
    "a an the of to in on at by for with from and or but is are was were be been being it its this that these those "
    "as what which who whom whose when where why how did do does done has have had not no he she they his her their "
    "there than then so such can could would should will may might".split()
)


def split_paragraph(context: str) -> list[str]:
    return [s.strip() for s in SPLIT_RE.split(context) if s.strip()]


def bm25_terms(text: str) -> list[str]:
    return [w for w in words(text) if w.isalnum() and w not in STOP]


class ArticleBm25:
    def __init__(self, docs: list[list[str]], k1=1.2, b=0.75):
        self.k1, self.b = k1, b
        self.tfs = [Counter(d) for d in docs]
        self.lens = [len(d) for d in docs]
        self.avg = sum(self.lens) / max(1, len(docs))
        df = Counter(t for d in docs for t in set(d))
        n = len(docs)
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self.post = defaultdict(list)
        for i, tf in enumerate(self.tfs):
            for t in tf:
                self.post[t].append(i)

    def top(self, query: list[str], k: int) -> list[int]:
        scores = defaultdict(float)
        for t in sorted(set(query)):  # a fixed order: float sums must not depend on PYTHONHASHSEED
            idf = self.idf.get(t)
            if idf is None:
                continue
            for i in self.post[t]:
                tf = self.tfs[i][t]
                scores[i] += idf * tf * (self.k1 + 1) / (tf + self.k1 * (1 - self.b + self.b * self.lens[i] / self.avg))
        return [i for i, _ in sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:k]]


def read_articles(path: str) -> dict[str, list[dict]]:
    articles: dict[str, list[dict]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            articles[row["title"]].append(row)
    return articles


def build_examples(articles: dict[str, list[dict]], negatives: int, seed: int, typed: int = 0):
    """[(question, positive, [negatives])] in article order; sentences are strings. `typed` > 0: for a question whose
    wording asks for a clear kind (ce_types.py) and whose answer sentence holds one, up to `typed` of the last negatives
    are swapped for the article's best BM25 sentences that hold NO span of that kind (they share the question's words
    but cannot answer it). Same questions, same order and the same random draws as with 0."""
    rng = random.Random(seed)
    out = []
    for title in sorted(articles):
        paragraphs = articles[title]
        sents, para_of = [], []
        para_sents = []
        for p, row in enumerate(paragraphs):
            ss = split_paragraph(row["context"])
            para_sents.append(ss)
            for s in ss:
                sents.append(s)
                para_of.append(p)
        index = ArticleBm25([bm25_terms(s) for s in sents])
        for p, row in enumerate(paragraphs):
            for qa in row["qas"]:
                gold = qa["sentence"].strip()
                if not gold:
                    continue
                answers = [a for a in qa.get("answers", []) if a]

                def is_negative(s: str) -> bool:
                    # Not the gold sentence, not a piece of it, and not holding the answer itself.
                    if s in gold or gold in s or (len(s) > 20 and s[:40] in gold):
                        return False
                    return not any(a in s for a in answers)

                negs: list[str] = []
                same = [s for s in para_sents[p] if is_negative(s)]
                rng.shuffle(same)
                negs += same[:3]
                for i in index.top(bm25_terms(qa["question"]), 12):
                    if len(negs) >= negatives:
                        break
                    if sents[i] not in negs and is_negative(sents[i]):
                        negs.append(sents[i])
                tries = 0
                while len(negs) < negatives and tries < 50:
                    tries += 1
                    s = sents[rng.randrange(len(sents))]
                    if s not in negs and is_negative(s):
                        negs.append(s)
                if len(negs) == negatives and typed:
                    negs = typed_negatives(qa["question"], gold, negs, [sents[i] for i in index.top(bm25_terms(qa["question"]), 30)], is_negative, typed)
                if len(negs) == negatives:
                    out.append((qa["question"], gold, negs))
    return out


def typed_negatives(question: str, gold: str, negs: list[str], best: list[str], is_negative, typed: int) -> list[str]:
    """`negs` with up to `typed` of its last entries replaced by sentences of `best` (BM25 order) without a span of
    the question's kind; unchanged when the kind is unclear or the answer sentence holds none either."""
    kind = question_kind(question)
    if kind is None:
        return negs
    qwords = question_words(question)
    if not holds_kind(gold, kind, qwords):
        return negs
    picked = [s for s in best if s not in negs and is_negative(s) and not holds_kind(s, kind, qwords)][:typed]
    return negs[: len(negs) - len(picked)] + picked if picked else negs


def build_off_corpus(articles: dict[str, list[dict]], ask: set[str], size: int, pool: int, seed: int, kind: str = "other"):
    """[(question, [sentences])] for `pool` questions drawn (seeded) from the articles titled in `ask`: each with the `size` best BM25
    sentences over every sentence of the OTHER articles (so they share its names) that hold none of its answers, for
    groups whose target is "no answer here". BM25 over the whole set as one sparse matrix (scipy), ties by index.
    `kind` "own": the best sentences of its OWN article outside its paragraph instead (the names are there, what the
    question says of them mostly not: the news case); "both": the two kinds alternately."""
    import numpy as np
    from scipy.sparse import csr_matrix

    sents, owner, paragraph, terms = [], [], [], []
    qas = []
    for a, title in enumerate(sorted(articles)):
        for row in articles[title]:
            pid = id(row)
            for s in split_paragraph(row["context"]):
                sents.append(s)
                owner.append(a)
                paragraph.append(pid)
                terms.append(bm25_terms(s))
            for qa in row["qas"]:
                if title in ask and qa["sentence"].strip():
                    qas.append((a, pid, qa["question"], [x for x in qa.get("answers", []) if x]))
    chosen = sorted(random.Random(seed).sample(range(len(qas)), min(pool, len(qas))))
    vocab: dict[str, int] = {}
    for ts in terms:
        for t in ts:
            vocab.setdefault(t, len(vocab))
    k1, b = 1.2, 0.75
    lens = np.array([len(ts) for ts in terms], dtype=np.float64)
    avg = lens.mean()
    rows, cols, tfs = [], [], []
    for i, ts in enumerate(terms):
        for t, c in sorted(Counter(ts).items()):
            rows.append(i)
            cols.append(vocab[t])
            tfs.append(c)
    rows, cols, tf = np.array(rows), np.array(cols), np.array(tfs, dtype=np.float64)
    df = np.bincount(cols, minlength=len(vocab))
    idf = np.log(1 + (len(sents) - df + 0.5) / (df + 0.5))
    weight = idf[cols] * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lens[rows] / avg))
    matrix = csr_matrix((weight, (rows, cols)), shape=(len(sents), len(vocab))).T.tocsr()  # term x sentence
    owner, paragraph = np.array(owner), np.array(paragraph)
    out = []
    for k, n in enumerate(chosen):
        a, pid, question, answers = qas[n]
        ids = sorted({vocab[t] for t in bm25_terms(question) if t in vocab})
        if not ids:
            continue
        scores = np.asarray(matrix[ids].sum(axis=0)).ravel()
        if kind == "own" or (kind == "both" and k % 2 == 1):
            scores[(owner != a) | (paragraph == pid)] = 0.0
        else:
            scores[owner == a] = 0.0
        picked: list[str] = []
        for i in np.argsort(-scores, kind="stable")[: 4 * size]:
            if scores[i] <= 0 or len(picked) == size:
                break
            s = sents[i]
            if s not in picked and not any(x in s for x in answers):
                picked.append(s)
        if len(picked) == size:
            out.append((question, picked))
    return out
