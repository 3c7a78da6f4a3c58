#!/usr/bin/python3
"""Golden data for MiniTorch's Conv1d / Conv3d / ConvTranspose1d / ConvTranspose3d (and a few 2-d
cases through the same path), generated with real PyTorch (1.13).

Run:  /usr/bin/python3 gen_conv_nd.py   (writes conv_nd.json next to this script; deterministic)

Each case holds one configuration (rank 1, 2 or 3; conv or transposed; stride, padding including
'same'/'valid', output_padding, dilation, groups, bias, unbatched input), its inputs, and for
float64 and float32 separately PyTorch's results:
  y            the forward output
  gx, gw, gb   the gradients w.r.t. input, weight and bias for the upstream gradient gy
  ddx, ddw, ddgy   double backward: the gradients of L = <gx, ux> + <gw, uw> (gx, gw taken with
               create_graph=True) w.r.t. input, weight and gy.
Number format as in ../Conv/gen_conv.py: inputs are rounded to 4 decimals (float32 cases use
float32(nearest double)); float64 results are Python's repr, float32 results numpy's shortest
round-trip repr of the float32 value.
"""
import json
import os
import random

import numpy as np
import torch

SEED = 20261204


def r4(shape, rng):
    return [round(rng.uniform(-1, 1), 4) for _ in range(int(np.prod(shape)))]


def f64s(t):
    return [float(v) for v in t.detach().numpy().astype(np.float64).ravel()]


def f32s(t):
    return [float(np.format_float_scientific(v, unique=True, trim='-')) for v in t.detach().numpy().astype(np.float32).ravel()]


def call(case, x, w, b):
    F = torch.nn.functional
    r, c = case["rank"], case["cfg"]
    if case["op"] == "conv":
        f = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[r]
        return f(x, w, b, stride=c["stride"], padding=c["padding"], dilation=c["dilation"], groups=c["groups"])
    f = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}[r]
    return f(x, w, b, stride=c["stride"], padding=c["padding"], output_padding=c["outputPadding"],
             groups=c["groups"], dilation=c["dilation"])


def tensor(values, shape, dtype, grad=True):
    t = torch.tensor(values, dtype=torch.float64).reshape(shape).to(dtype)
    return t.requires_grad_() if grad else t


def run(case, dtype):
    x = tensor(case["x"], case["xShape"], dtype)
    w = tensor(case["w"], case["wShape"], dtype)
    b = None if case["b"] is None else tensor(case["b"], [len(case["b"])], dtype)
    y = call(case, x, w, b)
    assert list(y.shape) == case["yShape"], (case["name"], list(y.shape), case["yShape"])
    gy = tensor(case["gy"], case["yShape"], dtype)
    ux = tensor(case["ux"], case["xShape"], dtype, grad=False)
    uw = tensor(case["uw"], case["wShape"], dtype, grad=False)
    inputs = (x, w) if b is None else (x, w, b)
    grads = torch.autograd.grad(y, inputs, gy, create_graph=True)
    gx, gw = grads[0], grads[1]
    loss = (gx * ux).sum() + (gw * uw).sum()
    ddx, ddw, ddgy = torch.autograd.grad(loss, (x, w, gy))
    enc = f64s if dtype == torch.float64 else f32s
    return {"y": enc(y), "gx": enc(gx), "gw": enc(gw), "gb": None if b is None else enc(grads[2]),
            "ddx": enc(ddx), "ddw": enc(ddw), "ddgy": enc(ddgy)}


def make_case(rng, op, rank, index):
    groups = rng.choice([1, 1, 2])
    cin_g, cout_g = rng.randint(1, 3), rng.randint(1, 3)
    kernel = [rng.randint(1, 3 if rank == 3 else 4) for _ in range(rank)]
    stride = [rng.randint(1, 3) for _ in range(rank)]
    dilation = [rng.randint(1, 2) for _ in range(rank)]
    n = rng.randint(1, 2)
    unbatched = rng.random() < 0.2
    bias = rng.random() < 0.6
    keff = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    cfg = {"stride": stride, "dilation": dilation, "groups": groups}
    if op == "conv":
        mode = rng.choice(["explicit", "explicit", "explicit", "same", "valid"])
        if mode == "same":
            cfg["stride"] = stride = [1] * rank
            cfg["padding"] = "same"
            size = [rng.randint(1, 6) for _ in range(rank)]
        elif mode == "valid":
            cfg["padding"] = "valid"
            size = [ke + rng.randint(0, 5) for ke in keff]
        else:
            pad = [rng.randint(0, ke // 2) for ke in keff]
            cfg["padding"] = pad
            size = [max(1, ke - 2 * p) + rng.randint(0, 5) for ke, p in zip(keff, pad)]
        cin, cout = cin_g * groups, cout_g * groups
        x_shape = ([] if unbatched else [n]) + [cin] + size
        w_shape = [cout, cin_g] + kernel
        b_len = cout
    else:
        pad = [rng.randint(0, (ke - 1) // 2) for ke in keff]
        out_pad = [rng.randint(0, max(s, d) - 1) for s, d in zip(stride, dilation)]
        cfg["padding"], cfg["outputPadding"] = pad, out_pad
        size = [rng.randint(1, 5 if rank == 3 else 7) for _ in range(rank)]
        cin, cout = cin_g * groups, cout_g * groups
        x_shape = ([] if unbatched else [n]) + [cin] + size
        w_shape = [cin, cout_g] + kernel
        b_len = cout
    case = {"name": f"{op}{rank}d_{index:02d}", "op": op, "rank": rank, "cfg": cfg, "unbatched": unbatched,
            "xShape": x_shape, "wShape": w_shape}
    case["x"], case["w"] = r4(x_shape, rng), r4(w_shape, rng)
    case["b"] = r4([b_len], rng) if bias else None
    with torch.no_grad():
        y = call(case, torch.tensor(case["x"], dtype=torch.float64).reshape(x_shape),
                 torch.tensor(case["w"], dtype=torch.float64).reshape(w_shape), None)
    if min(y.shape) == 0 or any(s <= 0 for s in y.shape):
        return None
    case["yShape"] = list(y.shape)
    case["gy"], case["ux"], case["uw"] = r4(case["yShape"], rng), r4(x_shape, rng), r4(w_shape, rng)
    return case


def main():
    rng = random.Random(SEED)
    torch.manual_seed(SEED)
    cases = []
    for rank, count in [(1, 16), (3, 12), (2, 4)]:
        for op in ["conv", "transpose"]:
            made = 0
            while made < count:
                c = make_case(rng, op, rank, made)
                if c is None:
                    continue
                c["results"] = {"float64": run(c, torch.float64), "float32": run(c, torch.float32)}
                cases.append(c)
                made += 1
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conv_nd.json")
    with open(out, "w") as f:
        json.dump({"torch": torch.__version__, "seed": SEED, "cases": cases}, f, separators=(",", ":"))
    print(f"wrote {len(cases)} cases to {out}")


if __name__ == "__main__":
    main()
