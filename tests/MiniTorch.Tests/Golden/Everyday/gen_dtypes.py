#!/usr/bin/python3
"""Goldens for int64 and bool tensors, type promotion, comparisons, where, maximum/minimum,
clamp with tensor bounds, argmax/argmin (PyTorch 1.13). Run: /usr/bin/python3 gen_dtypes.py"""
import json
import os
import torch
from golden import Cases, t

c = Cases(20261201)
nan = float("nan")

f32 = torch.tensor([[1.5, -2.0, 0.0], [3.25, -0.5, 7.0]])
f64 = f32.double() * 1.25
i64 = torch.tensor([[3, -7, 0], [2, 5, -1]])
b = torch.tensor([[True, False, True], [False, False, True]])
row_i = torch.tensor([2, -3, 4])
row_b = torch.tensor([True, True, False])
ops = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div}
pairs = [(f32, i64), (i64, f32), (f64, i64), (i64, i64), (i64, row_i), (b, i64), (b, row_b), (f32, b), (i64, f64.float()), (f32, f64)]
for name, fn in ops.items():
    for x, y in pairs:
        c.either(name, [x, y], fn, name=f"{name} {x.dtype} {y.dtype}")

# Numbers: a whole number keeps an int64 tensor int64, a fractional one makes it float32.
for name, fn in ops.items():
    for v, integral in ((2, True), (2.5, False), (-3, True)):
        for x in (i64, f32, b, f64):
            c.either(name + "_scalar", [x], lambda x, v=v, fn=fn: fn(x, v), args={"value": v, "integral": integral},
                  name=f"{name} {x.dtype} {v}")
c.add("neg", [i64], torch.neg)
c.add("abs", [i64], torch.abs)
c.error("neg", [b], torch.neg, name="neg bool")
c.add("relu", [i64], torch.relu, name="relu int64")
c.add("pow", [torch.tensor([2, -3, 5, 1, -1, 7]), torch.tensor([3, 2, 0, -2, -3, -1])], torch.pow, name="pow int64")
c.add("pow_scalar", [i64], lambda x: x ** 2, args={"value": 2}, name="pow int64 2")
c.add("pow_scalar", [i64], lambda x: x ** 0.5, args={"value": 0.5}, name="pow int64 0.5 (float)")
for fn_name in ("exp", "log", "sqrt", "tanh", "sigmoid"):
    c.add(fn_name, [torch.tensor([1, 2, 4])], getattr(torch, fn_name), name=f"{fn_name} int64 -> float32")
c.error("mean", [i64], torch.mean, name="mean int64")
c.add("sum", [i64], torch.sum, name="sum int64")
c.add("sum", [b], torch.sum, name="sum bool")
c.add("sum_dim", [i64], lambda x: x.sum(1), args={"dim": 1, "keepdim": False}, name="sum int64 dim 1")
c.add("sum_dim", [b], lambda x: x.sum(0, keepdim=True), args={"dim": 0, "keepdim": True}, name="sum bool dim 0 keepdim")

# Comparisons: NaN compares false except for !=; mixed types promote.
fa = torch.tensor([1.0, nan, 2.0, -1.0, 3.0, nan])
fb = torch.tensor([1.0, 1.0, 3.0, -2.0, 3.0, nan])
for name in ("eq", "ne", "lt", "le", "gt", "ge"):
    fn = getattr(torch, name)
    c.add(name, [fa, fb], fn, name=f"{name} float32 nan")
    c.add(name, [i64, row_i], fn, name=f"{name} int64 broadcast")
    c.add(name, [i64, f32], fn, name=f"{name} int64 float32")
    c.add(name, [b, row_b], fn, name=f"{name} bool")
    c.add(name + "_scalar", [i64], lambda x, fn=fn: fn(x, 2), args={"value": 2}, name=f"{name} int64 2")
    c.add(name + "_scalar", [i64], lambda x, fn=fn: fn(x, 2.5), args={"value": 2.5}, name=f"{name} int64 2.5")
c.add("logical_not", [b], torch.logical_not)
c.add("logical_not", [f32], torch.logical_not, name="logical_not float32")
for name in ("and", "or", "xor"):
    c.add(name, [b, row_b], getattr(torch, "logical_" + name), name=f"logical_{name}")
    c.add("bitwise_" + name, [i64, row_i], getattr(torch, "bitwise_" + name), name=f"bitwise_{name} int64")
c.add("bitwise_not", [i64], torch.bitwise_not, name="bitwise_not int64")

# Conversions.
conv_src = [torch.tensor([1.5, -1.7, 0.0, -0.2, 2.9, 1e10]), torch.tensor([0.0, -0.0, 2.0, nan]),
            torch.tensor([-3, 0, 5]), torch.tensor([True, False])]
for x in conv_src:
    for dt in (torch.float32, torch.float64, torch.int64, torch.bool):
        if x.dtype == dt or (x.isnan().any() and dt == torch.int64):
            continue
        c.add("to", [x], lambda x, dt=dt: x.to(dt), args={"dtype": str(dt).replace("torch.", "")}, name=f"to {x.dtype} -> {dt}")

