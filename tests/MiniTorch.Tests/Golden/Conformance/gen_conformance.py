#!/usr/bin/python3
"""Randomized differential conformance goldens: MiniTorch's everyday nn (issue 14) and 1-d/2-d/3-d
convolution (issue 13) against PyTorch 1.13.

Every op family draws random configurations from its own seeded stream (so adding a family never
shifts another): shapes (unbatched, empty, 0-d), negative dims, every parameter and their
combinations, dtypes (float32, float64, int64, bool and their promotion), special values (ties,
NaN, ±inf, the kinks of the activations). For each configuration PyTorch either accepts the call,
and the case records its outputs, the gradients of the first output for a random upstream gradient
and, where PyTorch supports it, the double-backward gradients of <grads, u> for random u; or it
raises, and the case records that (MiniTorch must raise too).

Run:
  /usr/bin/python3 gen_conformance.py                    writes conformance.json beside this script
                                                         (the committed default: every family, small)
  /usr/bin/python3 gen_conformance.py --scale 20 --seed 7 --out /tmp/sweep.json
                                                         a larger sweep (20x the draws, another seed);
                                                         replay it with
  MINITORCH_CONFORMANCE_SWEEP=/tmp/sweep.json dotnet test tests/MiniTorch.Tests -c Release \
      --filter FullyQualifiedName~ConformanceTests

Case format: ../Everyday/golden.py, plus "u" and "gg" (double backward) and "ref64" (for float32
cases, PyTorch's float64 result on the same inputs, which bounds the rounding error MiniTorch may
have: no more than PyTorch's own float32 error, see ConformanceTests.cs).
"""
import argparse
import json
import math
import os
import random
import sys
import warnings
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Everyday"))
from golden import t  # noqa: E402

warnings.filterwarnings("ignore")
F32, F64, I64, B = torch.float32, torch.float64, torch.int64, torch.bool
NAN, INF = float("nan"), float("inf")


def listify(v):
    if isinstance(v, tuple):
        return [listify(e) for e in v]
    if isinstance(v, list):
        return [listify(e) for e in v]
    return v


class Sweep:
    def __init__(self):
        self.cases = []
        self.counts = {}

    def _record_error(self, op, name, inputs, args, e):
        self.cases.append({"op": op, "name": name, "args": args, "inputs": [t(x) for x in inputs],
                           "error": str(e).split("\n")[0]})

    def add(self, op, name, inputs, fn, args=None, grad_inputs=None, double=True, ref64=True):
        """Records fn(*inputs): outputs, first-output gradients w.r.t. the floating inputs (all, or
        those in grad_inputs), double-backward gradients; or PyTorch's error. For float32 cases also
        PyTorch's float64 answers on the same values (inputs, g and u widened)."""
        args = {k: listify(v) for k, v in (args or {}).items()}
        self.counts[op] = self.counts.get(op, 0) + 1
        try:
            r = evaluate(inputs, fn, grad_inputs, double)
        except (RuntimeError, ValueError, IndexError, TypeError) as e:
            self._record_error(op, name, inputs, args, e)
            return
        case = {"op": op, "name": name, "args": args, "inputs": [t(x) for x in inputs], "out": [t(o) for o in r["out"]]}
        # A dense copy: PyTorch returns some zero gradients as storage-less ZeroTensors.
        enc = lambda vs: [None if v is None else t(torch.zeros(v.shape, dtype=v.dtype).add(v.detach())) for v in vs]  # noqa: E731
        for key in ("grads", "u", "gg"):
            if key in r:
                case[key] = enc(r[key])
        if "g" in r:
            case["g"] = t(r["g"])
        if ref64 and any(x.dtype == F32 for x in inputs):
            # PyTorch's float64 answer on the same values: the float32 comparison allows MiniTorch
            # the rounding error PyTorch itself makes.
            widen = lambda v: v.double() if v is not None and v.dtype == F32 else v  # noqa: E731
            try:
                w = evaluate([widen(x) for x in inputs], fn, grad_inputs, double and "gg" in r,
                             g=widen(r.get("g")), us=[widen(u) for u in r["u"]] if "u" in r else None)
                case["ref64"] = [t(o.double()) if o.is_floating_point() else None for o in w["out"]]
                for key in ("grads", "gg"):
                    if key in w and key in r:
                        case["ref64_" + key] = enc(w[key])
            except (RuntimeError, ValueError, IndexError, TypeError):
                pass
        self.cases.append(case)

    def write(self, path, seed, scale):
        with open(path, "w") as f:
            json.dump({"torch": torch.__version__, "seed": seed, "scale": scale, "cases": self.cases}, f, separators=(",", ":"))
        errors = sum(1 for c in self.cases if "error" in c)
        print(f"{os.path.basename(path)}: {len(self.cases)} cases ({errors} error cases), {len(self.counts)} ops")


def evaluate(inputs, fn, grad_inputs, double, g=None, us=None):
    """fn on clones of inputs; with a differentiable first output, its gradients for upstream g (random
    unless given) and, when double and the inputs are finite, the gradients of sum(<grad_i, u_i>)."""
    xs = []
    for i, x in enumerate(inputs):
        x = x.detach().clone()
        xs.append(x.requires_grad_(x.is_floating_point() and (grad_inputs is None or i in grad_inputs)))
    out = fn(*xs)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    r = {"out": outs}
    diff = [x for x in xs if x.requires_grad]
    if not (diff and outs[0].requires_grad and outs[0].numel() > 0):
        return r
    g = torch.randn(outs[0].shape, dtype=outs[0].dtype) if g is None else g
    try:
        grads = torch.autograd.grad(outs[0], diff, g, allow_unused=True, create_graph=double)
    except (RuntimeError, IndexError):
        return r  # PyTorch's own backward fails (e.g. huber_loss on mixed dtypes): forward only
    it = iter(grads)
    r["g"] = g
    r["grads"] = [next(it) if x.requires_grad else None for x in xs]
    # Double backward only on finite inputs: at ±inf and NaN a second derivative is an artefact of
    # how the first one is written (PyTorch's formulas and MiniTorch's differ there).
    finite = all(bool(torch.isfinite(x).all()) for x in inputs if x.is_floating_point())
    if not (double and finite):
        return r
    if us is None:
        us = [torch.randn(v.shape, dtype=v.dtype) if v is not None else None for v in r["grads"]]
    terms = [(v * u).sum() for v, u in zip(r["grads"], us) if v is not None and v.requires_grad]
    if terms:
        try:
            gg = iter(torch.autograd.grad(sum(terms), diff, allow_unused=True))
            r["u"] = us
            r["gg"] = [next(gg) if x.requires_grad else None for x in xs]
        except RuntimeError:
            pass  # PyTorch has no double backward here
    return r


# ---------------------------------------------------------------------------------------------
# Data

def data(rng, shape, dtype, kind=None):
    """Random values of a kind: normal, ties (small integers), special (with NaN/inf), positive."""
    kind = kind or rng.choice(["normal", "normal", "normal", "ties", "special"])
    n = 1
    for s in shape:
        n *= s
    if dtype == I64:
        return torch.tensor([rng.randint(-5, 5) for _ in range(n)], dtype=I64).reshape(shape)
    if dtype == B:
        return torch.tensor([rng.random() < 0.5 for _ in range(n)], dtype=B).reshape(shape)
    if kind == "ties":
        vals = [float(rng.randint(-2, 2)) for _ in range(n)]
    elif kind == "positive":
        vals = [rng.uniform(0.1, 2.0) for _ in range(n)]
    elif kind == "special":
        vals = [rng.choice([NAN, INF, -INF, 0.0, -0.0, 1e30, -1e30]) if rng.random() < 0.2 else rng.gauss(0, 2) for _ in range(n)]
    else:
        vals = [rng.gauss(0, 1.5) for _ in range(n)]
    return torch.tensor(vals, dtype=F64).reshape(shape).to(dtype)


def fdt(rng):
    return rng.choice([F32, F64])


def sizes(rng, rank, lo, hi):
    return [rng.randint(lo, hi) for _ in range(rank)]


def red(rng, extra=()):
    return rng.choice(["none", "mean", "sum"] + list(extra))


# ---------------------------------------------------------------------------------------------
# Pooling

POOL_MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
POOL_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}
POOL_AAVG = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}
POOL_AMAX = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}
UNPOOL = {1: F.max_unpool1d, 2: F.max_unpool2d, 3: F.max_unpool3d}


def pool_input(rng, rank, dt, kind=None):
    batched = rng.random() < 0.8
    spatial = sizes(rng, rank, 1, {1: 10, 2: 7, 3: 5}[rank])
    if rng.random() < 0.03:
        spatial[rng.randrange(rank)] = 0
    shape = ([rng.randint(1, 2)] if batched else []) + [rng.randint(1, 3)] + spatial
    return data(rng, shape, dt, kind)


