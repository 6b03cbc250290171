"""Trains a 2-layer attention-only transformer on an induction (copy) task and ships it.

Task: T = 32 tokens: a segment of L distinct random tokens (L random in 6..16 per sequence),
the same segment again, then fresh tokens not in the segment. At every position t of the
repeat (t = L .. 2L-2) the next token is predictable only by induction: find the earlier
occurrence of the current token and copy the token that followed it (Olsson et al. 2022,
"In-context Learning and Induction Heads"). Because L varies, no fixed positional offset
solves the task. Labels are -1 (ignored) elsewhere.

The model is the design resources/models/induction.json, built from Archscope's own ops
and blocks (embedding, pos_learned, mha, add, head); the PyTorch module below computes
exactly what those ops compute, with parameters named as the engine names them
("node.param", "block/inner.param"). Outputs:
  induction.json                 the design (its metadata names the eval set for `archscope run`)
  induction.safetensors          the trained weights (float32)
  induction_eval_ids.npy         [B, T] int64 eval sequences (fresh seed, not seen in training)
  induction_eval_labels.npy      [B, T] int64 next-token labels, -1 where not scored

Run with Debian's python3-torch (CPU, a few minutes on an idle machine):
  /usr/bin/python3 resources/models/train_induction.py
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB, D, HEADS, LAYERS, T = 48, 32, 2, 2, 32
MIN_L, MAX_L = 6, 16
EVAL_B = 128


def batch(n, gen):
    ids = torch.empty(n, T, dtype=torch.long)
    labels = torch.full((n, T), -1, dtype=torch.long)
    for i in range(n):
        L = int(torch.randint(MIN_L, MAX_L + 1, (1,), generator=gen))
        perm = torch.randperm(VOCAB, generator=gen)  # segment, then fillers distinct from it
        seg, rest = perm[:L], perm[L:]
        ids[i] = torch.cat([seg, seg, rest[torch.randint(len(rest), (T - 2 * L,), generator=gen)]])
        labels[i, L:2 * L - 1] = ids[i, L + 1:2 * L]
    return ids, labels


class Model(torch.nn.Module):
    """embed -> + pos -> [x + mha_l(x)] x LAYERS -> head (layernorm, linear). Mirrors the engine ops."""

    def __init__(self):
        super().__init__()
        p = {"embed.weight": torch.randn(VOCAB, D) * 0.5, "pos.weight": torch.randn(T, D) * 0.5,
             "head/norm.weight": torch.ones(D), "head/norm.bias": torch.zeros(D),
             "head/proj.weight": torch.randn(VOCAB, D) / math.sqrt(D)}
        for l in range(LAYERS):
            for m in ("q", "k", "v", "o"):
                p[f"attn{l}/{m}_proj.weight"] = torch.randn(D, D) / math.sqrt(D)
        self.names = sorted(p)
        self.params = torch.nn.ParameterList([torch.nn.Parameter(p[n]) for n in self.names])

    def w(self, name):
        return self.params[self.names.index(name)]

    def forward(self, ids):
        B = ids.shape[0]
        x = self.w("embed.weight")[ids] + self.w("pos.weight")[:T]
        maps = []
        mask = torch.full((T, T), float("-inf")).triu(1)
        dh = D // HEADS
        for l in range(LAYERS):
            def heads(t):
                return t.reshape(B, T, HEADS, dh).permute(0, 2, 1, 3)
            q = heads(x @ self.w(f"attn{l}/q_proj.weight").T)
            k = heads(x @ self.w(f"attn{l}/k_proj.weight").T)
            v = heads(x @ self.w(f"attn{l}/v_proj.weight").T)
            a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh) + mask, -1)
            maps.append(a)
            o = (a @ v).permute(0, 2, 1, 3).reshape(B, T, D)
            x = x + o @ self.w(f"attn{l}/o_proj.weight").T
        x = F.layer_norm(x, (D,), self.w("head/norm.weight"), self.w("head/norm.bias"), 1e-5)
        return x @ self.w("head/proj.weight").T, maps


def accuracy(logits, labels):
    m = labels >= 0
    return (logits.argmax(-1)[m] == labels[m]).float().mean().item()


def write_safetensors(path, tensors):
    header, blobs, off = {}, [], 0
    for k in sorted(tensors):
        b = tensors[k].detach().contiguous().float().numpy().tobytes()
        header[k] = {"dtype": "F32", "shape": list(tensors[k].shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def design():
    def node(i, op, x, attrs=None):
        return {"id": i, "op": op, "pos": [x, 0], "attrs": attrs or {}}
    mha = {"d_model": D, "heads": HEADS, "causal": True, "bias": False}
    nodes = [node("ids", "input", 0, {"shape": "B, T", "dtype": "i64", "high": VOCAB}),
             node("embed", "embedding", 200, {"num_embeddings": VOCAB, "dim": D}),
             node("pos", "pos_learned", 400, {"max_len": T}),
             node("attn0", "mha", 600, mha), node("res0", "add", 800),
             node("attn1", "mha", 1000, mha), node("res1", "add", 1200),
             node("head", "head", 1400, {"out_features": VOCAB, "pool": "none", "norm": "layernorm", "bias": False}),
             node("logits", "output", 1600), node("attn0_map", "output", 800), node("attn1_map", "output", 1200)]
    nodes[-2]["pos"] = [800, 200]
    nodes[-1]["pos"] = [1200, 200]
    edges = [("ids:y", "embed:ids"), ("embed:y", "pos:x"), ("pos:y", "attn0:x"), ("pos:y", "res0:a"), ("attn0:y", "res0:b"),
             ("res0:y", "attn1:x"), ("res0:y", "res1:a"), ("attn1:y", "res1:b"), ("res1:y", "head:x"), ("head:y", "logits:x"),
             ("attn0:probs", "attn0_map:x"), ("attn1:probs", "attn1_map:x")]
    return {"format": "archscope.design", "version": 1,
            "metadata": {"name": "induction", "description":
                         "2-layer attention-only transformer trained on an induction/copy task (Olsson et al. 2022, "
                         "\"In-context Learning and Induction Heads\"): the second half of each sequence repeats the first, "
                         "and layer 1 has an induction head that attends to the token after the previous occurrence of "
                         "the current token (layer 0: previous-token head); segment lengths vary, so no positional shortcut. Trained by resources/models/train_induction.py.",
                         "eval.inputs": "ids=induction_eval_ids.npy", "eval.labels": "induction_eval_labels.npy",
                         "eval.output": "logits", "eval.metric": "accuracy"},
            "symbols": [{"name": "B", "value": EVAL_B, "doc": "batch"}, {"name": "T", "value": T, "doc": "sequence length"}],
            "nodes": nodes, "edges": [{"from": a, "to": b} for a, b in edges],
            "weights": {"file": "induction.safetensors", "seed": 0}}


def main():
    torch.set_num_threads(1)  # tiny model: threads only add contention
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    model = Model()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    for step in range(steps):
        ids, labels = batch(32, gen)
        logits, _ = model(ids)
        loss = F.cross_entropy(logits.reshape(-1, VOCAB), labels.reshape(-1), ignore_index=-1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0 or step == steps - 1:
            print(f"step {step} loss {loss.item():.4f} acc {accuracy(logits, labels):.3f}", flush=True)
    ids, labels = batch(EVAL_B, torch.Generator().manual_seed(12345))
    with torch.no_grad():
        logits, maps = model(ids)
    print(f"eval accuracy {accuracy(logits, labels):.4f}")
    for l, a in enumerate(maps):  # attention mass on the previous token and on the induction target
        prev, ind, n = torch.zeros(HEADS), torch.zeros(HEADS), 0
        for b in range(EVAL_B):
            L = int((labels[b] >= 0).nonzero()[0])
            for t in range(L, 2 * L - 1):
                prev += a[b, :, t, t - 1]
                ind += a[b, :, t, t - L + 1]
                n += 1
        print(f"layer {l}: previous-token mass per head {(prev / n).tolist()}, induction mass per head {(ind / n).tolist()}")
    write_safetensors(os.path.join(HERE, "induction.safetensors"), {n: model.w(n) for n in model.names})
    np.save(os.path.join(HERE, "induction_eval_ids.npy"), ids.numpy().astype(np.int64))
    np.save(os.path.join(HERE, "induction_eval_labels.npy"), labels.numpy().astype(np.int64))
    with open(os.path.join(HERE, "induction.json"), "w") as f:
        json.dump(design(), f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
