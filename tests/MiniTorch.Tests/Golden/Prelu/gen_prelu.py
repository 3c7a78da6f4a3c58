#!/usr/bin/python3
"""Golden values for MiniTorch's PReLU tests, from real PyTorch 1.13.

Run with Debian's python3-torch:  /usr/bin/python3 gen_prelu.py  (writes prelu.json beside it).
Tensors are {"shape": [...], "data": [...]} in row-major order (float32 widened exactly).
"""
import json
import torch
import torch.nn.functional as F

torch.manual_seed(20261121)


def t(x):
    return {"shape": list(x.shape), "data": x.detach().double().reshape(-1).tolist()}


cases = []
for dtype in (torch.float32, torch.float64):
    for shape, params in (([2, 3, 4, 5], 3), ([2, 3, 4, 5], 1), ([4, 3], 3), ([5], 1), ([2, 4, 7], 4)):
        x = torch.randn(shape, dtype=dtype)
        x.view(-1)[0] = 0.0  # the slope applies at exactly 0, as for leaky_relu
        w = (torch.rand(params, dtype=dtype) * 0.5 - 0.1)
        x.requires_grad_()
        w.requires_grad_()
        y = F.prelu(x, w)
        g = torch.randn_like(y)
        gx, gw = torch.autograd.grad(y, [x, w], g)
        cases.append({"dtype": str(dtype), "grad_fn": type(y.grad_fn).__name__, "x": t(x), "w": t(w), "y": t(y),
                      "g": t(g), "gx": t(gx), "gw": t(gw)})

errors = {}
for name, (xs, ws) in {"channels": ([2, 3, 4], [2]), "vector": ([3], [2])}.items():
    try:
        F.prelu(torch.randn(xs), torch.ones(ws))
    except RuntimeError as e:
        errors[name] = str(e)

with open(__file__.replace("gen_prelu.py", "prelu.json"), "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases, "errors": errors}, f)
