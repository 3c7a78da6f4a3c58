#!/usr/bin/python3
"""Goldens for elu, selu, celu, gelu (none/tanh), silu, mish, softsign, hardtanh, relu6,
hardsigmoid, hardswish, threshold, logsigmoid and glu (PyTorch 1.13), with the kinks and large
magnitudes included. Run: /usr/bin/python3 gen_activations.py"""
import torch
import torch.nn.functional as F
from golden import Cases

c = Cases(20261204)
edges = [0.0, -0.0, 1.0, -1.0, 3.0, -3.0, 6.0, 2.5, -2.5, 0.5, -0.5, 20.0, -20.0, 50.0, -50.0, 100.0, -100.0, 1e-4, -1e-4, 0.25, 1.5, -1.5]
acts = {
    "elu": (lambda x: F.elu(x), {}), "elu_alpha": (lambda x: F.elu(x, alpha=0.5), {"alpha": 0.5}),
    "selu": (F.selu, {}), "celu": (lambda x: F.celu(x), {}), "celu_alpha": (lambda x: F.celu(x, alpha=2.0), {"alpha": 2.0}),
    "gelu": (F.gelu, {}), "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"), {}),
    "silu": (F.silu, {}), "mish": (F.mish, {}), "softsign": (F.softsign, {}),
    "hardtanh": (F.hardtanh, {}), "hardtanh_bounds": (lambda x: F.hardtanh(x, -2.0, 2.5), {"min": -2.0, "max": 2.5}),
    "relu6": (F.relu6, {}), "hardsigmoid": (F.hardsigmoid, {}), "hardswish": (F.hardswish, {}),
    "threshold": (lambda x: F.threshold(x, 0.5, -7.0), {"threshold": 0.5, "value": -7.0}),
    "logsigmoid": (F.logsigmoid, {}),
}
for dt in (torch.float32, torch.float64):
    x_edges = torch.tensor(edges, dtype=dt)
    x_rand = torch.randn(3, 5, dtype=dt) * 2
    for name, (fn, args) in acts.items():
        # Edge values in chunks of 7: PyTorch's CPU kernels run whole SIMD blocks (16 floats or 8
        # doubles at a time) with a vectorised formula and the rest with a scalar one, and the two
        # disagree at some kinks (hardswish's derivative at x = 3 is 1 vectorised, 1.5 scalar).
        # Chunks this short take the scalar path, which MiniTorch follows.
        for k in range(0, len(edges), 7):
            c.add(name, [x_edges[k:k + 7]], fn, args=args, name=f"{name} edges {k} {dt}")
        c.add(name, [x_rand], fn, args=args, name=f"{name} random {dt}")
        c.add(name, [torch.zeros(0, 3, dtype=dt)], fn, args=args, name=f"{name} empty {dt}")
    for d in (-1, 0, 1):
        c.add("glu", [torch.randn(4, 6, dtype=dt)], lambda x, d=d: F.glu(x, d), args={"dim": d}, name=f"glu dim {d} {dt}")
    c.add("erf", [x_edges], torch.erf, name=f"erf {dt}")
c.error("glu", [torch.randn(3, 5)], lambda x: F.glu(x, -1), args={"dim": -1}, name="glu odd size")
c.error("glu", [torch.tensor(1.0)], lambda x: F.glu(x, 0), args={"dim": 0}, name="glu scalar")
c.error("elu", [torch.tensor([1, 2])], F.elu, name="elu int64")
c.write(__file__)
