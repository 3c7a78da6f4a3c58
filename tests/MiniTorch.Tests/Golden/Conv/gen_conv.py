#!/usr/bin/python3
"""Golden data for MiniTorch's Conv2d / ConvTranspose2d, generated with real PyTorch (1.13).

Run:  /usr/bin/python3 gen_conv.py   (writes conv.json next to this script; deterministic)

Each case holds one configuration, its inputs and, for float64 and float32 separately, PyTorch's
forward output and the gradients w.r.t. input, weight and bias for the stored upstream gradient.

Number format (so both sides see bit-identical inputs):
  * Inputs x, wt (the weight), b, gy are random values rounded to 4 decimals and stored as those decimals.
    The float64 case uses the nearest double; the float32 case uses float32(nearest double)
    (numpy's cast), which the C# side reproduces as (float)double.Parse(s).
  * float64 results are Python's repr (shortest round-trip of the double).
  * float32 results are numpy's shortest round-trip repr of the float32 value, so
    float.Parse(s) gives back exactly the float32 PyTorch produced.
"""
import json
import os
import random

import numpy as np
import torch

SEED = 20260521


def r4(t):
    return np.round(t.numpy().astype(np.float64), 4)


def f64s(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def f32s(a):
    # Shortest repr that round-trips the float32 value; keeps the file small and exact.
    return [float(np.format_float_scientific(v, unique=True, trim='-'))
            for v in np.asarray(a, dtype=np.float32).ravel()]


def run(op, cfg, x64, w64, b64, gy64, dtype):
    x = torch.tensor(x64, dtype=torch.float64).to(dtype).requires_grad_()
    w = torch.tensor(w64, dtype=torch.float64).to(dtype).requires_grad_()
    b = None if b64 is None else torch.tensor(b64, dtype=torch.float64).to(dtype).requires_grad_()
    if op == "conv2d":
        y = torch.nn.functional.conv2d(x, w, b, stride=cfg["stride"], padding=cfg["padding"],
                                       dilation=cfg["dilation"], groups=cfg["groups"])
    else:
        y = torch.nn.functional.conv_transpose2d(x, w, b, stride=cfg["stride"], padding=cfg["padding"],
                                                 output_padding=cfg["outputPadding"],
                                                 groups=cfg["groups"], dilation=cfg["dilation"])
    gy = torch.tensor(gy64, dtype=torch.float64).to(dtype)
    assert list(gy.shape) == list(y.shape)
    y.backward(gy)
    enc = f64s if dtype == torch.float64 else f32s
    return {
        "y": enc(y.detach()),
        "gx": enc(x.grad),
        "gw": enc(w.grad),
        "gb": None if b is None else enc(b.grad),
    }


def out_size(op, cfg, h, w):
    (sh, sw), (ph, pw), (dh, dw) = cfg["stride"], cfg["padding"], cfg["dilation"]
    kh, kw = cfg["kernel"]
    if op == "conv2d":
        return ((h + 2 * ph - dh * (kh - 1) - 1) // sh + 1, (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1)
    oh, ow = cfg["outputPadding"]
    return ((h - 1) * sh - 2 * ph + dh * (kh - 1) + oh + 1, (w - 1) * sw - 2 * pw + dw * (kw - 1) + ow + 1)


def random_cfg(rng, op):
    """A random, valid configuration with small tensors."""
    while True:
        groups = rng.choice([1, 1, 1, 2, 3])
        cin = groups * rng.randint(1, 3)
        cout = groups * rng.randint(1, 2)
        n = rng.randint(1, 2)
        kh, kw = rng.randint(1, 4), rng.randint(1, 4)
        sh, sw = rng.randint(1, 3), rng.randint(1, 3)
        dh, dw = rng.randint(1, 2), rng.randint(1, 2)
        ph, pw = rng.randint(0, 2), rng.randint(0, 2)
        h, w = rng.randint(1, 7), rng.randint(1, 7)
        cfg = {"n": n, "cin": cin, "cout": cout, "h": h, "w": w, "kernel": [kh, kw],
               "stride": [sh, sw], "padding": [ph, pw], "dilation": [dh, dw], "groups": groups,
               "outputPadding": [0, 0], "bias": rng.random() < 0.7}
        if op == "conv_transpose2d":
            # output_padding must be < stride or < dilation, per dimension.
            cfg["outputPadding"] = [rng.randint(0, max(sh, dh) - 1), rng.randint(0, max(sw, dw) - 1)]
        else:
            # conv2d: the padded input must hold the dilated kernel.
            if h + 2 * ph < dh * (kh - 1) + 1 or w + 2 * pw < dw * (kw - 1) + 1:
                continue
        oh, ow = out_size(op, cfg, h, w)
        if oh < 1 or ow < 1:
            continue
        numel = n * cin * h * w + cin * cout // groups * kh * kw + n * cout * oh * ow
        if numel > 400:
            continue
        return cfg


def make_case(op, name, cfg, rng_t, x=None, wt=None, b=None):
    n, cin, cout, g = cfg["n"], cfg["cin"], cfg["cout"], cfg["groups"]
    kh, kw = cfg["kernel"]
    wshape = [cout, cin // g, kh, kw] if op == "conv2d" else [cin, cout // g, kh, kw]
    if x is None:
        x = r4(torch.randn(n, cin, cfg["h"], cfg["w"], generator=rng_t, dtype=torch.float64))
    if wt is None:
        wt = r4(torch.randn(*wshape, generator=rng_t, dtype=torch.float64))
    if b is None and cfg["bias"]:
        b = r4(torch.randn(cout, generator=rng_t, dtype=torch.float64))
    x, wt = np.asarray(x, dtype=np.float64), np.asarray(wt, dtype=np.float64)
    assert list(x.shape) == [n, cin, cfg["h"], cfg["w"]] and list(wt.shape) == wshape
    oh, ow = out_size(op, cfg, cfg["h"], cfg["w"])
    gy = r4(torch.randn(n, cout, oh, ow, generator=rng_t, dtype=torch.float64))
    case = dict(name=name, **cfg)
    case["outShape"] = [n, cout, oh, ow]
    case["x"], case["wt"] = f64s(x), f64s(wt)
    case["b"] = None if b is None else f64s(b)
    case["gy"] = f64s(gy)
    case["float64"] = run(op, cfg, x, wt, b, gy, torch.float64)
    case["float32"] = run(op, cfg, x, wt, b, gy, torch.float32)
    return case


def cfg_of(n, cin, cout, h, w, k, s=1, p=0, d=1, g=1, op=0, bias=False):
    pair = lambda v: list(v) if isinstance(v, (tuple, list)) else [v, v]
    return {"n": n, "cin": cin, "cout": cout, "h": h, "w": w, "kernel": pair(k), "stride": pair(s),
            "padding": pair(p), "dilation": pair(d), "groups": g, "outputPadding": pair(op), "bias": bias}


def seed_cases(rng_t):
    """The issue's seed configurations (their exact inputs), with a random upstream gradient."""
    conv, convt = [], []
    ones4 = np.ones((1, 1, 4, 4))
    ker = lambda k: np.ones((1, 1, k, k))
    conv.append(make_case("conv2d", "seed_ones_k3_p1", cfg_of(1, 1, 1, 4, 4, 3, p=1), rng_t, ones4, ker(3)))
    conv.append(make_case("conv2d", "seed_ones_k3_p2", cfg_of(1, 1, 1, 4, 4, 3, p=2), rng_t, ones4, ker(3)))
    keras_x = np.array([[3, 5, 2, 7], [4, 1, 3, 8], [6, 3, 8, 2], [9, 6, 1, 5]], dtype=np.float64).reshape(1, 1, 4, 4)
    keras_k = np.array([[1, 2, 1], [2, 1, 2], [1, 1, 2]], dtype=np.float64).reshape(1, 1, 3, 3)
    conv.append(make_case("conv2d", "seed_keras_valid", cfg_of(1, 1, 1, 4, 4, 3), rng_t, keras_x, keras_k))

    scatter_x = np.array([[1, 2, 3], [4, 5, 6]], dtype=np.float64).reshape(1, 1, 2, 3)
    scatter_w = np.round(np.linspace(0.1, 4.8, 48), 10).reshape(1, 3, 4, 4)
    convt.append(make_case("conv_transpose2d", "seed_scatter", cfg_of(1, 1, 3, 2, 3, 4), rng_t, scatter_x, scatter_w))
    convt.append(make_case("conv_transpose2d", "seed_ones_k2_s1_p0", cfg_of(1, 1, 1, 4, 4, 2), rng_t, ones4, ker(2)))
    convt.append(make_case("conv_transpose2d", "seed_ones_k2_p1", cfg_of(1, 1, 1, 4, 4, 2, p=1), rng_t, ones4, ker(2)))
    convt.append(make_case("conv_transpose2d", "seed_ones_k3_p2", cfg_of(1, 1, 1, 4, 4, 3, p=2), rng_t, ones4, ker(3)))
    convt.append(make_case("conv_transpose2d", "seed_ones_k3_s2_p2", cfg_of(1, 1, 1, 4, 4, 3, s=2, p=2), rng_t, ones4, ker(3)))
    keras_y = np.array([[55, 52], [57, 50]], dtype=np.float64).reshape(1, 1, 2, 2)
    convt.append(make_case("conv_transpose2d", "seed_keras_valid_s1", cfg_of(1, 1, 1, 2, 2, 3), rng_t, keras_y, keras_k))
    convt.append(make_case("conv_transpose2d", "seed_keras_valid_s2", cfg_of(1, 1, 1, 2, 2, 3, s=2), rng_t, keras_y, keras_k))
    # Keras 'same' with stride 1 and k = 3 is PyTorch's padding 1.
    convt.append(make_case("conv_transpose2d", "seed_keras_same_s1", cfg_of(1, 1, 1, 2, 2, 3, p=1), rng_t, keras_y, keras_k))
    d2l = np.array([[0, 1], [2, 3]], dtype=np.float64).reshape(1, 1, 2, 2)
    convt.append(make_case("conv_transpose2d", "seed_d2l_k2", cfg_of(1, 1, 1, 2, 2, 2), rng_t, d2l, d2l))
    convt.append(make_case("conv_transpose2d", "seed_d2l_k2_p1", cfg_of(1, 1, 1, 2, 2, 2, p=1), rng_t, d2l, d2l))
    convt.append(make_case("conv_transpose2d", "seed_d2l_k2_s3", cfg_of(1, 1, 1, 2, 2, 2, s=3), rng_t, d2l, d2l))
    return conv, convt


def main():
    rng = random.Random(SEED)
    rng_t = torch.Generator().manual_seed(SEED)
    conv, convt = seed_cases(rng_t)
    for i in range(34):
        conv.append(make_case("conv2d", f"random_{i:02d}", random_cfg(rng, "conv2d"), rng_t))
    for i in range(34):
        convt.append(make_case("conv_transpose2d", f"random_{i:02d}", random_cfg(rng, "conv_transpose2d"), rng_t))
    data = {"generator": "gen_conv.py", "torch": torch.__version__, "seed": SEED,
            "conv2d": conv, "conv_transpose2d": convt}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conv.json")
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}: {len(conv)} conv2d + {len(convt)} conv_transpose2d cases, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
