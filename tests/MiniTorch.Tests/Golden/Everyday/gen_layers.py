#!/usr/bin/python3
"""Goldens for embedding (padding_idx, max_norm, scale_grad_by_freq), layer_norm, group_norm,
instance_norm (running statistics), batch_norm on 2-D/3-D/5-D inputs, pixel_shuffle and
pixel_unshuffle (PyTorch 1.13). Run: /usr/bin/python3 gen_layers.py"""
import torch
import torch.nn.functional as F
from golden import Cases

c = Cases(20261205)
L = torch.long
for dt in (torch.float32, torch.float64):
    w = torch.randn(6, 3, dtype=dt)
    ids = torch.tensor([[1, 4, 4], [0, 5, 1]])
    c.add("embedding", [ids, w], lambda i, w: F.embedding(i, w), name=f"embedding {dt}")
    c.add("embedding", [torch.tensor(2), w], lambda i, w: F.embedding(i, w), name=f"embedding 0-d id {dt}")
    c.add("embedding_pad", [ids, w], lambda i, w: F.embedding(i, w, padding_idx=4), args={"padding_idx": 4}, name=f"embedding padding_idx {dt}")
    c.add("embedding_pad", [ids, w], lambda i, w: F.embedding(i, w, padding_idx=-1), args={"padding_idx": -1}, name=f"embedding padding_idx -1 {dt}")
    c.add("embedding_freq", [ids, w], lambda i, w: F.embedding(i, w, scale_grad_by_freq=True), name=f"embedding scale_grad_by_freq {dt}")
    big = w * 3
    # max_norm renormalises the looked-up rows of the weight in place: record the weight afterwards too.
    c.add("embedding_maxnorm", [ids, big], lambda i, w: (F.embedding(i, w, max_norm=1.5), w.detach().clone()),
          args={"max_norm": 1.5, "norm_type": 2.0}, grad=False, name=f"embedding max_norm {dt}")
    c.add("embedding_maxnorm", [ids, big], lambda i, w: (F.embedding(i, w, max_norm=2.0, norm_type=1.0), w.detach().clone()),
          args={"max_norm": 2.0, "norm_type": 1.0}, grad=False, name=f"embedding max_norm p=1 {dt}")

    x = torch.randn(2, 3, 4, dtype=dt) * 2 + 1
    c.add("layer_norm", [x, torch.randn(4, dtype=dt), torch.randn(4, dtype=dt)], lambda x, w, b: F.layer_norm(x, (4,), w, b),
          args={"shape": [4], "eps": 1e-5}, name=f"layer_norm last {dt}")
    c.add("layer_norm", [x, torch.randn(3, 4, dtype=dt), torch.randn(3, 4, dtype=dt)], lambda x, w, b: F.layer_norm(x, (3, 4), w, b, eps=1e-3),
          args={"shape": [3, 4], "eps": 1e-3}, name=f"layer_norm last two {dt}")
    c.add("layer_norm_plain", [x], lambda x: F.layer_norm(x, (4,)), args={"shape": [4], "eps": 1e-5}, name=f"layer_norm no affine {dt}")
    xg = torch.randn(2, 6, 3, 2, dtype=dt) * 3
    for groups in (1, 2, 3, 6):
        c.add("group_norm", [xg, torch.randn(6, dtype=dt), torch.randn(6, dtype=dt)], lambda x, w, b, g=groups: F.group_norm(x, g, w, b),
              args={"groups": groups, "eps": 1e-5}, name=f"group_norm {groups} groups {dt}")
    c.add("group_norm_plain", [torch.randn(3, 4, 5, dtype=dt)], lambda x: F.group_norm(x, 2), args={"groups": 2, "eps": 1e-5}, name=f"group_norm no affine {dt}")

    for shape in ((2, 3, 5), (2, 3, 4, 4), (2, 3, 2, 3, 2)):
        xi = torch.randn(shape, dtype=dt) * 2 + 0.5
        wi, bi = torch.randn(3, dtype=dt), torch.randn(3, dtype=dt)
        rm, rv = torch.randn(3, dtype=dt), torch.rand(3, dtype=dt) + 0.5
        c.add("instance_norm", [xi, rm, rv, wi, bi], lambda x, rm, rv, w, b: (F.instance_norm(x, rm, rv, w, b, True, 0.2, 1e-5), rm, rv),
              args={"use_input_stats": True, "momentum": 0.2}, grad_inputs=[0, 3, 4], name=f"instance_norm running stats {shape} {dt}")
        c.add("instance_norm", [xi, rm, rv, wi, bi], lambda x, rm, rv, w, b: (F.instance_norm(x, rm, rv, w, b, False, 0.2, 1e-5), rm, rv),
              args={"use_input_stats": False, "momentum": 0.2}, grad_inputs=[0, 3, 4], name=f"instance_norm eval {shape} {dt}")
        c.add("instance_norm_plain", [xi], lambda x: F.instance_norm(x), name=f"instance_norm plain {shape} {dt}")
    for shape in ((5, 3), (4, 3, 6), (2, 3, 2, 3, 2)):
        xb = torch.randn(shape, dtype=dt) * 2 + 0.5
        wb, bb = torch.randn(3, dtype=dt), torch.randn(3, dtype=dt)
        rm, rv = torch.randn(3, dtype=dt), torch.rand(3, dtype=dt) + 0.5
        c.add("batch_norm", [xb, rm, rv, wb, bb], lambda x, rm, rv, w, b: (F.batch_norm(x, rm, rv, w, b, True, 0.1, 1e-5), rm, rv),
              args={"training": True}, grad_inputs=[0, 3, 4], name=f"batch_norm train {shape} {dt}")
        c.add("batch_norm", [xb, rm, rv, wb, bb], lambda x, rm, rv, w, b: (F.batch_norm(x, rm, rv, w, b, False, 0.1, 1e-5), rm, rv),
              args={"training": False}, grad_inputs=[0, 3, 4], name=f"batch_norm eval {shape} {dt}")

    for r, shape in ((2, (1, 8, 3, 2)), (3, (2, 9, 2, 2)), (2, (4, 2, 3)), (2, (2, 2, 8, 1, 2))):
        c.add("pixel_shuffle", [torch.randn(shape, dtype=dt)], lambda x, r=r: F.pixel_shuffle(x, r), args={"r": r}, name=f"pixel_shuffle {r} {shape} {dt}")
    for r, shape in ((2, (1, 2, 6, 4)), (3, (2, 1, 3, 6)), (2, (3, 4, 2))):
        c.add("pixel_unshuffle", [torch.randn(shape, dtype=dt)], lambda x, r=r: F.pixel_unshuffle(x, r), args={"r": r}, name=f"pixel_unshuffle {r} {shape} {dt}")