# where: the gradient goes to the chosen side; operands broadcast and promote.
cond = torch.tensor([[True, False, True], [False, True, False]])
for dt in (torch.float32, torch.float64):
    x = torch.randn(2, 3, dtype=dt)
    y = torch.randn(3, dtype=dt)
    c.add("where", [cond, x, y], torch.where, name=f"where {dt}")
    c.add("where", [cond[:, :1], x, y], torch.where, name=f"where {dt} broadcast condition")
c.add("where", [cond, i64, f32], torch.where, name="where int64 float32")
c.add("where", [cond, i64, row_i], torch.where, name="where int64")
c.add("where_scalar", [cond, f32], lambda cnd, x: torch.where(cnd, x, 0.5), args={"other": 0.5}, name="where scalar other")
c.error("where", [f32, f32, f32], torch.where, name="where float condition")

# maximum/minimum: ties split the gradient; NaN propagates and both sides get g.
for dt in (torch.float32, torch.float64):
    x = torch.tensor([[1.0, 2.0, 3.0, nan], [0.5, -1.0, 4.0, 2.0]], dtype=dt)
    y = torch.tensor([[1.0, 3.0, 2.0, 1.0], [0.5, -2.0, 4.0, nan]], dtype=dt)
    for name in ("maximum", "minimum"):
        c.add(name, [x, y], getattr(torch, name), name=f"{name} {dt} ties nan")
        c.add(name, [x, torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=dt)], getattr(torch, name), name=f"{name} {dt} broadcast")
c.add("maximum", [i64, row_i], torch.maximum, name="maximum int64")
c.add("minimum", [i64, f32], torch.minimum, name="minimum int64 float32")

# clamp with tensor bounds (lo > hi gives hi; NaN input stays NaN).
for dt in (torch.float32, torch.float64):
    x = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0, nan, 0.0, 2.5], dtype=dt)
    lo = torch.tensor([2.0, 2.0, 2.0, 5.0, 0.0, 0.0, 0.0, 1.0], dtype=dt)
    hi = torch.tensor([3.0, 1.0, 3.0, 4.0, 5.0, 1.0, 0.0, 2.5], dtype=dt)
    c.add("clamp_tensor", [x, lo, hi], lambda x, lo, hi: torch.clamp(x, lo, hi), name=f"clamp tensor {dt}")
    c.add("clamp_min_tensor", [x, lo], lambda x, lo: torch.clamp(x, min=lo), name=f"clamp min tensor {dt}")
    c.add("clamp_max_tensor", [x, hi], lambda x, hi: torch.clamp(x, max=hi), name=f"clamp max tensor {dt}")
    xm = torch.randn(3, 4, dtype=dt)
    c.add("clamp_tensor", [xm, torch.full((4,), -0.3, dtype=dt), torch.tensor([[0.1], [0.5], [1.0]], dtype=dt)],
          lambda x, lo, hi: torch.clamp(x, lo, hi), name=f"clamp tensor broadcast {dt}")
c.add("clamp_tensor", [i64, row_i * 0, row_i.abs()], lambda x, lo, hi: torch.clamp(x, lo, hi), name="clamp tensor int64")
c.add("clamp_scalar", [i64], lambda x: torch.clamp(x, -1, 3), args={"min": -1, "max": 3}, name="clamp int64 whole bounds")

# argmax / argmin: first index of ties, NaN wins, dim None flattens, keepdim.
am = torch.tensor([[1.0, 3.0, 3.0, -1.0], [2.0, nan, 5.0, nan], [-1.0, -1.0, -4.0, -4.0]])
for name in ("argmax", "argmin"):
    fn = getattr(torch, name)
    for dim, keep in ((None, False), (0, False), (1, False), (-1, True), (None, True)):
        c.add(name, [am], lambda x, fn=fn, dim=dim, keep=keep: fn(x, dim=dim, keepdim=keep), args={"dim": dim, "keepdim": keep},
              name=f"{name} dim={dim} keepdim={keep}")
    c.add(name, [i64], lambda x, fn=fn: fn(x, dim=1), args={"dim": 1, "keepdim": False}, name=f"{name} int64")
    c.add(name, [torch.tensor(3.0)], lambda x, fn=fn: fn(x), args={"dim": None, "keepdim": False}, name=f"{name} 0-d")
    c.error(name, [torch.zeros(0)], lambda x, fn=fn: fn(x), args={"dim": None, "keepdim": False}, name=f"{name} empty")
    c.error(name, [torch.zeros(2, 0)], lambda x, fn=fn: fn(x, dim=1), args={"dim": 1, "keepdim": False}, name=f"{name} empty dim")

c.error("requires_grad", [i64], lambda x: x.requires_grad_(), name="int64 requires_grad")
c.write(__file__)

# How PyTorch prints int64 and bool tensors.
prints = []
for x in (torch.tensor([1, 2, 3]), torch.tensor([[1, -20], [300, 4]]), torch.tensor(5), torch.tensor([], dtype=torch.int64),
          torch.zeros(2, 0, dtype=torch.int64), torch.tensor([True, False]), torch.tensor([[True], [True]]), torch.tensor(False),
          torch.tensor([], dtype=torch.bool), torch.arange(2000), torch.arange(12).reshape(3, 4) * 123456789,
          torch.tensor([-9223372036854775808, 9223372036854775807])):
    prints.append({"tensor": t(x), "str": str(x)})
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "prints.json"), "w") as f:
    json.dump(prints, f, indent=0)
