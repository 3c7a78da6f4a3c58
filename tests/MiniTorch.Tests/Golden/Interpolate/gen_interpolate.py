"""Golden values for F.Interpolate / Upsample from PyTorch 1.13 (run with /usr/bin/python3).

PyTorch 1.13's CPU backward is not always the adjoint of its own forward: its nearest backward
special-cases out = in and out = 2*in (the NCHW forward does not) and its bicubic backward copies
when the sizes are equal (the forward interpolates with the user's scale). For those cases the
file also holds "adjoint_grad_input", the transpose of PyTorch's forward (built column by column
from forward passes on unit inputs) applied to the same upstream gradient; MiniTorch's gradient is
that exact adjoint.

Inputs and upstream gradients are not stored: both sides build them from the same exact rational
formula (see Values below and InterpolateGoldenTests.Values), so the file holds only PyTorch's
outputs and input gradients. Writes interpolate.json next to this script.
"""
import json, math, os
import torch
import torch.nn.functional as F

assert torch.__version__.startswith("1.13"), torch.__version__

def values(n, a, b, m):
    # x[i] = ((a*i + b) mod m) / (m/2) - 1: exact in float64, spread over [-1, 1).
    return [((a * i + b) % m) / (m / 2.0) - 1.0 for i in range(n)]

SHAPE = [1, 2, 4, 5]
MODES = ["nearest", "nearest-exact", "bilinear", "bicubic", "area"]
SIZES = [(7, 9), (3, 2), (5, 3), (4, 5), (1, 1), (8, 10)]
SCALES = [2.0, 1.5, 0.6, 2.3, (1.7, 0.8), 1.25, 2.1, 1.1]  # 2.1 and 1.1 hit PyTorch's 2x and same-size special cases

def fmt(t):
    # Shortest repr that round-trips in the tensor's own precision.
    if t.dtype == torch.float32:
        import numpy as np
        return [float(repr(np.float32(v))) for v in t.detach().reshape(-1).numpy()]
    return [float(v) for v in t.detach().reshape(-1).tolist()]

def adjoint_vjp(x, g, f):
    """Rᵀg for the linear map f, with R's columns from f on unit inputs, summed in float64."""
    cols = []
    for i in range(x.numel()):
        e = torch.zeros(x.numel(), dtype=x.dtype)
        e[i] = 1
        cols.append(f(e.reshape(x.shape)).reshape(-1).double())
    r = torch.stack(cols, dim=1)
    return (r.t() @ g.reshape(-1).double()).reshape(x.shape)

cases = []
for dtype, dname in [(torch.float32, "float32"), (torch.float64, "float64")]:
    for mode in MODES:
        acs = [False, True] if mode in ("bilinear", "bicubic") else [None]
        for ac in acs:
            specs = [dict(size=s) for s in SIZES]
            for sf in SCALES:
                for rsf in [None, True]:
                    specs.append(dict(scale_factor=sf, recompute_scale_factor=rsf))
            for spec in specs:
                n = math.prod(SHAPE)
                x = torch.tensor(values(n, 37, 11, 101), dtype=dtype).reshape(SHAPE).requires_grad_()
                y = F.interpolate(x, mode=mode, align_corners=ac, **spec)
                g = torch.tensor(values(y.numel(), 53, 7, 97), dtype=dtype).reshape(y.shape)
                gx, = torch.autograd.grad(y, x, g)
                adjoint = adjoint_vjp(x.detach(), g, lambda t: F.interpolate(t, mode=mode, align_corners=ac, **spec))
                tol = 1e-5 if dtype == torch.float32 else 1e-12
                consistent = torch.allclose(gx.double(), adjoint, rtol=0, atol=tol)
                case = dict(dtype=dname, mode=mode, align_corners=ac, input_shape=SHAPE,
                            output_shape=list(y.shape), output=fmt(y), grad_input=fmt(gx), grad_fn=y.grad_fn.name())
                if "size" in spec:
                    case["size"] = list(spec["size"])
                else:
                    sf = spec["scale_factor"]
                    case["scale_factor"] = list(sf) if isinstance(sf, tuple) else [sf, sf]
                    case["recompute_scale_factor"] = spec["recompute_scale_factor"]
                case["pytorch_grad_is_adjoint"] = consistent
                if not consistent:
                    case["adjoint_grad_input"] = fmt(adjoint.to(dtype))
                cases.append(case)

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "interpolate.json")
with open(out, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
print(sum(not c["pytorch_grad_is_adjoint"] for c in cases), "cases where PyTorch's backward is not its forward's adjoint")
print(len(cases), "cases,", os.path.getsize(out), "bytes")