w = torch.randn(6, 3)
c.error("embedding", [torch.tensor([6]), w], lambda i, w: F.embedding(i, w), name="embedding id out of range")
c.error("embedding", [torch.tensor([-1]), w], lambda i, w: F.embedding(i, w), name="embedding negative id")
c.error("embedding", [torch.tensor([1.0]), w], lambda i, w: F.embedding(i, w), name="embedding float ids")
c.error("embedding_pad", [torch.tensor([1]), w], lambda i, w: F.embedding(i, w, padding_idx=6), args={"padding_idx": 6}, name="embedding padding_idx out of range")
c.error("layer_norm_plain", [torch.randn(2, 3)], lambda x: F.layer_norm(x, (4,)), args={"shape": [4], "eps": 1e-5}, name="layer_norm shape mismatch")
c.error("group_norm_plain", [torch.randn(2, 3, 4)], lambda x: F.group_norm(x, 2), args={"groups": 2, "eps": 1e-5}, name="group_norm channels not divisible")
c.error("instance_norm_plain", [torch.randn(2, 3, 1)], lambda x: F.instance_norm(x), name="instance_norm one spatial element")
c.error("pixel_shuffle", [torch.randn(1, 5, 2, 2)], lambda x: F.pixel_shuffle(x, 2), args={"r": 2}, name="pixel_shuffle channels")
c.error("pixel_shuffle", [torch.randn(4, 2)], lambda x: F.pixel_shuffle(x, 2), args={"r": 2}, name="pixel_shuffle rank")
c.error("pixel_unshuffle", [torch.randn(1, 1, 5, 4)], lambda x: F.pixel_unshuffle(x, 2), args={"r": 2}, name="pixel_unshuffle height")
c.write(__file__)