def gen_pool(c, rng, i):
    rank = rng.randint(1, 3)
    dt = fdt(rng)
    kind = rng.choice(["max", "max", "avg", "avg", "amax", "aavg", "unpool"])
    x = pool_input(rng, rank, dt, "normal" if kind in ("avg", "aavg") and rng.random() < 0.8 else None)
    k = sizes(rng, rank, 1, 4)
    s = None if rng.random() < 0.3 else sizes(rng, rank, 1, 3)
    bad = rng.random() < 0.05
    p = [rng.randint(0, kk // 2 + (1 if bad else 0)) for kk in k]
    d = [rng.choice([1, 1, 2]) for _ in range(rank)]
    ceil = rng.random() < 0.5
    one = (lambda v: v[0] if v is not None else None) if rank == 1 else (lambda v: tuple(v) if v is not None else None)
    name = f"{kind}_pool{rank}d #{i}"
    if kind == "max":
        f = POOL_MAX[rank]
        fn = lambda x: f(x, one(k), one(s), one(p), one(d), ceil, return_indices=True)  # noqa: E731
        # A ceil-mode window of dilated taps can hold no input: PyTorch then returns -inf with an index
        # past the plane, and its backward writes there (heap corruption): forward only for those.
        try:
            _, idx = fn(x)
            grad = idx.numel() == 0 or int(idx.max()) < max(1, math.prod(x.shape[-rank:]))
        except RuntimeError:
            grad = True
        c.add(f"max_pool{rank}d", name, [x], fn, {"k": k, "s": s, "p": p, "d": d, "ceil": ceil}, grad_inputs=None if grad else [])
    elif kind == "avg":
        cip = rng.random() < 0.5
        div = rng.choice([None, None, None, rng.randint(1, 5)]) if rank > 1 else None
        f = POOL_AVG[rank]
        if rank == 1:
            fn = lambda x: f(x, one(k), one(s), one(p), ceil, cip)  # noqa: E731
        else:
            fn = lambda x: f(x, one(k), one(s), one(p), ceil, cip, div)  # noqa: E731
        c.add(f"avg_pool{rank}d", name, [x], fn, {"k": k, "s": s, "p": p, "ceil": ceil, "cip": cip, "div": div})
    elif kind in ("amax", "aavg"):
        out = [rng.randint(1, x.shape[-rank + j] + 3) if rng.random() > 0.15 or rank == 1 else None for j in range(rank)]
        if rng.random() < 0.03:
            out[0] = 0
        f = (POOL_AMAX if kind == "amax" else POOL_AAVG)[rank]
        arg = out[0] if rank == 1 else tuple(out)
        if kind == "amax":
            c.add(f"adaptive_max_pool{rank}d", name, [x], lambda x: f(x, arg, return_indices=True), {"out": out})
        else:
            c.add(f"adaptive_avg_pool{rank}d", name, [x], lambda x: f(x, arg), {"out": out})
    else:
        s = s or k
        try:
            y, idx = POOL_MAX[rank](x, one(k), one(s), one(p), 1, False, return_indices=True)
        except RuntimeError:
            return
        default = [(y.shape[-rank + j] - 1) * s[j] - 2 * p[j] + k[j] for j in range(rank)]
        size = None
        if rng.random() < 0.5:
            size = [dd + rng.randint(0, s[j] - 1) for j, dd in enumerate(default)]
            if rng.random() < 0.1:
                size[0] += s[0]
            if rng.random() < 0.3:
                size = list(x.shape[:-rank]) + size
        f = UNPOOL[rank]
        c.add(f"max_unpool{rank}d", name, [y, idx], lambda y, idx: f(y, idx, one(k), one(s), one(p), size),
              {"k": k, "s": s, "p": p, "size": size})


# ---------------------------------------------------------------------------------------------
# Softmax family and losses

def gen_softmax(c, rng, i):
    rank = rng.randint(0, 4)
    shape = sizes(rng, rank, 1, 4)
    if rank and rng.random() < 0.05:
        shape[rng.randrange(rank)] = 0
    dt = fdt(rng)
    x = data(rng, shape, dt, rng.choice(["normal", "normal", "ties", "special"]))
    dim = None if rng.random() < 0.15 else rng.randint(-max(rank, 1), max(rank, 1) - 1)
    if rng.random() < 0.03:
        dim = max(rank, 1)  # out of range
    dtype = F64 if dt == F32 and rng.random() < 0.2 else None
    op = rng.choice(["softmax", "log_softmax", "softmin"])
    f = {"softmax": F.softmax, "log_softmax": F.log_softmax, "softmin": F.softmin}[op]
    c.add(op, f"{op} #{i}", [x], lambda x: f(x, dim, dtype=dtype) if dim is not None else f(x, dtype=dtype),
          {"dim": dim, "dtype": None if dtype is None else "float64"})


def class_input(rng, dt):
    C = rng.randint(1, 5)
    form = rng.choice(["nc", "nc", "nc", "c", "ncd", "ncdd"])
    N = rng.randint(1, 4) if rng.random() > 0.05 else 0
    extra = {"nc": [], "c": [], "ncd": [rng.randint(1, 3)], "ncdd": [rng.randint(1, 3), rng.randint(1, 2)]}[form]
    shape = [C] if form == "c" else [N, C] + extra
    tshape = [] if form == "c" else [N] + extra
    return C, data(rng, shape, dt, "normal"), tshape


def index_target(rng, C, tshape, ignore):
    n = 1
    for s in tshape:
        n *= s
    vals = [ignore if rng.random() < 0.15 else rng.randint(0, C - 1) for _ in range(n)]
    if rng.random() < 0.03 and n:
        vals[0] = C  # out of range (PyTorch raises unless it is the ignore index)
    return torch.tensor(vals, dtype=I64).reshape(tshape)


def gen_cross_entropy(c, rng, i):
    dt = fdt(rng)
    C, x, tshape = class_input(rng, dt)
    probs = rng.random() < 0.3
    reduction = red(rng)
    ls = rng.choice([0.0, 0.0, 0.1, 0.35, 1.0])
    ignore = rng.choice([-100, -100, -1, rng.randint(0, C - 1)])
    weight = data(rng, [C], dt, "positive") if rng.random() < 0.4 else None
    if probs:
        target = torch.softmax(data(rng, list(x.shape), dt, "normal"), 1 if x.dim() > 1 else 0)
        if rng.random() < 0.2:
            target = data(rng, list(x.shape), dt, "normal")  # PyTorch takes any real "probabilities"
    else:
        target = index_target(rng, C, tshape, ignore)
    inputs = [x, target] + ([weight] if weight is not None else [])
    c.add("cross_entropy", f"cross_entropy #{i}", inputs,
          lambda x, y, w=None: F.cross_entropy(x, y, w, ignore_index=ignore, reduction=reduction, label_smoothing=ls),
          {"ignore_index": ignore, "reduction": reduction, "label_smoothing": ls}, grad_inputs=[0, 1])


def gen_nll(c, rng, i):
    dt = fdt(rng)
    C, x, tshape = class_input(rng, dt)
    reduction = red(rng)
    ignore = rng.choice([-100, -100, -1, rng.randint(0, C - 1)])
    weight = data(rng, [C], dt, "positive") if rng.random() < 0.4 else None
    target = index_target(rng, C, tshape, ignore)
    inputs = [x, target] + ([weight] if weight is not None else [])
    c.add("nll_loss", f"nll_loss #{i}", inputs,
          lambda x, y, w=None: F.nll_loss(x, y, w, ignore_index=ignore, reduction=reduction),
          {"ignore_index": ignore, "reduction": reduction}, grad_inputs=[0])


def pair_shapes(rng, broadcast=True):
    rank = rng.randint(0, 3)
    a = sizes(rng, rank, 1, 4)
    b = list(a)
    if broadcast and rng.random() < 0.2 and rank:
        j = rng.randrange(rank)
        if rng.random() < 0.5:
            a[j] = 1
        else:
            b[j] = 1
        if rng.random() < 0.3:
            b = b[1:]
    return a, b


def gen_regression(c, rng, i):
    dt = fdt(rng)
    a, b = pair_shapes(rng)
    op = rng.choice(["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "kl_div"])
    reduction = red(rng, ["batchmean"] if op == "kl_div" else [])
    x = data(rng, a, dt, rng.choice(["normal", "ties"]))
    y = data(rng, b, dt, rng.choice(["normal", "ties"]))
    if rng.random() < 0.1:
        y = y.double() if dt == F32 else y.float()
    if op == "smooth_l1_loss":
        beta = rng.choice([1.0, 0.5, 2.0, 0.0])
        c.add(op, f"{op} #{i}", [x, y], lambda x, y: F.smooth_l1_loss(x, y, reduction=reduction, beta=beta), {"reduction": reduction, "beta": beta})
    elif op == "huber_loss":
        delta = rng.choice([1.0, 0.5, 2.0])
        c.add(op, f"{op} #{i}", [x, y], lambda x, y: F.huber_loss(x, y, reduction=reduction, delta=delta), {"reduction": reduction, "delta": delta})
    elif op == "kl_div":
        log_target = rng.random() < 0.4
        if not log_target:
            y = y.abs() if rng.random() < 0.8 else y  # negative targets give NaN in PyTorch too
        c.add(op, f"{op} #{i}", [x, y], lambda x, y: F.kl_div(x, y, reduction=reduction, log_target=log_target),
              {"reduction": reduction, "log_target": log_target})
    else:
        f = F.mse_loss if op == "mse_loss" else F.l1_loss
        c.add(op, f"{op} #{i}", [x, y], lambda x, y: f(x, y, reduction=reduction), {"reduction": reduction})


# ---------------------------------------------------------------------------------------------
# Activations

def act_input(rng, dt, points=(), small=False):
    # small: fewer than 8 elements, so PyTorch's CPU kernel takes its scalar path for every element
    # (its vectorised path decides hardswish'(3) and hardsigmoid's kinks differently).
    shape = sizes(rng, rng.randint(0, 2), 1, 2) if small else sizes(rng, rng.randint(0, 3), 1, 5)
    x = data(rng, shape, dt, rng.choice(["normal", "normal", "special"]))
    flat = x.reshape(-1)
    for j in range(flat.numel()):
        if points and rng.random() < 0.25:
            flat[j] = rng.choice(points)
    return x


# Ops whose gradient at NaN PyTorch's CPU kernels decide per lane: its vectorised loop (blocks of 8
# float64 or 16 float32 elements) gives NaN for the ELU family and 0 for hardtanh/relu6, its scalar
# loop over the remainder gives the x > 0 branch. MiniTorch follows the vectorised loop (what almost
# every element of a real tensor gets; the regression cases pin it); the random cases keep NaN only
# where PyTorch vectorises.
NAN_BY_LANE = {"elu", "selu", "celu", "hardtanh", "relu6", "ELU", "SELU", "CELU", "Hardtanh", "ReLU6"}


def nan_in_vector_lanes(x):
    if not x.is_floating_point() or x.numel() == 0:
        return x
    flat = x.reshape(-1).clone()
    width = 8 if x.dtype == F64 else 16
    tail = flat[flat.numel() - flat.numel() % width:]
    tail[tail != tail] = 0.5
    return flat.reshape(x.shape)


def gen_activation(c, rng, i):
    dt = fdt(rng)
    op = rng.choice(["elu", "selu", "celu", "gelu", "silu", "mish", "softplus", "softsign", "hardtanh", "relu6",
                     "hardsigmoid", "hardswish", "threshold", "logsigmoid", "glu", "leaky_relu", "relu", "tanh", "sigmoid"])
    args = {}
    if op in ("elu", "celu"):
        alpha = rng.choice([1.0, 0.5, 2.0, -0.5] if op == "elu" else [1.0, 0.5, 2.0])
        args["alpha"] = alpha
        x = act_input(rng, dt, (0.0, -1.0, 1.0))
        f = (lambda x: F.elu(x, alpha)) if op == "elu" else (lambda x: F.celu(x, alpha))
    elif op == "gelu":
        approx = rng.choice(["none", "tanh"])
        args["approximate"] = approx
        x = act_input(rng, dt, (0.0, 3.0, -3.0, 10.0, -10.0))
        f = lambda x: F.gelu(x, approximate=approx)  # noqa: E731
    elif op == "softplus":
        beta, th = rng.choice([1.0, 2.0, 0.5, -1.0]), rng.choice([20.0, 1.0, 5.0])
        args.update(beta=beta, threshold=th)
        x = act_input(rng, dt, (0.0, th, th / beta, -th))
        f = lambda x: F.softplus(x, beta, th)  # noqa: E731
    elif op == "hardtanh":
        lo = rng.choice([-1.0, -2.0, 0.0, 0.5])
        hi = lo + rng.choice([2.0, 0.5, 3.0]) if rng.random() > 0.05 else lo - 1
        args.update(min_val=lo, max_val=hi)
        x = act_input(rng, dt, (lo, hi, 0.0))
        f = lambda x: F.hardtanh(x, lo, hi)  # noqa: E731
    elif op == "threshold":
        th, v = rng.choice([0.0, 0.5, -1.0]), rng.choice([0.0, -2.0, 7.0])
        args.update(threshold=th, value=v)
        x = act_input(rng, dt, (th, 0.0))
        f = lambda x: F.threshold(x, th, v)  # noqa: E731
    elif op == "glu":
        x = act_input(rng, dt)
        if x.dim() == 0 or rng.random() < 0.7:
            x = data(rng, sizes(rng, rng.randint(1, 3), 1, 3) + [2 * rng.randint(1, 3)], dt)
            if rng.random() < 0.5:
                x = x.transpose(0, -1).contiguous()
        dim = rng.randint(-max(x.dim(), 1), max(x.dim(), 1) - 1)
        args["dim"] = dim
        f = lambda x: F.glu(x, dim)  # noqa: E731
    elif op == "leaky_relu":
        slope = rng.choice([0.01, 0.2, -0.5, 1.5])
        args["negative_slope"] = slope
        x = act_input(rng, dt, (0.0,))
        f = lambda x: F.leaky_relu(x, slope)  # noqa: E731
    else:
        points = {"relu6": (0.0, 6.0), "hardsigmoid": (-3.0, 3.0, 0.0), "hardswish": (-3.0, 3.0, 0.0), "relu": (0.0,)}.get(op, (0.0,))
        x = act_input(rng, dt, points, small=op in ("hardsigmoid", "hardswish"))
        fns = {"selu": F.selu, "silu": F.silu, "mish": F.mish, "softsign": F.softsign, "relu6": F.relu6, "hardsigmoid": F.hardsigmoid,
               "hardswish": F.hardswish, "logsigmoid": F.logsigmoid, "relu": F.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}
        f = fns[op]
    if op in NAN_BY_LANE:
        x = nan_in_vector_lanes(x)
    if rng.random() < 0.08:
        x = x.nan_to_num(0.0, 0.0, 0.0).to(rng.choice([I64, I64, B]))
    c.add(op, f"{op} #{i}", [x], f, args)


# ---------------------------------------------------------------------------------------------
# Elementwise, indexing, integer dtype

DTYPES = {F32: "float32", F64: "float64", I64: "int64", B: "bool"}


def any_dt(rng, floats=0.7):
    return fdt(rng) if rng.random() < floats else rng.choice([I64, B])


def gen_elementwise(c, rng, i):
    op = rng.choice(["maximum", "minimum", "clamp", "clamp", "where", "where_scalar", "clamp_scalar"])
    a, b = pair_shapes(rng)
    if op in ("maximum", "minimum"):
        x, y = data(rng, a, any_dt(rng), "ties"), data(rng, b, any_dt(rng), rng.choice(["ties", "special"]))
        f = torch.maximum if op == "maximum" else torch.minimum
        c.add(op, f"{op} #{i}", [x, y], f)
    elif op == "clamp":
        dt = any_dt(rng, 0.85)
        x = data(rng, a, dt, rng.choice(["ties", "normal", "special"]))
        lo = data(rng, b, dt if rng.random() < 0.8 else any_dt(rng), "ties") if rng.random() < 0.8 else None
        hi = data(rng, pair_shapes(rng)[0] if rng.random() < 0.2 else b, dt, "ties") if rng.random() < 0.8 or lo is None else None
        if hi is not None and rng.random() < 0.7:
            hi = hi.abs() if hi.dtype != B else hi
        inputs = [x] + [v for v in (lo, hi) if v is not None]
        which = ("min" if lo is not None else "") + ("max" if hi is not None else "")

        def fn(x, *bounds):
            it = iter(bounds)
            return torch.clamp(x, next(it) if lo is not None else None, next(it) if hi is not None else None)
        c.add("clamp_tensor", f"clamp_tensor {which} #{i}", inputs, fn, {"bounds": which})
    elif op == "clamp_scalar":
        dt = any_dt(rng, 0.85)
        x = data(rng, a, dt, rng.choice(["ties", "normal", "special"]))
        lo = rng.choice([None, -1.0, 0.5, -2])
        hi = rng.choice([None, 1.0, 2, -1.5]) if lo is not None else rng.choice([1.0, 2])
        c.add("clamp_scalar", f"clamp_scalar #{i}", [x], lambda x: torch.clamp(x, lo, hi), {"min": lo, "max": hi})
    elif op == "where":
        cond = data(rng, b, B)
        x = data(rng, a, any_dt(rng), "ties")
        y = data(rng, pair_shapes(rng)[0] if rng.random() < 0.3 else a, any_dt(rng) if rng.random() < 0.3 else x.dtype, "normal")
        if rng.random() < 0.05:
            cond = cond.to(F32)
        c.add("where", f"where #{i}", [cond, x, y], torch.where)
    else:
        cond = data(rng, b, B)
        x = data(rng, a, any_dt(rng, 0.8), "ties")
        other = rng.choice([0.0, -1.5, 2.0, 0, 3])
        c.add("where_scalar", f"where_scalar #{i}", [cond, x], lambda cond, x: torch.where(cond, x, other), {"other": other})


def gen_reduce_index(c, rng, i):
    op = rng.choice(["argmax", "argmin", "repeat", "expand", "tile", "gather", "index_select", "flatten", "unflatten"])
    rank = rng.randint(0, 3)
    shape = sizes(rng, rank, 1, 4)
    dt = any_dt(rng, 0.8)
    x = data(rng, shape, dt, rng.choice(["ties", "normal", "special"]))
    if op in ("argmax", "argmin"):
        if rank and rng.random() < 0.05:
            shape[0] = 0
            x = data(rng, shape, dt)
        dim = None if rng.random() < 0.3 else rng.randint(-max(rank, 1), max(rank, 1) - 1)
        keep = rng.random() < 0.4
        f = torch.argmax if op == "argmax" else torch.argmin
        c.add(op, f"{op} #{i}", [x], lambda x: f(x, dim, keep), {"dim": dim, "keepdim": keep})
    elif op == "repeat":
        reps = [rng.randint(0 if rng.random() < 0.1 else 1, 3) for _ in range(rank + rng.randint(0, 2))]
        if rng.random() < 0.03 and rank:
            reps = reps[:rank - 1] if rank > 1 else [-1]
        c.add(op, f"{op} #{i}", [x], lambda x: x.repeat(*reps) if reps else x.repeat(()), {"sizes": reps})
    elif op == "expand":
        base = [1 if rng.random() < 0.5 else s for s in shape]
        x = data(rng, base, dt, "normal")
        lead = sizes(rng, rng.randint(0, 2), 1, 3)
        target = lead + [(-1 if rng.random() < 0.3 else (rng.randint(1, 3) if s == 1 else s)) for s in base]
        if rng.random() < 0.05 and base:
            target[-1] = base[-1] + 1 if base[-1] != 1 else target[-1]
        c.add(op, f"{op} #{i}", [x], lambda x: x.expand(*target) if target else x.expand(()), {"sizes": target})
    elif op == "tile":
        reps = [rng.randint(0 if rng.random() < 0.1 else 1, 3) for _ in range(rng.randint(0, rank + 1))]
        c.add(op, f"{op} #{i}", [x], lambda x: torch.tile(x, tuple(reps)), {"dims": reps})
    elif op == "gather":
        if rank == 0:
            x = data(rng, [3], dt)
            rank, shape = 1, [3]
        dim = rng.randint(-rank, rank - 1)
        ishape = [rng.randint(0 if rng.random() < 0.05 else 1, s) if j != dim % rank else rng.randint(1, 5) for j, s in enumerate(shape)]
        n = 1
        for s in ishape:
            n *= s
        idx = torch.tensor([rng.randint(0, shape[dim] - 1) for _ in range(n)], dtype=I64).reshape(ishape)
        if rng.random() < 0.05 and n:
            idx.view(-1)[0] = shape[dim]
        c.add(op, f"{op} #{i}", [x, idx], lambda x, idx: torch.gather(x, dim, idx), {"dim": dim})
    elif op == "index_select":
        dim = rng.randint(-max(rank, 1), max(rank, 1) - 1)
        size = shape[dim] if rank else 1
        # For a 0-d input PyTorch writes every selected element into a 0-d result (a heap overflow for
        # several) and leaves it uninitialised for none: exactly one index there.
        n = rng.randint(0, 5) if rank else 1
        idx = torch.tensor([rng.randint(0, size - 1) for _ in range(n)], dtype=I64)
        if rng.random() < 0.15 and n:
            idx = idx[0]  # 0-d index
        if rng.random() < 0.04:
            idx = torch.tensor([size], dtype=I64)
        c.add(op, f"{op} #{i}", [x, idx], lambda x, idx: torch.index_select(x, dim, idx), {"dim": dim})
    elif op == "flatten":
        r = max(rank, 1)
        s, e = rng.randint(-r, r - 1), rng.randint(-r, r - 1)
        c.add(op, f"{op} #{i}", [x], lambda x: torch.flatten(x, s, e), {"start": s, "end": e})
    else:
        if rank == 0:
            x = data(rng, [6], dt)
            rank, shape = 1, [6]
        dim = rng.randint(-rank, rank - 1)
        n = shape[dim]
        x = data(rng, shape[:dim % rank] + [n * 2] + shape[dim % rank + 1:], dt)
        n *= 2
        parts = [2, n // 2] if rng.random() < 0.5 else [n // 2, 1, 2]
        if rng.random() < 0.4:
            parts[rng.randrange(len(parts))] = -1
        if rng.random() < 0.05:
            parts = [n + 1]
        c.add(op, f"{op} #{i}", [x], lambda x: x.unflatten(dim, tuple(parts)), {"dim": dim, "sizes": parts})


def gen_arith(c, rng, i):
    """Binary ops and numbers: type promotion (0-d tensors count by category only), int64/bool semantics."""
    op = rng.choice(["add", "sub", "mul", "div", "pow", "eq", "lt", "ge", "bitwise_and", "scalar"])
    a, b = pair_shapes(rng)
    if rng.random() < 0.35:
        (a, b) = ([], b) if rng.random() < 0.5 else (a, [])
    x = data(rng, a, any_dt(rng, 0.6), "ties")
    y = data(rng, b, any_dt(rng, 0.6), "ties")
    if op == "pow":
        x = x.abs() if x.dtype != B else x
        if y.dtype == I64:
            y = y.abs()  # negative integer powers of integers raise
    if op == "div" and y.is_floating_point():
        y = torch.where(y == 0, torch.ones_like(y), y)  # x/0 is a pole: its derivatives there are artefacts
    fns = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div, "pow": torch.pow, "eq": torch.eq,
           "lt": torch.lt, "ge": torch.ge, "bitwise_and": torch.bitwise_and}
    if op != "scalar":
        c.add(op, f"{op} #{i}", [x, y], fns[op])
        return
    sop = rng.choice(["add", "sub", "mul", "div", "pow", "rsub"])
    v = rng.choice([2, -1, 0.5, 2.0, -1.5, 3])
    if sop == "pow" and x.dtype in (I64, B) and isinstance(v, int) and v < 0:
        v = 2
    f = {"add": lambda x: x + v, "sub": lambda x: x - v, "mul": lambda x: x * v, "div": lambda x: x / v, "pow": lambda x: x ** v,
         "rsub": lambda x: v - x}[sop]
    c.add("scalar_" + sop, f"scalar_{sop} #{i}", [x], f, {"value": v})


# ---------------------------------------------------------------------------------------------
# Embedding, norms, pixel shuffle

def gen_embedding(c, rng, i):
    dt = fdt(rng)
    n, dim = rng.randint(1, 6), rng.randint(1, 4)
    w = data(rng, [n, dim], dt, "normal") * rng.choice([1.0, 3.0])
    ishape = sizes(rng, rng.randint(0, 3), 1, 4)
    m = 1
    for s in ishape:
        m *= s
    ids = torch.tensor([rng.randint(0, n - 1) for _ in range(m)], dtype=I64).reshape(ishape)
    if rng.random() < 0.04 and m:
        ids.view(-1)[0] = n
    pad = rng.choice([None, None, rng.randint(-n, n - 1)])
    max_norm = rng.choice([None, None, 1.0, 0.5, 2.5])
    norm_type = rng.choice([2.0, 1.0, 3.0])
    freq = rng.random() < 0.3
    c.add("embedding", f"embedding #{i}", [ids, w],
          lambda ids, w: (F.embedding(ids, w, pad, max_norm, norm_type, freq), w.detach().clone()),
          {"padding_idx": pad, "max_norm": max_norm, "norm_type": norm_type, "scale_grad_by_freq": freq})


def gen_norm(c, rng, i):
    dt = fdt(rng)
    op = rng.choice(["layer_norm", "group_norm", "instance_norm", "batch_norm", "batch_norm"])
    eps = rng.choice([1e-5, 1e-3, 0.1])
    if op == "layer_norm":
        shape = sizes(rng, rng.randint(1, 4), 1, 4)
        k = rng.randint(1, len(shape))
        ns = shape[-k:]
        if rng.random() < 0.04:
            ns = [s + 1 for s in ns]
        x = data(rng, shape, dt, "normal") * 2 + 1
        affine = rng.choice(["both", "none", "weight"])
        inputs = [x] + ([data(rng, ns, dt), data(rng, ns, dt)] if affine == "both" else [data(rng, ns, dt)] if affine == "weight" else [])
        c.add(op, f"{op} #{i}", inputs, lambda x, w=None, b=None: F.layer_norm(x, tuple(ns), w, b, eps),
              {"shape": ns, "eps": eps, "affine": affine})
        return
    N, C = rng.randint(1, 3), rng.randint(1, 4)
    spatial = sizes(rng, {"group_norm": rng.randint(0, 3), "instance_norm": rng.randint(1, 3), "batch_norm": rng.randint(0, 3)}[op], 1, 3)
    x = data(rng, [N, C] + spatial, dt, "normal") * 2 + 0.5
    w, b = data(rng, [C], dt), data(rng, [C], dt)
    affine = rng.choice(["both", "none", "weight"])
    wb = [w, b] if affine == "both" else [w] if affine == "weight" else []
    if op == "group_norm":
        divisors = [g for g in range(1, C + 1) if C % g == 0]
        groups = rng.choice(divisors) if rng.random() > 0.05 else C + 1
        c.add(op, f"{op} #{i}", [x] + wb, lambda x, w=None, b=None: F.group_norm(x, groups, w, b, eps),
              {"groups": groups, "eps": eps, "affine": affine})
        return
    running = rng.random() < 0.6
    momentum = rng.choice([0.1, 0.3, 1.0, 0.0])
    rm, rv = data(rng, [C], dt), data(rng, [C], dt, "positive")
    if op == "instance_norm":
        use_input = rng.random() < 0.75 or not running
        if not use_input and rng.random() < 0.5:
            x = x[0]  # F.instance_norm rejects unbatched inputs; the modules take them
        inputs = [x] + ([rm, rv] if running else []) + wb
        nrun = 2 if running else 0

        def fn(x, *rest):
            r = rest[:nrun]
            a = rest[nrun:]
            y = F.instance_norm(x, r[0] if r else None, r[1] if r else None, a[0] if a else None, a[1] if len(a) > 1 else None,
                                use_input, momentum, eps)
            return (y, *[v.detach().clone() for v in r])
        c.add(op, f"{op} #{i}", inputs, fn, {"running": running, "use_input_stats": use_input, "momentum": momentum, "eps": eps,
                                               "affine": affine}, grad_inputs=[0] + list(range(1 + nrun, 1 + nrun + len(wb))))
        return
    training = rng.random() < 0.6 or not running
    if training and rng.random() < 0.05:
        x = data(rng, [1, C], dt)  # one value per channel: PyTorch refuses to train on it
    inputs = [x] + ([rm, rv] if running else []) + wb
    nrun = 2 if running else 0

    def fn(x, *rest):
        r = rest[:nrun]
        a = rest[nrun:]
        y = F.batch_norm(x, r[0] if r else None, r[1] if r else None, a[0] if a else None, a[1] if len(a) > 1 else None,
                         training, momentum, eps)
        return (y, *[v.detach().clone() for v in r])
    c.add(op, f"{op} #{i}", inputs, fn, {"running": running, "training": training, "momentum": momentum, "eps": eps, "affine": affine},
          grad_inputs=[0] + list(range(1 + nrun, 1 + nrun + len(wb))))


def gen_shuffle(c, rng, i):
    dt = fdt(rng)
    r = rng.randint(1, 3)
    lead = sizes(rng, rng.randint(0, 2), 1, 2)
    if rng.random() < 0.5:
        shape = lead + [rng.randint(1, 2) * r * r, rng.randint(1, 3), rng.randint(1, 3)]
        if rng.random() < 0.05:
            shape[-3] += 1
        x = data(rng, shape, dt)
        c.add("pixel_shuffle", f"pixel_shuffle #{i}", [x], lambda x: F.pixel_shuffle(x, r), {"r": r})
    else:
        shape = lead + [rng.randint(1, 3), rng.randint(1, 2) * r, rng.randint(1, 3) * r]
        if rng.random() < 0.05:
            shape[-1] += 1
        x = data(rng, shape, dt)
        c.add("pixel_unshuffle", f"pixel_unshuffle #{i}", [x], lambda x: F.pixel_unshuffle(x, r), {"r": r})


# ---------------------------------------------------------------------------------------------
# Convolution (functional)

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONVT = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def conv_config(rng, rank, transposed):
    groups = rng.choice([1, 1, 1, 2, 3])
    cin, cout = groups * rng.randint(1, 2), groups * rng.randint(1, 2)
    k = sizes(rng, rank, 1, 4 if rank < 3 else 3)
    s = sizes(rng, rank, 1, 3)
    d = [rng.choice([1, 1, 2]) for _ in range(rank)]
    if transposed:
        p = [rng.randint(0, (d[j] * (k[j] - 1)) // 2 + 1) for j in range(rank)]
        op_ = [rng.randint(0, max(s[j], d[j]) - 1) for j in range(rank)]
        if rng.random() < 0.04:
            op_[0] = max(s[0], d[0])
    else:
        mode = rng.choice(["ints", "ints", "ints", "same", "valid"])
        if mode == "same":
            p = "same"
            if rng.random() > 0.05:
                s = [1] * rank
        elif mode == "valid":
            p = "valid"
        else:
            p = [rng.randint(0, d[j] * (k[j] - 1) // 2 + 1) for j in range(rank)]
        op_ = None
    if rng.random() < 0.04:
        cin += 1  # channels not divisible by groups
    return groups, cin, cout, k, s, p, d, op_


def gen_conv(c, rng, i):
    rank = rng.choice([1, 1, 2, 3])
    transposed = rng.random() < 0.45
    dt = fdt(rng)
    groups, cin, cout, k, s, p, d, opad = conv_config(rng, rank, transposed)
    batched = rng.random() < 0.8
    spatial = sizes(rng, rank, 1, {1: 9, 2: 6, 3: 4}[rank])
    if not transposed:
        spatial = [sp + (d[j] * (k[j] - 1) if rng.random() < 0.7 else 0) for j, sp in enumerate(spatial)]
    x = data(rng, ([rng.randint(1, 2)] if batched else []) + [cin] + spatial, dt, "normal")
    w = data(rng, ([cin, cout // groups] if transposed else [cout, cin // groups]) + k, dt, "normal")
    bias = data(rng, [cout], dt) if rng.random() < 0.6 else None
    one = (lambda v: v if isinstance(v, str) else v[0]) if rank == 1 else (lambda v: v if isinstance(v, str) else tuple(v))
    inputs = [x, w] + ([bias] if bias is not None else [])
    name = f"conv{'_transpose' if transposed else ''}{rank}d #{i}"
    args = {"rank": rank, "stride": s, "padding": p, "dilation": d, "groups": groups}
    if transposed:
        f = CONVT[rank]
        args["output_padding"] = opad
        c.add(f"conv_transpose{rank}d", name, inputs,
              lambda x, w, b=None: f(x, w, b, one(s), one(p), one(opad), groups, one(d)), args)
    else:
        f = CONV[rank]
        c.add(f"conv{rank}d", name, inputs, lambda x, w, b=None: f(x, w, b, one(s), one(p), one(d), groups), args)


# ---------------------------------------------------------------------------------------------
# Modules: state-dict names, defaults, padding_mode, output_size, running statistics over steps

CONV_MOD = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}
CONVT_MOD = {1: nn.ConvTranspose1d, 2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}


def gen_conv_module(c, rng, i):
    rank = rng.choice([1, 2, 3])
    transposed = rng.random() < 0.35
    dt = fdt(rng)
    groups, cin, cout, k, s, p, d, opad = conv_config(rng, rank, transposed)
    if cin % groups:
        cin -= 1
    bias = rng.random() < 0.7
    mode = "zeros" if transposed else rng.choice(["zeros", "reflect", "replicate", "circular"])
    one = (lambda v: v if isinstance(v, str) else v[0]) if rank == 1 else (lambda v: v if isinstance(v, str) else tuple(v))
    args = {"rank": rank, "transposed": transposed, "in": cin, "out": cout, "k": k, "stride": s, "padding": p, "dilation": d,
            "groups": groups, "bias": bias, "padding_mode": mode}
    torch.manual_seed(rng.randint(0, 2**31))
    if transposed:
        args["output_padding"] = opad
    try:
        if transposed:
            m = CONVT_MOD[rank](cin, cout, one(k), one(s), one(p), one(opad), groups, bias, one(d)).to(dt)
        else:
            m = CONV_MOD[rank](cin, cout, one(k), one(s), one(p), one(d), groups, bias, mode).to(dt)
    except (ValueError, RuntimeError) as e:  # the constructor refuses (e.g. 'same' with a stride)
        args["keys"] = []
        c._record_error("conv_module", f"{'ConvTranspose' if transposed else 'Conv'}{rank}d {mode} #{i}",
                        [data(rng, [cin] + sizes(rng, rank, 2, 4), dt)], args, e)
        return
    args["keys"] = list(m.state_dict().keys())
    batched = rng.random() < 0.8
    spatial = sizes(rng, rank, 2, {1: 9, 2: 6, 3: 4}[rank])
    if not transposed:
        spatial = [sp + d[j] * (k[j] - 1) for j, sp in enumerate(spatial)]
    x = data(rng, ([rng.randint(1, 2)] if batched else []) + [cin] + spatial, dt, "normal")
    size, base = None, None
    if transposed and rng.random() < 0.5:
        try:
            with torch.no_grad():
                base = m(x)
        except RuntimeError:
            base = None  # the forward itself is refused: recorded as an error case below
    if base is not None:
        size = [base.shape[-rank + j] - opad[j] + rng.randint(0, max(s[j], d[j]) - 1) for j in range(rank)]
        if rng.random() < 0.05:
            size[0] += max(s[0], d[0]) + 1
        args["output_size"] = size
    params = [v.detach() for v in m.state_dict().values()]

    # The parameters are inputs of the case, so the gradients reach them: call the module's own
    # functional path with them.

    def diff(x, w, b=None):
        if transposed:
            if size is not None:
                op2 = m._output_padding(x, size, list(m.stride), list(m.padding), list(m.kernel_size), rank, list(m.dilation))
            else:
                op2 = m.output_padding
            return CONVT[rank](x, w, b, m.stride, m.padding, op2, groups, m.dilation)
        if mode == "circular" and x.dim() == rank + 1:
            # PyTorch 1.13's circular pad refuses an unbatched input ("Invalid padding size"; later
            # versions accept it): the answer a user expects is the batched one without the batch.
            return m._conv_forward(x.unsqueeze(0), w, b).squeeze(0)
        return m._conv_forward(x, w, b)
    c.add("conv_module", f"{'ConvTranspose' if transposed else 'Conv'}{rank}d {mode} #{i}", [x] + params, diff, args)


NORM_MOD = {"BatchNorm1d": nn.BatchNorm1d, "BatchNorm2d": nn.BatchNorm2d, "BatchNorm3d": nn.BatchNorm3d,
            "InstanceNorm1d": nn.InstanceNorm1d, "InstanceNorm2d": nn.InstanceNorm2d, "InstanceNorm3d": nn.InstanceNorm3d}
NORM_RANK = {"BatchNorm1d": (0, 1), "BatchNorm2d": (2,), "BatchNorm3d": (3,), "InstanceNorm1d": (1,), "InstanceNorm2d": (2,), "InstanceNorm3d": (3,)}


def gen_norm_module(c, rng, i):
    kind = rng.choice(list(NORM_MOD))
    dt = fdt(rng)
    C = rng.randint(1, 3)
    eps = rng.choice([1e-5, 1e-3])
    momentum = rng.choice([0.1, 0.5, None]) if kind.startswith("Batch") else rng.choice([0.1, 0.5])
    affine = rng.random() < 0.6 if kind.startswith("Instance") else rng.random() < 0.8
    track = rng.random() < (0.5 if kind.startswith("Instance") else 0.8)
    m = NORM_MOD[kind](C, eps, momentum, affine, track).to(dt)
    with torch.no_grad():
        for q in m.parameters():
            q.copy_(data(rng, list(q.shape), dt))
    keys = list(m.state_dict().keys())
    steps = []
    spatial_rank = rng.choice(NORM_RANK[kind])
    unbatched_ok = kind.startswith("Instance")
    for _ in range(rng.randint(1, 3)):
        train = rng.random() < 0.7
        shape = [rng.randint(2, 3), C] + sizes(rng, spatial_rank, 2, 3)
        if unbatched_ok and rng.random() < 0.25:
            shape = shape[1:]
        steps.append((train, data(rng, shape, dt, "normal") * 2 + 0.5))
    state0 = {k: v.clone() for k, v in m.state_dict().items()}
    inputs = [x for _, x in steps] + [state0[k] for k in keys]
    last = len(steps) - 1

    def fn(*xs):
        m.load_state_dict(dict(zip(keys, [v.detach().clone() for v in xs[len(steps):]])))
        outs = []
        for (train, _), x in zip(steps, xs[:len(steps)]):
            m.train(train)
            outs.append(m(x))
        # The last step's output first: its gradient is recorded (an earlier eval step's backward would
        # read running statistics that later steps changed in place).
        return (outs[-1], *outs[:-1], *[v.detach().clone() for v in m.state_dict().values()])
    args = {"kind": kind, "C": C, "eps": eps, "momentum": momentum, "affine": affine, "track": track, "keys": keys,
            "train": [tr for tr, _ in steps]}
    c.add("norm_module", f"{kind} #{i}", inputs, fn, args, grad_inputs=[last], double=False, ref64=False)


def maybe(rng, kw, key, value, p=0.5):
    """Sets kw[key] with probability p (else the module's default is what is tested)."""
    if rng.random() < p:
        kw[key] = value


def rank_size(rng, rank, lo, hi, tuple_p=0.5):
    v = sizes(rng, rank, lo, hi)
    return v[0] if rank == 1 or (rng.random() > tuple_p and len(set(v)) == 1) else tuple(v)


def module_case(rng):
    """A module name, constructor kwargs (a random subset: the rest are defaults), its input tensors
    (special values only for the activations: elsewhere ±inf gives NaN patterns that depend on the formula)."""
    dt = fdt(rng)
    plain = rng.choice(["normal", "normal", "ties"])
    data_ = globals()["data"]

    def data(rng, shape, dtype, kind=None):  # noqa: F811
        return data_(rng, shape, dtype, kind or plain)
    kind = rng.choice(["pool", "pool", "adaptive", "softmax", "activation", "activation", "shape", "norm", "embedding", "loss", "loss"])
    kw = {}
    if kind == "pool":
        rank = rng.randint(1, 3)
        name = rng.choice(["MaxPool", "AvgPool"]) + f"{rank}d"
        k = sizes(rng, rank, 1, 3)
        kw["kernel_size"] = k[0] if rank == 1 else tuple(k)
        maybe(rng, kw, "stride", rank_size(rng, rank, 1, 3))
        maybe(rng, kw, "padding", k[0] // 2 if rank == 1 else tuple(kk // 2 for kk in k))
        maybe(rng, kw, "ceil_mode", rng.random() < 0.5)
        if name.startswith("Max"):
            maybe(rng, kw, "dilation", rank_size(rng, rank, 1, 2), 0.3)
        else:
            maybe(rng, kw, "count_include_pad", rng.random() < 0.5)
            if rank > 1:
                maybe(rng, kw, "divisor_override", rng.randint(1, 4), 0.2)
        x = data(rng, [rng.randint(1, 2), rng.randint(1, 2)] + sizes(rng, rank, 4, 6), dt)
        return name, kw, [x]
    if kind == "adaptive":
        rank = rng.randint(1, 3)
        name = rng.choice(["AdaptiveMaxPool", "AdaptiveAvgPool"]) + f"{rank}d"
        out = [rng.randint(1, 4) if rank == 1 or rng.random() > 0.2 else None for _ in range(rank)]
        kw["output_size"] = out[0] if rank == 1 else tuple(out)
        return name, kw, [data(rng, [rng.randint(1, 2), 2] + sizes(rng, rank, 2, 5), dt)]
    if kind == "softmax":
        x = data(rng, sizes(rng, rng.randint(1, 3), 1, 4), dt)
        maybe(rng, kw, "dim", rng.randint(-x.dim(), x.dim() - 1), 0.8)
        return rng.choice(["Softmax", "LogSoftmax", "Softmin"]), kw, [x]
    if kind == "activation":
        name = rng.choice(["ELU", "SELU", "CELU", "GELU", "SiLU", "Mish", "Softplus", "Softsign", "Hardtanh", "ReLU6", "Hardsigmoid",
                           "Hardswish", "Threshold", "LogSigmoid", "GLU", "LeakyReLU", "ReLU", "Tanh", "Sigmoid"])
        params = {"ELU": {"alpha": 0.7}, "CELU": {"alpha": 1.3}, "GELU": {"approximate": "tanh"}, "Softplus": {"beta": 2.0, "threshold": 3.0},
                  "Hardtanh": {"min_val": -0.5, "max_val": 2.0}, "LeakyReLU": {"negative_slope": 0.2}, "GLU": {"dim": 0}}
        for key, value in params.get(name, {}).items():
            maybe(rng, kw, key, value)
        if name == "Threshold":
            kw.update(threshold=0.1, value=-3.0)
        x = data_(rng, [2, 4] + sizes(rng, rng.randint(0, 1), 1, 3), dt)
        return name, kw, [nan_in_vector_lanes(x) if name in NAN_BY_LANE else x]
    if kind == "shape":
        name = rng.choice(["Flatten", "Unflatten", "Identity", "PixelShuffle", "PixelUnshuffle", "Dropout", "Dropout2d"])
        if name == "Flatten":
            x = data(rng, sizes(rng, 4, 1, 3), dt)
            maybe(rng, kw, "start_dim", rng.randint(0, 2))
            maybe(rng, kw, "end_dim", rng.randint(2, 3) * rng.choice([1, -1]) if rng.random() < 0.5 else -1)
        elif name == "Unflatten":
            x = data(rng, [2, 6, 3], dt)
            kw.update(dim=1, unflattened_size=rng.choice([(2, 3), (3, -1), (6, 1)]))
        elif name == "PixelShuffle":
            x = data(rng, [1, 8, 2, 3], dt)
            kw["upscale_factor"] = 2
        elif name == "PixelUnshuffle":
            x = data(rng, [1, 2, 4, 6], dt)
            kw["downscale_factor"] = 2
        else:
            x = data(rng, [2, 3, 2, 2], dt)
            if name != "Identity":
                maybe(rng, kw, "p", 0.3)  # eval mode below: the identity
        return name, kw, [x]
    if kind == "norm":
        if rng.random() < 0.5:
            shape = [2, 3, 4]
            k = rng.randint(1, 2)
            kw["normalized_shape"] = shape[-1] if k == 1 and rng.random() < 0.5 else tuple(shape[-k:])
            maybe(rng, kw, "eps", 1e-3)
            maybe(rng, kw, "elementwise_affine", rng.random() < 0.5)
            return "LayerNorm", kw, [data(rng, shape, dt)]
        kw.update(num_groups=rng.choice([1, 2, 4]), num_channels=4)
        maybe(rng, kw, "eps", 1e-3)
        maybe(rng, kw, "affine", rng.random() < 0.5)
        return "GroupNorm", kw, [data(rng, [2, 4, 3], dt)]
    if kind == "embedding":
        kw.update(num_embeddings=5, embedding_dim=3)
        maybe(rng, kw, "padding_idx", rng.choice([0, -1, 3]))
        maybe(rng, kw, "max_norm", 1.0, 0.3)
        maybe(rng, kw, "norm_type", 1.0, 0.2)
        maybe(rng, kw, "scale_grad_by_freq", True, 0.2)
        ids = torch.tensor([[rng.randint(0, 4) for _ in range(3)] for _ in range(2)])
        return "Embedding", kw, [ids]
    name = rng.choice(["CrossEntropyLoss", "NLLLoss", "KLDivLoss", "MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss"])
    x = data(rng, [3, 4], dt)
    maybe(rng, kw, "reduction", rng.choice(["none", "sum", "mean"] + (["batchmean"] if name == "KLDivLoss" else [])))
    if name in ("CrossEntropyLoss", "NLLLoss"):
        y = torch.tensor([rng.randint(0, 3) for _ in range(3)])
        maybe(rng, kw, "ignore_index", rng.randint(0, 3), 0.3)
        maybe(rng, kw, "weight", data(rng, [4], dt, "positive"), 0.3)
        if name == "CrossEntropyLoss":
            maybe(rng, kw, "label_smoothing", 0.2, 0.3)
        return name, kw, [x, y]
    y = data(rng, [3, 4], dt)
    if name == "KLDivLoss":
        maybe(rng, kw, "log_target", True, 0.5)
        y = y if kw.get("log_target") else y.abs()
    elif name == "SmoothL1Loss":
        maybe(rng, kw, "beta", 0.5)
    elif name == "HuberLoss":
        maybe(rng, kw, "delta", 0.5)
    return name, kw, [x, y]


def repr_ambiguous(v):
    """PyTorch prints some arguments as the user wrote them: (2, 2) or 2, 2.0 or 2. MiniTorch holds a
    Size2/Size3 or a double and prints the short form, so print(module) is compared only without these."""
    return (isinstance(v, tuple) and len(v) > 1 and len(set(v)) == 1) or (isinstance(v, float) and v.is_integer())


def gen_module(c, rng, i):
    """Everyday modules built from PyTorch's keyword arguments (camelCase in C#, omitted ones by default)."""
    name, kw, xs = module_case(rng)
    tensor_kw = {k: v for k, v in kw.items() if isinstance(v, torch.Tensor)}
    m = getattr(nn, name)(**kw).to(xs[0].dtype if xs[0].is_floating_point() else torch.float32)
    if name in ("Dropout", "Dropout2d"):
        m.eval()
    with torch.no_grad():
        for q in m.parameters():
            q.copy_(data(rng, list(q.shape), q.dtype))
    keys = list(m.state_dict().keys())
    state = [v.detach().clone() for v in m.state_dict().values()]
    n_in = len(xs)
    args = {"module": name, "kwargs": {k: ({"tensor": n_in + len(state) + list(tensor_kw).index(k)} if k in tensor_kw else listify(v))
                                        for k, v in kw.items()},
            "keys": keys, "inputs": n_in, "eval": name in ("Dropout", "Dropout2d"),
            "repr": None if any(repr_ambiguous(v) for v in kw.values()) else str(m)}

    def fn(*ts):
        m.load_state_dict(dict(zip(keys, [v.detach().clone() for v in ts[n_in:n_in + len(state)]])))
        return m(*ts[:n_in])
    c.add("module", f"{name}({', '.join(f'{k}={v if not isinstance(v, torch.Tensor) else chr(84)}' for k, v in kw.items())}) #{i}",
          xs + state + list(tensor_kw.values()), fn, args, grad_inputs=[0], double=False, ref64=False)


def gen_pad(c, rng, i):
    """F.pad in every mode on 1-3 padded dimensions: batched and unbatched, zero and negative pads,
    reflect's limit (pad < size), constant's value, int64 and bool for constant."""
    dt = rng.choice([F32, F64, F64, I64, B])
    mode = rng.choice(["constant", "reflect", "replicate", "circular"] if dt.is_floating_point else ["constant", "constant", "circular", "reflect"])
    k = rng.randint(1, 3)
    lead = rng.choice([[], [2], [1, 2], [2, 3]]) if mode == "constant" else rng.choice([[2], [1, 2]] + ([[2, 3]] if k < 3 else []))
    spatial = sizes(rng, k, 1 if mode == "constant" else 2, 5)
    x = data(rng, lead + spatial, dt) if dt.is_floating_point else (data(rng, lead + spatial, F64) * 3).round().to(dt)
    pad = []
    for j in range(k):
        size = spatial[-1 - j]
        hi = size - 1 if mode == "reflect" else size
        # No negative circular pads: PyTorch 1.13 returns uninitialised memory for them.
        low = -1 if rng.random() < 0.15 and mode != "circular" else 0
        pad += [rng.randint(low, hi + (1 if rng.random() < 0.05 else 0)) for _ in range(2)]
    value = rng.choice([0.0, 1.5, -2.0]) if mode == "constant" else 0.0
    args = {"pad": pad, "mode": mode, "value": value}

    def fn(x):
        if mode == "circular" and x.dim() == k + 1:
            # PyTorch 1.13 refuses circular padding of an unbatched input; later versions accept it.
            return F.pad(x.unsqueeze(0), pad, mode).squeeze(0)
        return F.pad(x, pad, mode, value) if mode == "constant" else F.pad(x, pad, mode)
    c.add("pad", f"pad {mode} #{i}", [x], fn, args)


def gen_regressions(c):
    """The discrepancies the random sweep found, one named case each (see docs/conformance.md)."""
    d64 = lambda *v: torch.tensor(v, dtype=F64)  # noqa: E731
    L = lambda *v: torch.tensor(v, dtype=I64)  # noqa: E731
    kinks = d64(0.0, -1.0, 1.0)
    c.add("elu", "regression: elu double backward is 0 at x = 0", [kinks], lambda x: F.elu(x, 2.0), {"alpha": 2.0})
    c.add("celu", "regression: celu double backward is 0 at x = 0", [kinks], lambda x: F.celu(x, 0.5), {"alpha": 0.5})
    c.add("selu", "regression: selu double backward is 0 at x = 0", [kinks], F.selu)
    c.add("mish", "regression: mish double backward at x = 0 (smooth softplus)", [kinks], F.mish)
    c.add("hardswish", "regression: hardswish double backward is 0 at x = ±3", [d64(-3.0, 3.0, 0.5)], F.hardswish)
    c.add("softsign", "regression: softsign of int64 is float32", [L(1, -2, 0)], F.softsign)
    c.add("softsign", "regression: softsign gradient is NaN at ±inf, as PyTorch's composite", [d64(-INF, INF, 2.0)], F.softsign)
    c.add("hardtanh", "regression: hardtanh keeps int64", [L(-3, 0, 2)], lambda x: F.hardtanh(x, -1.0, 1.0), {"min_val": -1.0, "max_val": 1.0})
    c.add("relu6", "regression: relu6 keeps int64", [L(-3, 0, 9)], F.relu6)
    c.add("threshold", "regression: threshold keeps int64", [L(-3, 0, 9)], lambda x: F.threshold(x, 0.5, 7.0), {"threshold": 0.5, "value": 7.0})
    cond = torch.tensor([True, False, True])
    c.add("where_scalar", "regression: where(c, int64, 0.0) is float32", [cond, L(1, 2, 3)], lambda c_, x: torch.where(c_, x, 0.0), {"other": 0.0})
    c.add("where_scalar", "regression: where(c, int64, 0) stays int64", [cond, L(1, 2, 3)], lambda c_, x: torch.where(c_, x, 0), {"other": 0})
    c.add("where_scalar", "regression: where(c, bool, 0) is int64", [cond, cond], lambda c_, x: torch.where(c_, x, 0), {"other": 0})
    c.add("clamp_scalar", "regression: clamp(int64, -2, 1.0) is float32", [L(-5, 0, 5)], lambda x: torch.clamp(x, -2, 1.0), {"min": -2, "max": 1.0})
    c.add("clamp_scalar", "regression: clamp(int64, 0, 3) stays int64", [L(-5, 0, 5)], lambda x: torch.clamp(x, 0, 3), {"min": 0, "max": 3})
    c.add("clamp_tensor", "regression: clamp of bools raises", [cond, cond, cond], lambda x, lo, hi: torch.clamp(x, lo, hi), {"bounds": "minmax"})
    c.add("scalar_pow", "regression: int64 ** 2.0 is float32", [L(1, 2, 3)], lambda x: x ** 2.0, {"value": 2.0})
    c.add("scalar_pow", "regression: int64 ** 2 stays int64", [L(1, 2, 3)], lambda x: x ** 2, {"value": 2})
    c.add("pow", "regression: bool ** bool raises", [cond, cond], torch.pow)
    c.add("l1_loss", "regression: |x|'s gradient at NaN is 0 (torch.sign(NaN) = 0)", [d64(NAN, INF, 1.0, 2.0), d64(1.0, INF, NAN, 1.0)],
          lambda x, y: F.l1_loss(x, y, reduction="none"), {"reduction": "none"})
    # NaN in the gradients of the piecewise activations, as PyTorch's vectorised kernels (16 elements, so
    # PyTorch takes its vector path: its scalar tail differs for hardtanh and the ELU family).
    nan16 = d64(NAN, -0.5, 0.0, 2.0, -3.0, 6.0, 0.25, -1.0, 1.0, NAN, 3.0, -6.5, 0.5, 7.0, -0.25, 1.5)
    c.add("relu", "regression: relu passes the gradient at NaN (threshold_backward)", [nan16], F.relu)
    c.add("clamp_scalar", "regression: clamp's gradient is 0 at NaN", [nan16], lambda x: x.clamp(-0.5, 1.0), {"min": -0.5, "max": 1.0})
    c.add("clamp_scalar", "regression: clamp(min)'s gradient is 0 at NaN", [nan16], lambda x: x.clamp(min=0.25), {"min": 0.25, "max": None})
    c.add("hardtanh", "regression: hardtanh's gradient is 0 at NaN and at the bounds", [nan16], lambda x: F.hardtanh(x, -0.5, 1.0),
          {"min_val": -0.5, "max_val": 1.0})
    c.add("relu6", "regression: relu6's gradient is 0 at NaN", [nan16], F.relu6)
    c.add("elu", "regression: elu's gradient is NaN at NaN", [nan16], lambda x: F.elu(x, 0.7), {"alpha": 0.7})
    c.add("selu", "regression: selu's gradient is NaN at NaN", [nan16], F.selu)
    c.add("celu", "regression: celu's gradient is NaN at NaN", [nan16], lambda x: F.celu(x, 0.5), {"alpha": 0.5})
    c.add("celu", "regression: celu's gradient uses 1/float(alpha) (alpha = 1.3)", [d64(-2.0, -1.0, -0.0, 0.5, -7.0)],
          lambda x: F.celu(x, 1.3), {"alpha": 1.3})
    c.add("hardtanh", "regression: F.hardtanh accepts min_val > max_val (max_val everywhere)", [nan16], lambda x: F.hardtanh(x, 0.5, -0.5),
          {"min_val": 0.5, "max_val": -0.5})
    c.add("hardtanh", "regression: F.hardtanh of int64 with min_val > max_val", [L(-3, 0, 2)], lambda x: F.hardtanh(x, 2.0, -1.0),
          {"min_val": 2.0, "max_val": -1.0})
    c.add("clamp_tensor", "regression: clamp of bools with only max is a minimum", [cond, torch.tensor([False, True, False])],
          lambda x, hi: torch.clamp(x, max=hi), {"bounds": "max"})
    c.add("clamp_tensor", "regression: clamp of bools with only min is a maximum", [cond, torch.tensor([False, True, False])],
          lambda x, lo: torch.clamp(x, min=lo), {"bounds": "min"})
    for p in (2.0, 3.0):
        c.add("embedding", f"regression: embedding max_norm takes a float32 row's {p:g}-norm in float32 (overflow scales it to 0)",
              [torch.tensor([0, 1, 2]), torch.tensor([[1e19, 0.0, 0.0], [3e19, 4.0, 0.0], [0.6, -1e30, 1.7]])],
              lambda ids, w, p=p: (F.embedding(ids, w, None, 1.0, p), w.detach().clone()),
              {"padding_idx": None, "max_norm": 1.0, "norm_type": p, "scale_grad_by_freq": False})
    rm, rv = d64(0.5, -1.0), d64(2.0, 0.25)
    c.add("instance_norm", "regression: instance_norm of [N, C] with the running statistics", [d64(1.0, 2.0, -3.0, 0.5).reshape(2, 2), rm, rv],
          lambda x, m, v: F.instance_norm(x, m, v, use_input_stats=False),
          {"running": True, "use_input_stats": False, "momentum": 0.1, "eps": 1e-5, "affine": "none"}, grad_inputs=[0])
    c.add("instance_norm", "regression: instance_norm of [C] raises", [d64(1.0, 2.0), rm, rv],
          lambda x, m, v: F.instance_norm(x, m, v, use_input_stats=False),
          {"running": True, "use_input_stats": False, "momentum": 0.1, "eps": 1e-5, "affine": "none"})
    c.add("pow", "regression: pow(int64, float64)'s exponent gradient takes ln of the base in float32, as PyTorch",
          [L(3, 7, 2, 5), d64(0.5, 1.3, -2.0, 2.5)], torch.pow)
    c.add("argmin", "regression: argmin of bools over a dimension of one element is 0", [torch.tensor([[True, False, True]])],
          lambda x: torch.argmin(x, 0, True), {"dim": 0, "keepdim": True})
    c.add("argmax", "regression: argmax of bools over a dimension of several elements raises", [torch.tensor([[True, False, True]])],
          lambda x: torch.argmax(x, 1), {"dim": 1, "keepdim": False})
    for r, shape in ((1, [2, 3, 0]), (2, [2, 1, 0, 3]), (3, [1, 2, 0, 3, 1])):
        f = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}[r]
        c.add(f"adaptive_avg_pool{r}d", f"regression: adaptive_avg_pool{r}d of an empty plane to size 1 is NaN (PyTorch's mean shortcut)",
              [torch.zeros(shape, dtype=F64)], lambda x, f=f, r=r: f(x, [1] * r if r > 1 else 1), {"out": [1] * r})
        c.add(f"adaptive_avg_pool{r}d", f"regression: adaptive_avg_pool{r}d of an empty plane to size 2 raises",
              [torch.zeros(shape, dtype=F64)], lambda x, f=f, r=r: f(x, [2] * r if r > 1 else 2), {"out": [2] * r})
    pads = {"pad": [1, 1], "mode": "constant", "value": 1.5}
    c.add("pad", "regression: constant padding of int64 casts the value", [L(1, 2, 3).reshape(1, 3)], lambda x: F.pad(x, [1, 1], value=1.5), pads)
    c.add("pad", "regression: constant padding of bools", [cond.reshape(1, 3)], lambda x: F.pad(x, [1, 1], value=1.5), pads)
    c.add("pad", "regression: circular padding of int64", [L(1, 2, 3).reshape(1, 1, 3)], lambda x: F.pad(x, [1, 2], "circular"),
          {"pad": [1, 2], "mode": "circular", "value": 0.0})
    c.add("pad", "regression: reflect padding of int64 raises", [L(1, 2, 3).reshape(1, 1, 3)], lambda x: F.pad(x, [1, 1], "reflect"),
          {"pad": [1, 1], "mode": "reflect", "value": 0.0})
    c.add("pad", "regression: constant crop to nothing is empty", [d64(1.0, 2.0).reshape(1, 2)], lambda x: F.pad(x, [-1, -1]),
          {"pad": [-1, -1], "mode": "constant", "value": 0.0})
    c.add("pad", "regression: constant pad emptying a dimension while growing another raises", [d64(1.0, 2.0).reshape(1, 2)],
          lambda x: F.pad(x, [1, 0, -1, 0]), {"pad": [1, 0, -1, 0], "mode": "constant", "value": 0.0})
    c.add("pad", "regression: 2-d reflect padding may empty one dimension", [torch.randn(1, 2, 3, 2, dtype=F64)],
          lambda x: F.pad(x, [-1, -1, 1, 1], "reflect"), {"pad": [-1, -1, 1, 1], "mode": "reflect", "value": 0.0})
    c.add("pad", "regression: 1-d reflect padding to nothing raises", [torch.randn(1, 2, 2, dtype=F64)],
          lambda x: F.pad(x, [-1, -1], "reflect"), {"pad": [-1, -1], "mode": "reflect", "value": 0.0})
    c.add("pow", "regression: pow gradients at 0^0, 0^2, 0^-1 (PyTorch's masks)", [d64(0.0, 0.0, 0.0, 2.0), d64(0.0, 2.0, -1.0, 0.0)], torch.pow)
    f3 = torch.tensor([1.5, -2.0, 0.25])
    c.add("add", "regression: float32 [3] + 0-d float64 is float32", [f3, torch.tensor(0.1, dtype=F64)], torch.add)
    c.add("mul", "regression: int64 [3] * 0-d float64 is float64", [L(1, 2, 3), torch.tensor(0.1, dtype=F64)], torch.mul)
    c.add("maximum", "regression: maximum(float32 [3], 0-d float64) is float32", [f3, torch.tensor(0.1, dtype=F64)], torch.maximum)
    c.add("kl_div", "regression: kl_div(float32 [3], 0-d float64) is float32", [f3, torch.tensor(0.3, dtype=F64)],
          lambda x, y: F.kl_div(x, y, reduction="sum"), {"reduction": "sum", "log_target": False})
    c.add("mse_loss", "regression: mse_loss(float32 [3], 0-d float64) broadcasts first: float64", [f3, torch.tensor(0.3, dtype=F64)],
          lambda x, y: F.mse_loss(x, y, reduction="none"), {"reduction": "none"})
    c.add("huber_loss", "regression: huber_loss(float32, float64) is float32 (the input's type)", [f3, f3.double() * 2],
          lambda x, y: F.huber_loss(x, y, reduction="none"), {"reduction": "none", "delta": 1.0})
    c.add("index_select", "regression: index_select of a 0-d tensor is 0-d", [torch.tensor(5.0), L(0, 0, 0)], lambda x, i: torch.index_select(x, -1, i), {"dim": -1})
    y, idx = F.max_pool2d(torch.randn(1, 2, 2, 1), (4, 1), (4, 1), (2, 0), return_indices=True)
    c.add("max_unpool2d", "regression: max_unpool2d to an empty output checks no index", [y, idx],
          lambda y, i: F.max_unpool2d(y, i, (4, 1), (4, 1), (2, 0)), {"k": [4, 1], "s": [4, 1], "p": [2, 0], "size": None})
    c.add("avg_pool3d", "regression: avg_pool3d refuses an input smaller than the kernel", [torch.randn(1, 2, 3, 1, 4)],
          lambda x: F.avg_pool3d(x, (4, 2, 2), (3, 2, 3), (1, 0, 0), True), {"k": [4, 2, 2], "s": [3, 2, 3], "p": [1, 0, 0], "ceil": True, "cip": True, "div": None})
    c.add("group_norm", "regression: group_norm refuses one value per group", [torch.randn(1, 3)], lambda x: F.group_norm(x, 3),
          {"groups": 3, "eps": 1e-5, "affine": "none"})
    c.add("adaptive_max_pool3d", "regression: adaptive_max_pool3d returns indices", [torch.randn(1, 2, 3, 4, 5)],
          lambda x: F.adaptive_max_pool3d(x, (2, None, 3), return_indices=True), {"out": [2, None, 3]})


FAMILIES = [
    ("pool", gen_pool, 180), ("softmax", gen_softmax, 60), ("cross_entropy", gen_cross_entropy, 80), ("nll", gen_nll, 40),
    ("regression", gen_regression, 60), ("activation", gen_activation, 120), ("elementwise", gen_elementwise, 80),
    ("reduce_index", gen_reduce_index, 100), ("arith", gen_arith, 80), ("embedding", gen_embedding, 40), ("norm", gen_norm, 80), ("shuffle", gen_shuffle, 20),
    ("conv", gen_conv, 120), ("conv_module", gen_conv_module, 60), ("norm_module", gen_norm_module, 40), ("module", gen_module, 120), ("pad", gen_pad, 80),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies every family's number of draws")
    ap.add_argument("--seed", type=int, default=20261207)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "conformance.json"))
    ap.add_argument("--only", default=None, help="comma-separated family names")
    a = ap.parse_args()
    c = Sweep()
    torch.manual_seed(a.seed)
    gen_regressions(c)
    for fam, gen, n in FAMILIES:
        if a.only and fam not in a.only.split(","):
            continue
        rng = random.Random(a.seed * 1000003 + zlib.crc32(fam.encode()))
        torch.manual_seed(rng.randint(0, 2**31))
        for i in range(int(n * a.scale)):
            gen(c, rng, i)
    c.write(a.out, a.seed, a.scale)


if __name__ == "__main__":
    main()
