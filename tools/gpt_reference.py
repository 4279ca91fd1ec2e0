#!/usr/bin/python3
"""PyTorch reference for the C# GPT engine (src/Federated.Engine/Gpt).

Builds the same GPT-2-style model (pre-LayerNorm, tanh-GELU, causal attention, LM head tied to wte,
nn.Linear weight layout (out, in)) from seeded weights, runs it in float64, and writes one safetensors
fixture with: the weights (float32, PyTorch names), a batch, logits, loss, every gradient ("grad.<name>"),
and the losses of the first 10 AdamW steps (clip 1.0, warmup+cosine schedule).

Regenerate (Debian's python3-torch, CPU):
    /usr/bin/python3 tools/gpt_reference.py tests/Federated.Engine.Tests/Fixtures/gpt_reference.safetensors
"""
import json
import math
import struct
import sys

import torch
import torch.nn.functional as F

CONFIG = dict(vocab=256, context=16, layers=2, heads=2, width=32)
BATCH, SEQ = 2, 16
STEPS = 10
ADAM = dict(lr_peak=1e-3, lr_min=1e-4, warmup=3, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1, clip=1.0)


def param_shapes(cfg):
    """Names and shapes in the engine's layout order (GptParameterLayout)."""
    c, v, t = cfg["width"], cfg["vocab"], cfg["context"]
    shapes = [("wte.weight", (v, c)), ("wpe.weight", (t, c))]
    for i in range(cfg["layers"]):
        p = f"h.{i}."
        shapes += [(p + "ln_1.weight", (c,)), (p + "ln_1.bias", (c,)),
                   (p + "attn.c_attn.weight", (3 * c, c)), (p + "attn.c_attn.bias", (3 * c,)),
                   (p + "attn.c_proj.weight", (c, c)), (p + "attn.c_proj.bias", (c,)),
                   (p + "ln_2.weight", (c,)), (p + "ln_2.bias", (c,)),
                   (p + "mlp.c_fc.weight", (4 * c, c)), (p + "mlp.c_fc.bias", (4 * c,)),
                   (p + "mlp.c_proj.weight", (c, 4 * c)), (p + "mlp.c_proj.bias", (c,))]
    shapes += [("ln_f.weight", (c,)), ("ln_f.bias", (c,))]
    return shapes


def init_weights(cfg, gen):
    """GPT-2-like scales, but biases and LayerNorm gains are perturbed too so their gradients are tested."""
    weights = {}
    for name, shape in param_shapes(cfg):
        if name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name == "ln_f.weight":
            w = 1.0 + 0.1 * torch.randn(shape, generator=gen)
        elif len(shape) == 1:
            w = 0.02 * torch.randn(shape, generator=gen)
        else:
            w = 0.02 * torch.randn(shape, generator=gen)
        weights[name] = w.to(torch.float32)
    return weights


def forward(w, cfg, idx, targets):
    """Returns logits (B,T,V) and the mean cross-entropy."""
    b, t = idx.shape
    c, nh = cfg["width"], cfg["heads"]
    hs = c // nh
    x = w["wte.weight"][idx] + w["wpe.weight"][:t]                      # (B,T,C)
    mask = torch.tril(torch.ones(t, t, dtype=torch.bool))
    for i in range(cfg["layers"]):
        p = f"h.{i}."
        h = F.layer_norm(x, (c,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps=1e-5)
        qkv = F.linear(h, w[p + "attn.c_attn.weight"], w[p + "attn.c_attn.bias"])  # (B,T,3C)
        q, k, v = qkv.split(c, dim=2)
        q, k, v = (z.view(b, t, nh, hs).transpose(1, 2) for z in (q, k, v))       # (B,nh,T,hs)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hs)
        att = att.masked_fill(~mask, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
        x = x + F.linear(y, w[p + "attn.c_proj.weight"], w[p + "attn.c_proj.bias"])
        h = F.layer_norm(x, (c,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps=1e-5)
        h = F.gelu(F.linear(h, w[p + "mlp.c_fc.weight"], w[p + "mlp.c_fc.bias"]), approximate="tanh")
        x = x + F.linear(h, w[p + "mlp.c_proj.weight"], w[p + "mlp.c_proj.bias"])
    x = F.layer_norm(x, (c,), w["ln_f.weight"], w["ln_f.bias"], eps=1e-5)
    logits = x @ w["wte.weight"].t()                                    # tied LM head
    loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
    return logits, loss


def lr_at(step):
    a = ADAM
    if step < a["warmup"]:
        return a["lr_peak"] * (step + 1) / a["warmup"]
    progress = (step - a["warmup"]) / max(1, STEPS - a["warmup"])
    return a["lr_min"] + 0.5 * (1 + math.cos(math.pi * progress)) * (a["lr_peak"] - a["lr_min"])


def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, tensor in tensors.items():
        tensor = tensor.contiguous()
        dtype = {torch.float32: "F32", torch.int32: "I32"}[tensor.dtype]
        data = tensor.numpy().astype(tensor.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for blob in blobs:
            f.write(blob)


def main(path):
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1337)
    w32 = init_weights(CONFIG, gen)
    idx = torch.randint(0, CONFIG["vocab"], (BATCH, SEQ + 1), generator=gen)
    inputs, targets = idx[:, :-1].contiguous(), idx[:, 1:].contiguous()

    # float64 reference: the engine's float32 results are compared against the exact answer
    w = {k: v.to(torch.float64).requires_grad_(True) for k, v in w32.items()}
    logits, loss = forward(w, CONFIG, inputs, targets)
    loss.backward()
    grads = {k: v.grad.detach().clone() for k, v in w.items()}

    decay = [w[n] for n, s in param_shapes(CONFIG) if len(s) == 2]
    no_decay = [w[n] for n, s in param_shapes(CONFIG) if len(s) == 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": ADAM["weight_decay"]},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=ADAM["lr_peak"], betas=ADAM["betas"], eps=ADAM["eps"])
    losses = []
    for step in range(STEPS):
        opt.zero_grad(set_to_none=True)
        _, step_loss = forward(w, CONFIG, inputs, targets)
        step_loss.backward()
        torch.nn.utils.clip_grad_norm_(list(w.values()), ADAM["clip"])
        for group in opt.param_groups:
            group["lr"] = lr_at(step)
        opt.step()
        losses.append(step_loss.item())

    tensors = dict(w32)
    tensors["input_ids"] = inputs.to(torch.int32)
    tensors["targets"] = targets.to(torch.int32)
    tensors["logits"] = logits.detach().to(torch.float32)
    tensors["loss"] = loss.detach().reshape(1).to(torch.float32)
    for name, g in grads.items():
        tensors["grad." + name] = g.to(torch.float32)
    tensors["step_losses"] = torch.tensor(losses, dtype=torch.float32)
    meta = {"config": json.dumps(CONFIG), "adamw": json.dumps(ADAM), "steps": str(STEPS),
            "torch": torch.__version__, "generator": "tools/gpt_reference.py"}
    write_safetensors(path, tensors, meta)
    print(f"wrote {path}: loss {loss.item():.6f}, step losses {[round(x, 6) for x in losses]}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/Federated.Engine.Tests/Fixtures/gpt_reference.safetensors")
