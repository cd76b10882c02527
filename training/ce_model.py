"""The cross-encoder: 2 pre-LN transformer layers (train_cross_encoder.py `--layers`) over `[CLS] question [SEP] sentence`, scored from [CLS].

Token rows: frozen GloVe vectors for the vocabulary, trainable rows for [PAD] [CLS] [SEP] and the hash buckets,
projected from 100 to `hidden`; plus learnt position, segment and match-type embeddings. Attention is written out
(no fused kernels) so the ONNX export is plain MatMul/Softmax."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def glove_rows(path: str, size: int):
    """The vocabulary and its GloVe rows scaled to unit standard deviation: the model's frozen token table."""
    from ce_tokenizer import read_glove_vocab

    vocab, vectors = read_glove_vocab(path, size)
    glove = torch.tensor(vectors, dtype=torch.float32)
    return vocab, glove / glove.std()


class Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, ffn: int, dropout: float):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(hidden)
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.out = nn.Linear(hidden, hidden)
        self.ln2 = nn.LayerNorm(hidden)
        self.ff1 = nn.Linear(hidden, ffn)
        self.ff2 = nn.Linear(ffn, hidden)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, bias: torch.Tensor, cls_only: bool = False) -> torch.Tensor:
        """`cls_only`: the output of the first position alone (its query against every key), for the last layer,
        whose other positions nothing reads: the same [CLS] vector for a third of the layer's work."""
        b, n, h = x.shape
        d = h // self.heads
        q, k, v = self.qkv(self.ln1(x)).view(b, n, 3, self.heads, d).permute(2, 0, 3, 1, 4)
        if cls_only:
            q, x = q[:, :, :1], x[:, :1]
        att = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(d)) + bias
        ctx = torch.matmul(self.drop(torch.softmax(att, dim=-1)), v).transpose(1, 2).reshape(b, x.shape[1], h)
        x = x + self.drop(self.out(ctx))
        return x + self.drop(self.ff2(self.drop(F.gelu(self.ff1(self.ln2(x))))))


class CrossEncoder(nn.Module):
    def __init__(self, glove: torch.Tensor, trainable_rows: int, hidden=128, heads=4, layers=2, ffn=256, max_length=80, match_types=5, dropout=0.1):
        super().__init__()
        self.vocab = glove.shape[0]
        self.glove = nn.Embedding.from_pretrained(glove, freeze=True)
        self.extra = nn.Embedding(trainable_rows, glove.shape[1])
        nn.init.normal_(self.extra.weight, std=float(glove.std()))
        self.proj = nn.Linear(glove.shape[1], hidden)
        self.pos = nn.Embedding(max_length, hidden)
        self.seg = nn.Embedding(2, hidden)
        self.match = nn.Embedding(match_types, hidden)
        for e in (self.pos, self.seg, self.match):
            nn.init.normal_(e.weight, std=0.02)
        self.layers = nn.ModuleList(Layer(hidden, heads, ffn, dropout) for _ in range(layers))
        self.ln = nn.LayerNorm(hidden)
        self.head = nn.Linear(hidden, 1)
        self.drop = nn.Dropout(dropout)

    def token_vectors(self, ids: torch.Tensor) -> torch.Tensor:
        is_glove = ids < self.vocab
        g = self.glove(torch.where(is_glove, ids, torch.zeros_like(ids)))
        e = self.extra(torch.where(is_glove, torch.zeros_like(ids), ids - self.vocab))
        return torch.where(is_glove.unsqueeze(-1), g, e)

    def encode(self, vectors, seg, match, mask, cls_only: bool = False):
        """One logit per pair from [CLS]; `cls_only` computes the last layer for [CLS] alone (same logits, for export)."""
        n = vectors.shape[1]
        pos = torch.arange(n, device=vectors.device).unsqueeze(0)
        x = self.drop(self.proj(vectors) + self.pos(pos) + self.seg(seg) + self.match(match))
        bias = (1.0 - mask.to(x.dtype))[:, None, None, :] * -1e4
        for i, layer in enumerate(self.layers):
            x = layer(x, bias, cls_only and i == len(self.layers) - 1)
        return self.head(self.ln(x[:, 0])).squeeze(-1)

    def forward(self, ids, seg, match, mask):
        return self.encode(self.token_vectors(ids), seg, match, mask)


class ExportedCrossEncoder(nn.Module):
    """The same network with one token table (GloVe rows then trainable rows) and int64 inputs, for ONNX; its last
    layer is computed for [CLS] alone (the only position the head reads)."""

    def __init__(self, model: CrossEncoder):
        super().__init__()
        self.model = model
        self.table = nn.Embedding.from_pretrained(torch.cat([model.glove.weight, model.extra.weight]), freeze=True)

    def forward(self, input_ids, segment_ids, match_ids, attention_mask):
        return self.model.encode(self.table(input_ids), segment_ids, match_ids, attention_mask, cls_only=True)
