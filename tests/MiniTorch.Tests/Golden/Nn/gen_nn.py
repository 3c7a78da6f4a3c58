#!/usr/bin/python3
"""Golden values for MiniTorch's Nn and Optim tests, from real PyTorch 1.13.

Run with Debian's python3-torch:  /usr/bin/python3 gen_nn.py  (writes nn.json beside it).
Every tensor is stored as {"shape": [...], "data": [...]} in row-major order; float32 values
are widened to float64 exactly, so they round-trip.
"""
import json
import math
import torch
import torch.nn.functional as F

torch.manual_seed(20261121)


def num(v):
    # JSON has no NaN/Infinity; store them as strings the C# reader understands.
    return v if math.isfinite(v) else ("NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity"))


def t(x):
    return {"shape": list(x.shape), "data": [num(v) for v in x.detach().double().reshape(-1).tolist()]}


out = {}

# ---- LeakyReLU: zeros included, forward and gradient, float32 and float64 ----
cases = []
for dtype in (torch.float32, torch.float64):
    for slope in (0.01, 0.2):
        x = torch.tensor([-2.0, -0.5, 0.0, 0.0, 0.25, 3.0, -1e-3, 1e-3, -0.0], dtype=dtype)
        x = torch.cat([x, torch.randn(23, dtype=dtype)]).reshape(4, 8).requires_grad_()
        g = torch.randn(4, 8, dtype=dtype)
        y = F.leaky_relu(x, slope)
        (gx,) = torch.autograd.grad(y, x, g)
        cases.append({"dtype": str(dtype), "slope": slope, "x": t(x), "g": t(g), "y": t(y), "gx": t(gx),
                      "grad_fn": type(y.grad_fn).__name__})
out["leaky_relu"] = cases

# ---- BatchNorm2d: three training steps, then eval; running statistics; gradients ----
bn_cases = []
for dtype, momentum in ((torch.float64, 0.1), (torch.float32, 0.1), (torch.float64, None)):
    bn = torch.nn.BatchNorm2d(3, momentum=momentum).to(dtype)
    with torch.no_grad():
        bn.weight.copy_(torch.randn(3, dtype=dtype))
        bn.bias.copy_(torch.randn(3, dtype=dtype))
    w0, b0 = bn.weight.detach().clone(), bn.bias.detach().clone()
    steps = []
    for s in range(3):
        x = (torch.randn(4, 3, 5, 5, dtype=dtype) * (1 + s) + s).requires_grad_()
        g = torch.randn(4, 3, 5, 5, dtype=dtype)
        y = bn(x)
        gx, gw, gb = torch.autograd.grad(y, [x, bn.weight, bn.bias], g)
        steps.append({"x": t(x), "g": t(g), "y": t(y), "gx": t(gx), "gw": t(gw), "gb": t(gb),
                      "running_mean": t(bn.running_mean), "running_var": t(bn.running_var),
                      "num_batches_tracked": int(bn.num_batches_tracked)})
    bn.eval()
    x = torch.randn(2, 3, 4, 4, dtype=dtype).requires_grad_()
    g = torch.randn(2, 3, 4, 4, dtype=dtype)
    y = bn(x)
    gx, gw, gb = torch.autograd.grad(y, [x, bn.weight, bn.bias], g)
    bn_cases.append({"dtype": str(dtype), "momentum": momentum, "weight": t(w0), "bias": t(b0), "train": steps,
                     "eval": {"x": t(x), "g": t(g), "y": t(y), "gx": t(gx), "gw": t(gw), "gb": t(gb)},
                     "state_keys": list(bn.state_dict().keys())})
out["batch_norm2d"] = bn_cases

# ---- Losses: every reduction, forward and gradients of input and target ----
loss_cases = []
def add_loss(name, fn, x, y, extra=None):
    for reduction in ("none", "mean", "sum"):
        xx = x.clone().requires_grad_()
        yy = y.clone().requires_grad_()
        v = fn(xx, yy, reduction)
        g = torch.randn(v.shape, dtype=torch.float64) if reduction == "none" else torch.tensor(1.7, dtype=torch.float64)
        gx, gy = torch.autograd.grad(v, [xx, yy], g)
        case = {"loss": name, "reduction": reduction, "x": t(x), "y": t(y), "g": t(g), "out": t(v), "gx": t(gx), "gy": t(gy)}
        if extra:
            case.update({k: t(val) for k, val in extra.items()})
        loss_cases.append(case)

