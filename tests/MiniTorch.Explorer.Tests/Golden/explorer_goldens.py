"""PyTorch 1.13's answers for the explorer's presets and for a few invalid set-ups.

Run with /usr/bin/python3 (torch 1.13, numpy) from this folder:  python3 explorer_goldens.py
Writes explorer_goldens.json: per preset, print(output) for F.conv_transpose1d/2d (float32, like
the seeds' torch.Tensor) and print(z.grad) for the input gradient of the matching conv with the
preset's input as the upstream gradient; per invalid set-up, PyTorch's error message.
Keras has no PyTorch call: 'valid' is conv_transpose2d with padding 0 (when stride <= kernel),
'same' crops k - s (floor half first) as TensorFlow's conv2d_transpose does; the results are
checked against the outputs printed in seed notebook 002.
"""
import json
import numpy as np
import torch
import torch.nn.functional as F


def values(spec, n):
    if spec == "ones":
        return [1.0] * n
    if spec == "arange":
        return [float(i + 1) for i in range(n)]
    if spec.startswith("linspace:"):
        a, b = spec[9:].split(":")
        return list(np.linspace(float(a), float(b), num=n))
    return [float(v) for v in spec.split(",")]


PRESETS = {
    "000": dict(rank=2, cin=1, cout=3, size=(2, 3), k=4, s=1, p=0, op=0, x="1,2,3,4,5,6", w="linspace:0.1:4.8"),
    "001-k2p0": dict(rank=2, cin=1, cout=1, size=(4, 4), k=2, s=1, p=0, op=0, x="ones", w="ones"),
    "001-k2p1": dict(rank=2, cin=1, cout=1, size=(4, 4), k=2, s=1, p=1, op=0, x="ones", w="ones"),
    "001-k3p0": dict(rank=2, cin=1, cout=1, size=(4, 4), k=3, s=1, p=0, op=0, x="ones", w="ones"),
    "001-k3p2": dict(rank=2, cin=1, cout=1, size=(4, 4), k=3, s=1, p=2, op=0, x="ones", w="ones"),
    "001-k3s2p2": dict(rank=2, cin=1, cout=1, size=(4, 4), k=3, s=2, p=2, op=0, x="ones", w="ones"),
    "002-valid": dict(rank=2, cin=1, cout=1, size=(2, 2), k=3, s=1, keras="valid", x="55,52,57,50", w="1,2,1,2,1,2,1,1,2"),
    "002-valid-s2": dict(rank=2, cin=1, cout=1, size=(2, 2), k=3, s=2, keras="valid", x="55,52,57,50", w="1,2,1,2,1,2,1,1,2"),
    "002-same": dict(rank=2, cin=1, cout=1, size=(2, 2), k=3, s=1, keras="same", x="55,52,57,50", w="1,2,1,2,1,2,1,1,2"),
    "d2l": dict(rank=2, cin=1, cout=1, size=(2, 2), k=2, s=1, p=0, op=0, x="0,1,2,3", w="0,1,2,3"),
    "d2l-p1": dict(rank=2, cin=1, cout=1, size=(2, 2), k=2, s=1, p=1, op=0, x="0,1,2,3", w="0,1,2,3"),
    "d2l-s3": dict(rank=2, cin=1, cout=1, size=(2, 2), k=2, s=3, p=0, op=0, x="0,1,2,3", w="0,1,2,3"),
    "d2l-s3p2": dict(rank=2, cin=1, cout=1, size=(2, 2), k=2, s=3, p=2, op=0, x="0,1,2,3", w="0,1,2,3"),
    "003-fsrcnn": dict(rank=2, cin=1, cout=1, size=(3, 3), k=9, s=2, p=4, op=1, x="arange", w="ones"),
    "1d-k3s2": dict(rank=1, cin=1, cout=1, size=(6,), k=3, s=2, p=0, op=0, x="ones", w="ones"),
    "1d-k4s2": dict(rank=1, cin=1, cout=1, size=(6,), k=4, s=2, p=1, op=0, x="ones", w="ones"),
}

# Seed notebook 002's printed Keras results (yhat.reshape(...)).
SEED_002 = {
    "002-valid": [55, 162, 159, 52, 167, 323, 319, 154, 169, 264, 326, 204, 57, 107, 164, 100],
    "002-valid-s2": [55, 110, 107, 104, 52, 110, 55, 214, 52, 104, 112, 169, 269, 152, 154,
                     114, 57, 214, 50, 100, 57, 57, 164, 50, 100],
    "002-same": [323, 319, 264, 326],
}


def keras_crop(k, s, mode):
    """(before, after) cut from the full (i-1)s + k output; TensorFlow pads its conv by max(k - s, 0)."""
    if mode == "valid":
        return 0, 0
    total = k - s
    return total // 2, total - total // 2


def run(c):
    n_x = c["cin"] * int(np.prod(c["size"]))
    n_w = c["cin"] * c["cout"] * c["k"] ** c["rank"]
    x = torch.tensor(values(c["x"], n_x), dtype=torch.float32).view(1, c["cin"], *c["size"])
    w = torch.tensor(values(c["w"], n_w), dtype=torch.float32).view(c["cin"], c["cout"], *([c["k"]] * c["rank"]))
    transposed = F.conv_transpose1d if c["rank"] == 1 else F.conv_transpose2d
    conv = F.conv1d if c["rank"] == 1 else F.conv2d
    if "keras" in c:
        full = transposed(x, w, stride=c["s"])
        before, after = keras_crop(c["k"], c["s"], c["keras"])
        out = full[..., before:full.shape[-2] - after, before:full.shape[-1] - after]
        z = torch.zeros(out.shape, requires_grad=True)
        y = conv(F.pad(z, [before, after, before, after]), w, stride=c["s"])
    else:
        out = transposed(x, w, stride=c["s"], padding=c["p"], output_padding=c["op"])
        z = torch.zeros(out.shape, requires_grad=True)
        y = conv(z, w, stride=c["s"], padding=c["p"])
    (y * x).sum().backward()
    return out, z.grad


def error(fn):
    try:
        fn()
    except RuntimeError as e:
        return str(e)
    raise AssertionError("expected an error")


goldens = {"presets": {}, "errors": {}}
for name, c in PRESETS.items():
    out, grad = run(c)
    if name in SEED_002:
        assert out.flatten().tolist() == SEED_002[name], name
    goldens["presets"][name] = {"output": str(out), "grad": str(grad), "shape": list(out.shape)}

ones4 = torch.ones(1, 1, 4, 4)
k3 = torch.ones(1, 1, 3, 3)
goldens["errors"] = {
    "s=1&op=2": error(lambda: F.conv_transpose2d(ones4, k3, stride=1, output_padding=2)),
    "p=-1": error(lambda: F.conv_transpose2d(ones4, k3, padding=-1)),
    "s=0": error(lambda: F.conv_transpose2d(ones4, k3, stride=0)),
    "d=0": error(lambda: F.conv_transpose2d(ones4, k3, dilation=0)),
    "p=5": error(lambda: F.conv_transpose2d(ones4, k3, padding=5)),
    "1d op=1": error(lambda: F.conv_transpose1d(torch.ones(1, 1, 4), torch.ones(1, 1, 3), output_padding=1)),
    "1d p=5": error(lambda: F.conv_transpose1d(torch.ones(1, 1, 4), torch.ones(1, 1, 3), padding=5)),
}

with open("explorer_goldens.json", "w") as f:
    json.dump(goldens, f, indent=1, ensure_ascii=False)
print("wrote explorer_goldens.json with", len(goldens["presets"]), "presets and", len(goldens["errors"]), "errors")
