#!/usr/bin/python3
"""PyTorch side of the convergence check on tinyshakespeare (bench/Federated.Engine.Bench `converge`).

Trains the reference model (tools/gpt_reference.py) from the engine's initial weights (a safetensors file
the engine wrote) with the engine demo's recipe: bytes, last 10% held out, batch windows drawn uniformly,
AdamW (betas 0.9/0.95, no weight decay, clip 1.0) at a constant rate, restarted every `chunk` steps the way
each federated round starts a fresh optimizer. Prints one JSON line per chunk: {"step", "train", "heldout"}.
    /usr/bin/python3 tools/gpt_convergence.py --weights init.safetensors --data ../shared/data/tinyshakespeare.txt
"""
import argparse
import json
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt_reference import forward, param_shapes  # noqa: E402


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, e in header.items():
        assert e["dtype"] == "F32", f"{name}: dtype {e['dtype']}"
        begin, end = e["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(raw[base + begin:base + end]), dtype=torch.float32).reshape(e["shape"])
    return tensors, meta


def evaluate(w, cfg, data, max_tokens):
    t = cfg["context"]
    total, count = 0.0, 0
    with torch.no_grad():
        pos = 0
        while pos + 1 < len(data) and count < max_tokens:
            n = min(t, len(data) - 1 - pos, max_tokens - count)
            x = data[pos:pos + n].unsqueeze(0)
            y = data[pos + 1:pos + 1 + n].unsqueeze(0)
            _, loss = forward(w, cfg, x, y)
            total += loss.item() * n
            count += n
            pos += t
    return total / count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--chunk", type=int, default=50)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--eval-tokens", type=int, default=32768)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    tensors, meta = read_safetensors(a.weights)
    cfg = json.loads(meta["config"])
    w = {name: tensors[name].clone().requires_grad_(True) for name, _ in param_shapes(cfg)}
    data = torch.tensor(list(open(a.data, "rb").read()), dtype=torch.long)
    split = len(data) * 9 // 10
    train, held = data[:split], data[split:]
    t = cfg["context"]
    done = 0
    while done < a.steps:
        opt = torch.optim.AdamW(list(w.values()), lr=a.lr, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.0)
        steps = min(a.chunk, a.steps - done)
        for _ in range(steps):
            starts = torch.randint(0, len(train) - t, (a.batch,))
            x = torch.stack([train[s:s + t] for s in starts])
            y = torch.stack([train[s + 1:s + 1 + t] for s in starts])
            opt.zero_grad(set_to_none=True)
            _, loss = forward(w, cfg, x, y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(list(w.values()), 1.0)
            opt.step()
        done += steps
        print(json.dumps({"step": done, "train": loss.item(), "heldout": evaluate(w, cfg, held, a.eval_tokens)}), flush=True)


if __name__ == "__main__":
    main()