d = torch.float64
p = torch.rand(3, 5, dtype=d) * 0.98 + 0.01
tgt = torch.rand(3, 5, dtype=d)
add_loss("bce", lambda a, b, r: F.binary_cross_entropy(a, b, reduction=r), p, tgt)
w = torch.rand(5, dtype=d) + 0.5
add_loss("bce_weight", lambda a, b, r: F.binary_cross_entropy(a, b, weight=w, reduction=r), p, tgt, {"weight": w})
# Probabilities at exactly 0 and 1: the logs are clamped at -100.
p01 = torch.tensor([0.0, 1.0, 0.0, 1.0, 0.5, 1e-50], dtype=d)
t01 = torch.tensor([0.0, 1.0, 1.0, 0.0, 0.3, 1.0], dtype=d)
add_loss("bce_edges", lambda a, b, r: F.binary_cross_entropy(a, b, reduction=r), p01, t01)
logits = torch.cat([torch.randn(12, dtype=d) * 3, torch.tensor([0.0, 100.0, -100.0, 30.0, -30.0, 1e4, -1e4, 0.0], dtype=d)]).reshape(4, 5)
tl = torch.rand(4, 5, dtype=d)
add_loss("bce_logits", lambda a, b, r: F.binary_cross_entropy_with_logits(a, b, reduction=r), logits, tl)
pw = torch.rand(5, dtype=d) * 3
w2 = torch.rand(4, 5, dtype=d) + 0.5
add_loss("bce_logits_weights", lambda a, b, r: F.binary_cross_entropy_with_logits(a, b, weight=w2, pos_weight=pw, reduction=r),
         logits, tl, {"weight": w2, "pos_weight": pw})
xm = torch.randn(2, 3, 4, dtype=d)
ym = torch.randn(2, 3, 4, dtype=d)
ym[0, 0, :2] = xm[0, 0, :2]  # equal elements: the L1 gradient there is 0
add_loss("mse", lambda a, b, r: F.mse_loss(a, b, reduction=r), xm, ym)
add_loss("l1", lambda a, b, r: F.l1_loss(a, b, reduction=r), xm, ym)
out["losses"] = loss_cases

# ---- Optimizers: a few steps on small parameters with stored gradients ----
opt_cases = []
configs = [
    ("sgd", {"lr": 0.1}),
    ("sgd", {"lr": 0.05, "momentum": 0.9}),
    ("sgd", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.01}),
    ("sgd", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.1}),
    ("adam", {"lr": 1e-3}),
    ("adam", {"lr": 0.01, "betas": (0.5, 0.99), "eps": 1e-6, "weight_decay": 0.05}),
    ("adam", {"lr": 0.02, "amsgrad": True}),
    ("adam", {"lr": 2e-4, "betas": (0.5, 0.999), "amsgrad": True, "weight_decay": 0.01}),
]
for dtype in (torch.float64, torch.float32):
    for kind, kw in configs:
        p0 = [torch.randn(3, 4, dtype=dtype), torch.randn(5, dtype=dtype)]
        params = [q.clone().requires_grad_() for q in p0]
        opt = (torch.optim.SGD if kind == "sgd" else torch.optim.Adam)(params, **kw)
        steps = []
        for s in range(4):
            grads = [torch.randn(q.shape, dtype=dtype) * (s + 1) for q in params]
            if s == 2:
                grads[1] = None  # a parameter without a gradient is skipped
            for q, gq in zip(params, grads):
                q.grad = gq
            opt.step()
            steps.append({"grads": [None if gq is None else t(gq) for gq in grads], "params": [t(q) for q in params]})
        opt_cases.append({"kind": kind, "dtype": str(dtype), "kwargs": {k: (list(v) if isinstance(v, tuple) else v) for k, v in kw.items()},
                          "p0": [t(q) for q in p0], "steps": steps})
out["optim"] = opt_cases

# ---- Init: gains and fans ----
out["gain"] = {
    "linear": torch.nn.init.calculate_gain("linear"), "sigmoid": torch.nn.init.calculate_gain("sigmoid"),
    "tanh": torch.nn.init.calculate_gain("tanh"), "relu": torch.nn.init.calculate_gain("relu"),
    "leaky_relu": torch.nn.init.calculate_gain("leaky_relu"), "leaky_relu_0.2": torch.nn.init.calculate_gain("leaky_relu", 0.2),
    "selu": torch.nn.init.calculate_gain("selu"),
}
fans = []
for shape in ([4, 3], [8, 3, 5, 5], [3, 8, 4, 4], [2, 6, 7]):
    fi, fo = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    fans.append({"shape": shape, "fan_in": fi, "fan_out": fo})
out["fans"] = fans

with open(__file__.replace("gen_nn.py", "nn.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"), allow_nan=False)
