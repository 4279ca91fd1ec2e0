#!/usr/bin/python3
"""PyTorch side of the engine benchmark: trains the same GPT (fwd + bwd + clip + AdamW) on random bytes
and prints one JSON line {tokens_per_s, peak_rss_mb, cores_used}. --threads also sets OPENBLAS_NUM_THREADS
(and OMP/MKL) before torch loads: torch.set_num_threads alone does not limit Debian's pthread OpenBLAS, which
then runs its GEMMs on every core. Run by bench/Federated.Engine.Bench, or alone:
    /usr/bin/python3 tools/gpt_bench.py --layers 4 --heads 4 --width 128 --context 128 --batch 16 --threads 1
"""
import argparse
import json
import os
import resource
import sys
import time



def main():
    ap = argparse.ArgumentParser()
    for k, d in [("layers", 4), ("heads", 4), ("width", 128), ("context", 128), ("vocab", 256),
                 ("batch", 16), ("threads", 1), ("steps", 20), ("warmup", 3)]:
        ap.add_argument("--" + k, type=int, default=d)
    a = ap.parse_args()
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(a.threads)   # read once, when the BLAS library loads with torch
    import torch
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from gpt_reference import forward, param_shapes
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    cfg = dict(vocab=a.vocab, context=a.context, layers=a.layers, heads=a.heads, width=a.width)
    w = {}
    for name, shape in param_shapes(cfg):
        w[name] = (torch.ones(shape) if name.endswith("weight") and len(shape) == 1
                   else 0.02 * torch.randn(shape)).requires_grad_(True)
    decay = [w[n] for n, s in param_shapes(cfg) if len(s) == 2]
    no_decay = [w[n] for n, s in param_shapes(cfg) if len(s) == 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=1e-4, betas=(0.9, 0.95))
    data = torch.randint(0, a.vocab, (a.batch, a.context + 1))
    x, y = data[:, :-1].contiguous(), data[:, 1:].contiguous()

    def step():
        opt.zero_grad(set_to_none=True)
        _, loss = forward(w, cfg, x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(w.values()), 1.0)
        opt.step()

    for _ in range(a.warmup):
        step()
    t0, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(a.steps):
        step()
    dt, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    print(json.dumps({"tokens_per_s": a.steps * a.batch * a.context / dt,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "cores_used": cpu / dt}))


if __name__ == "__main__":
    main()
