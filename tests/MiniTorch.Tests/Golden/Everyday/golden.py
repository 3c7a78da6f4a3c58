"""Shared helpers of the gen_*.py scripts in this folder (PyTorch 1.13, Debian's python3-torch).

Each script builds a list of cases and writes it as JSON beside itself. A case is
  {"op": name, "args": {...}, "inputs": [tensor...], "out": tensor or [tensor...],
   "g": upstream gradient (optional), "grads": [tensor or null per input] (optional)}
and a tensor is {"dtype": "float32"|"float64"|"int64"|"bool", "shape": [...], "data": [...]}
in row-major order (float32 values widened to float64 exactly; NaN and infinities as strings).
The C# side (tests/MiniTorch.Tests/Nn/OpGolden.cs) maps each op name to the MiniTorch call.
"""
import json
import math
import os
import torch


def num(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v
    return v if math.isfinite(v) else ("NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity"))


def t(x):
    x = x.detach()
    dtype = str(x.dtype).replace("torch.", "")
    values = x.reshape(-1).tolist() if x.dtype in (torch.int64, torch.bool) else x.double().reshape(-1).tolist()
    return {"dtype": dtype, "shape": list(x.shape), "data": [num(v) for v in values]}


class Cases:
    def __init__(self, seed):
        torch.manual_seed(seed)
        self.cases = []

    def add(self, op, inputs, fn, args=None, grad=True, grad_inputs=None, g=None, name=None, extra=None):
        """Runs fn(*inputs); records the output(s) and, with grad, the gradients of the first
        output (with upstream g, random by default) with respect to the floating inputs."""
        xs = []
        for i, x in enumerate(inputs):
            x = x.detach().clone()
            wants = grad and x.is_floating_point() and (grad_inputs is None or i in grad_inputs)
            xs.append(x.requires_grad_(wants))
        out = fn(*xs)
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        case = {"op": op, "name": name or op, "args": args or {}, "inputs": [t(x) for x in inputs],
                "out": [t(o) for o in outs] if isinstance(out, (tuple, list)) else t(out)}
        diff = [x for x in xs if x.requires_grad]
        if grad and diff and outs[0].requires_grad:
            if g is None:
                g = torch.randn(outs[0].shape, dtype=outs[0].dtype)
            grads = torch.autograd.grad(outs[0], diff, g, allow_unused=True)
            it = iter(grads)
            case["g"] = t(g)
            case["grads"] = [(lambda v: None if v is None else t(v))(next(it)) if x.requires_grad else None for x in xs]
        if extra:
            case.update(extra)
        self.cases.append(case)
        return out

    def either(self, op, inputs, fn, **kw):
        """add() where PyTorch accepts the call, error() where it raises."""
        try:
            fn(*inputs)
        except Exception:  # noqa: BLE001
            return self.error(op, inputs, fn, args=kw.get("args"), name=kw.get("name"))
        return self.add(op, inputs, fn, **kw)

    def error(self, op, inputs, fn, args=None, name=None):
        """Records that PyTorch rejects the call, with its message."""
        try:
            fn(*inputs)
        except Exception as e:  # noqa: BLE001 - any PyTorch error is what we record
            self.cases.append({"op": op, "name": name or op, "args": args or {}, "inputs": [t(x) for x in inputs],
                               "error": str(e).split("\n")[0]})
            return
        raise AssertionError(f"{name or op}: PyTorch accepted the call")

    def write(self, path):
        here = os.path.dirname(os.path.abspath(path))
        name = os.path.splitext(os.path.basename(path))[0].replace("gen_", "") + ".json"
        with open(os.path.join(here, name), "w") as f:
            json.dump({"torch": torch.__version__, "cases": self.cases}, f, separators=(",", ":"))
        print(f"{name}: {len(self.cases)} cases")
