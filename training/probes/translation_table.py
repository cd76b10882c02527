"""IBM Model 1, t(q word | sentence word), fitted on SQuAD train (question, answer sentence) pairs with EM.
usage: translation_table.py OUT.npz [--fold K --folds N]  (fold: leave out articles with sorted index % N == K)"""
import gzip, json, re, sys, time
import numpy as np
STOP = set("""a an the of to in on at by for with from and or but is are was were be been being do does did has have had
what which who whom whose when where why how that this these those it its as into than then there their they he she his her
him them we you i me my our your not no yes can could would should will shall may might must about after before during over
under between up down out off so if while also just more most many much some any each other such only own same too very s
one two""".split())
TOK = re.compile(r"[a-z0-9]+")
def words(t, stop=False):
    w = TOK.findall(t.lower().replace("’", "'").replace("'", ""))
    return [x for x in w if not (stop and x in STOP)]

def pairs(exclude=None, folds=9):
    rows = [json.loads(l) for l in gzip.open('../shared/train/squad-train.jsonl.gz', 'rt')]
    titles = sorted({r['title'] for r in rows})
    idx = {t: i for i, t in enumerate(titles)}
    out = []
    for r in rows:
        if exclude is not None and idx[r['title']] % folds == exclude: continue
        for qa in r['qas']:
            q = words(qa['question'], stop=True); s = words(qa['sentence'])
            if q and s: out.append((q, s))
    return out

def fit(pp, iters=6, min_count=2):
    from collections import Counter
    cq = Counter(w for q, _ in pp for w in q); cs = Counter(w for _, s in pp for w in s)
    qv = {w: i for i, w in enumerate(w for w, c in cq.items() if c >= min_count)}
    sv = {w: i for i, w in enumerate([w for w, c in cs.items() if c >= min_count])}
    NULL = len(sv); sv['<null>'] = NULL
    # flat co-occurrence list: for each (pair, q token) the s tokens (+ null)
    qi, si, tok = [], [], []
    t_id = 0
    for q, s in pp:
        sids = sorted({sv[w] for w in s if w in sv}) + [NULL]
        for w in q:
            if w not in qv: continue
            qi.extend([qv[w]] * len(sids)); si.extend(sids); tok.extend([t_id] * len(sids)); t_id += 1
    qi = np.array(qi, np.int64); si = np.array(si, np.int64); tok = np.array(tok, np.int64)
    key = qi * len(sv) + si
    ukey, inv = np.unique(key, return_inverse=True)
    uq = ukey // len(sv); us = ukey % len(sv)
    t = np.ones(len(ukey))  # uniform start (normalised per s word below)
    def norm(t):
        tot = np.bincount(us, weights=t, minlength=len(sv)); return t / tot[us]
    t = norm(t)
    for it in range(iters):
        p = t[inv]
        z = np.bincount(tok, weights=p, minlength=t_id)
        post = p / z[tok]
        c = np.bincount(inv, weights=post, minlength=len(ukey))
        t = norm(c)
        print(f"iter {it}: {len(ukey)} pairs", file=sys.stderr)
    return qv, sv, uq, us, t

if __name__ == '__main__':
    out = sys.argv[1]; ex = int(sys.argv[sys.argv.index('--fold') + 1]) if '--fold' in sys.argv else None
    folds = int(sys.argv[sys.argv.index('--folds') + 1]) if '--folds' in sys.argv else 9
    t0 = time.time(); pp = pairs(ex, folds); print(len(pp), 'pairs', file=sys.stderr)
    qv, sv, uq, us, t = fit(pp)
    keep = t > 1e-3
    np.savez_compressed(out, qwords=np.array(list(qv)), swords=np.array(list(sv)), q=uq[keep], s=us[keep], t=t[keep].astype(np.float32))
    print(f"{keep.sum()} kept of {len(t)}; {time.time()-t0:.0f} s", file=sys.stderr)
