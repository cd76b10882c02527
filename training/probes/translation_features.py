"""Adds translation, translationOther columns to a dump copy. usage: translation_features.py DUMP OUT TABLES (a dump made with QUOTEBOT_TEXTS=1; TABLES: all.npz, fold0..8.npz)"""
import json, os, sys, numpy as np, scipy.sparse as sp, time
sys.path.insert(0, os.path.dirname(__file__)); from translation_table import words
DUMP, OUT, TABLES = sys.argv[1], sys.argv[2], sys.argv[3]
EPS = 1e-4
def load(f):
    d = np.load(f); qv = {w: i for i, w in enumerate(d['qwords'])}; sv = {w: i for i, w in enumerate(d['swords'])}
    T = sp.csc_matrix((d['t'], (d['s'], d['q'])), shape=(len(sv), len(qv)))
    return qv, sv, T
tables = {'all': load(os.path.join(TABLES, 'all.npz'))}
for k in range(9): tables[k] = load(os.path.join(TABLES, f'fold{k}.npz'))
meta = [json.loads(l) for l in open(os.path.join(DUMP, 'groups.jsonl')) if l.strip()]
info = json.load(open(os.path.join(DUMP, 'features.json')))
F = info['count']
X = np.fromfile(os.path.join(DUMP, 'features.f32'), dtype=np.float32).reshape(-1, F)
titles = sorted({m['id'].split('#')[0] for m in meta if m['set'].startswith('squad-train')})
tidx = {t: i for i, t in enumerate(titles)}
new = np.zeros((len(X), 2), np.float32)
row = 0; t0 = time.time()
with open(os.path.join(DUMP, 'texts.jsonl')) as tf:
    for gi, m in enumerate(meta):
        rec = json.loads(tf.readline())
        n = m['n']; assert len(rec['s']) == n, (gi, n, len(rec['s']))
        if n == 0: continue
        key = tidx[m['id'].split('#')[0]] % 9 if m['set'].startswith('squad-train') else 'all'
        qv, sv, T = tables[key]
        Q = [w for w in words(rec['q'], stop=True) if w in qv]
        if not Q:
            new[row:row + n] = np.log(EPS); row += n; continue
        qcols = [qv[w] for w in Q]
        rows, cols, vals = [], [], []
        for i, s in enumerate(rec['s']):
            ws = words(s); L = max(len(ws), 1)
            for w in ws:
                if w in sv: rows.append(i); cols.append(sv[w]); vals.append(1.0 / L)
        B = sp.csr_matrix((vals, (rows, cols)), shape=(n, len(sv)))
        Tq = T[:, qcols]
        pall = np.asarray((B @ Tq).todense())
        # identity part: B[:, sv[q]] * t(q|q)
        ident = np.zeros_like(pall)
        for j, w in enumerate(Q):
            if w in sv:
                ident[:, j] = np.asarray(B[:, sv[w]].todense()).ravel() * Tq[sv[w], j]
        pother = np.maximum(pall - ident, 0)
        new[row:row + n, 0] = np.log(EPS + pall).mean(1)
        new[row:row + n, 1] = np.log(EPS + pother).mean(1)
        row += n
        if gi % 10000 == 0: print(gi, f'{time.time()-t0:.0f}s', file=sys.stderr)
assert row == len(X)
os.makedirs(OUT, exist_ok=True)
np.concatenate([X, new], 1).astype(np.float32).tofile(os.path.join(OUT, 'features.f32'))
info2 = dict(info, names=info['names'] + ['translation', 'translationOther'], count=F + 2)
json.dump(info2, open(os.path.join(OUT, 'features.json'), 'w'))
for f in os.listdir(DUMP):
    if f not in ('features.f32', 'features.json') and not os.path.exists(os.path.join(OUT, f)):
        os.symlink(os.path.join(DUMP, f), os.path.join(OUT, f))
print('done', f'{time.time()-t0:.0f}s', file=sys.stderr)
