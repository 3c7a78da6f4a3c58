#!/usr/bin/python3
"""Goldens for softmax, log_softmax, softmin, cross_entropy, nll_loss, kl_div, smooth_l1_loss
and huber_loss (PyTorch 1.13). Run: /usr/bin/python3 gen_softmax_loss.py"""
import warnings
import torch
import torch.nn.functional as F
from golden import Cases

warnings.filterwarnings("ignore")
c = Cases(20261203)
inf, nan = float("inf"), float("nan")
R = ("none", "mean", "sum")

for dt in (torch.float32, torch.float64):
    for name, fn in (("softmax", F.softmax), ("log_softmax", F.log_softmax), ("softmin", F.softmin)):
        for shape, dims in (((4, 5), (0, 1, -1)), ((2, 3, 4), (0, 1, 2, -2)), ((), (0, -1)), ((2, 0), (0, 1)), ((7,), (0,))):
            for d in dims:
                c.add(name, [torch.randn(shape, dtype=dt) * 3], lambda x, fn=fn, d=d: fn(x, d), args={"dim": d}, name=f"{name} {shape} dim {d} {dt}")
        big = torch.tensor([[1000.0, 999.0, -1000.0], [-1e4, -1e4 + 1, -1e4 + 2], [88.0, 89.0, 90.0]], dtype=dt)
        c.add(name, [big], lambda x, fn=fn: fn(x, 1), args={"dim": 1}, name=f"{name} large logits stable {dt}")
        special = torch.tensor([[inf, 1.0, 0.0], [-inf, -inf, -inf], [nan, 1.0, 2.0], [-inf, 0.0, 1.0]], dtype=dt)
        c.add(name, [special], lambda x, fn=fn: fn(x, 1), args={"dim": 1}, grad=False, name=f"{name} inf nan {dt}")
        for shape in ((3,), (2, 3), (2, 3, 4), (2, 3, 4, 5)):
            c.add(name, [torch.randn(shape, dtype=dt)], lambda x, fn=fn: fn(x), args={"dim": None}, name=f"{name} implicit dim {shape} {dt}")
    c.add("softmax_dtype", [torch.randn(3, 4)], lambda x: F.softmax(x, 1, dtype=torch.float64), args={"dim": 1, "dtype": "float64"}, name="softmax dtype=float64")
c.error("softmax", [torch.tensor([1, 2])], lambda x: F.softmax(x, 0), args={"dim": 0}, name="softmax int64")
c.error("softmax", [torch.randn(2, 3)], lambda x: F.softmax(x, 2), args={"dim": 2}, name="softmax dim out of range")

L = torch.long
for dt in (torch.float32, torch.float64):
    x = torch.randn(5, 4, dtype=dt)
    t = torch.tensor([0, 3, 1, 1, 2])
    t_ign = torch.tensor([0, -100, 1, 2, -100])
    w = torch.tensor([0.5, 2.0, 1.0, 0.25], dtype=dt)
    spatial = torch.randn(2, 3, 2, 3, dtype=dt)
    t_sp = torch.randint(0, 3, (2, 2, 3))
    t_sp[0, 0, 1] = 1
    t_sp[1, 1, 2] = 2
    probs = torch.randn(5, 4, dtype=dt).softmax(1)
    for r in R:
        for eps in (0.0, 0.1):
            def ce(x, t, r=r, eps=eps, **kw):
                return F.cross_entropy(x, t, reduction=r, label_smoothing=eps, **kw)
            a = {"reduction": r, "label_smoothing": eps}
            c.add("cross_entropy", [x, t], ce, args=a, name=f"ce {r} eps {eps} {dt}")
            c.add("cross_entropy_w", [x, t, w], lambda x, t, w, ce=ce: ce(x, t, weight=w), args=a, grad_inputs=[0], name=f"ce weight {r} eps {eps} {dt}")
            c.add("cross_entropy_ign", [x, t_ign], lambda x, t, ce=ce: ce(x, t, ignore_index=-100), args={**a, "ignore_index": -100}, name=f"ce ignore {r} eps {eps} {dt}")
            c.add("cross_entropy_ign", [x, t], lambda x, t, ce=ce: ce(x, t, ignore_index=1), args={**a, "ignore_index": 1}, name=f"ce ignore class 1 {r} eps {eps} {dt}")
            c.add("cross_entropy_w_ign", [x, t_ign, w], lambda x, t, w, ce=ce: ce(x, t, weight=w, ignore_index=-100), args={**a, "ignore_index": -100},
                  grad_inputs=[0], name=f"ce weight ignore {r} eps {eps} {dt}")
            c.add("cross_entropy_ign", [x, torch.full((5,), -100)], lambda x, t, ce=ce: ce(x, t, ignore_index=-100), args={**a, "ignore_index": -100},
                  name=f"ce all ignored {r} eps {eps} {dt}")
            c.add("cross_entropy", [spatial, t_sp], ce, args=a, name=f"ce spatial {r} eps {eps} {dt}")
            c.add("cross_entropy_w", [spatial, t_sp, w[:3]], lambda x, t, w, ce=ce: ce(x, t, weight=w), args=a, grad_inputs=[0], name=f"ce spatial weight {r} eps {eps} {dt}")
            c.add("cross_entropy", [x[0], t[1]], ce, args=a, name=f"ce unbatched {r} eps {eps} {dt}")
            c.add("cross_entropy", [x, probs], ce, args=a, grad_inputs=[0, 1], name=f"ce probabilities {r} eps {eps} {dt}")
            c.add("cross_entropy_w", [x, probs, w], lambda x, t, w, ce=ce: ce(x, t, weight=w), args=a, grad_inputs=[0, 1], name=f"ce probabilities weight {r} eps {eps} {dt}")
            c.add("cross_entropy", [torch.randn(0, 4, dtype=dt), torch.zeros(0, dtype=L)], ce, args=a, name=f"ce empty batch {r} eps {eps} {dt}")
        c.add("nll_loss", [x.log_softmax(1), t], lambda x, t, r=r: F.nll_loss(x, t, reduction=r), args={"reduction": r}, name=f"nll {r} {dt}")
        c.add("nll_loss_w_ign", [x.log_softmax(1), t_ign, w], lambda x, t, w, r=r: F.nll_loss(x, t, weight=w, ignore_index=-100, reduction=r),
              args={"reduction": r, "ignore_index": -100}, grad_inputs=[0], name=f"nll weight ignore {r} {dt}")
        c.add("nll_loss_w_ign", [spatial, t_sp, w[:3]], lambda x, t, w, r=r: F.nll_loss(x, t, weight=w, ignore_index=2, reduction=r),
              args={"reduction": r, "ignore_index": 2}, grad_inputs=[0], name=f"nll spatial weight ignore 2 {r} {dt}")
        c.add("nll_loss", [x[1], t[0]], lambda x, t, r=r: F.nll_loss(x, t, reduction=r), args={"reduction": r}, name=f"nll unbatched {r} {dt}")
        lp = torch.randn(3, 4, dtype=dt).log_softmax(1)
        q = torch.tensor([[0.0, 0.5, 0.5, 0.0], [0.25, 0.25, 0.25, 0.25], [1.0, 0.0, 0.0, 0.0]], dtype=dt)
        for rr in R + ("batchmean",):
            c.add("kl_div", [lp, q], lambda x, y, rr=rr: F.kl_div(x, y, reduction=rr), args={"reduction": rr}, name=f"kl_div {rr} {dt}")
            c.add("kl_div_log", [lp, torch.randn(3, 4, dtype=dt).log_softmax(1)], lambda x, y, rr=rr: F.kl_div(x, y, reduction=rr, log_target=True),
                  args={"reduction": rr}, name=f"kl_div log_target {rr} {dt}")
        d = torch.tensor([0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -3.0, 0.25, 1.5, -1.5], dtype=dt)
        tgt = torch.randn(10, dtype=dt) * 0.1
        for beta in (1.0, 0.5, 0.0):
            c.add("smooth_l1", [tgt + d, tgt], lambda x, y, r=r, beta=beta: F.smooth_l1_loss(x, y, reduction=r, beta=beta),
                  args={"reduction": r, "beta": beta}, name=f"smooth_l1 beta {beta} {r} {dt}")
        for delta in (1.0, 0.5, 2.0):
            c.add("huber", [tgt + d, tgt], lambda x, y, r=r, delta=delta: F.huber_loss(x, y, reduction=r, delta=delta),
                  args={"reduction": r, "delta": delta}, name=f"huber delta {delta} {r} {dt}")
        c.add("smooth_l1", [torch.randn(3, 4, dtype=dt), torch.randn(4, dtype=dt)], lambda x, y, r=r: F.smooth_l1_loss(x, y, reduction=r),
              args={"reduction": r, "beta": 1.0}, name=f"smooth_l1 broadcast {r} {dt}")

x = torch.randn(2, 3)
c.error("cross_entropy", [x, torch.tensor([1, 2])], lambda x, t: F.cross_entropy(x, t, label_smoothing=1.5), args={"reduction": "mean", "label_smoothing": 1.5}, name="ce smoothing > 1")
c.error("cross_entropy", [x, torch.tensor([[1, 1, 1], [0, 0, 0]])], F.cross_entropy, args={"reduction": "mean", "label_smoothing": 0.0}, name="ce int target of input shape")
c.error("cross_entropy", [x, torch.tensor([1.0, 2.0])], F.cross_entropy, args={"reduction": "mean", "label_smoothing": 0.0}, name="ce float class indices")
c.error("cross_entropy_ign", [x, x.softmax(1)], lambda x, t: F.cross_entropy(x, t, ignore_index=1), args={"reduction": "mean", "label_smoothing": 0.0, "ignore_index": 1},
        name="ce ignore_index with probabilities")
c.error("cross_entropy", [x, torch.tensor([3, 0])], F.cross_entropy, args={"reduction": "mean", "label_smoothing": 0.0}, name="ce target out of bounds")
c.error("cross_entropy", [x, torch.tensor([-1, 0])], F.cross_entropy, args={"reduction": "mean", "label_smoothing": 0.0}, name="ce negative target")
c.error("cross_entropy", [x, torch.tensor([1, 0, 1])], F.cross_entropy, args={"reduction": "mean", "label_smoothing": 0.0}, name="ce batch mismatch")
c.error("cross_entropy_w", [x, torch.tensor([1, 0]), torch.ones(2)], lambda x, t, w: F.cross_entropy(x, t, weight=w), args={"reduction": "mean", "label_smoothing": 0.0},
        name="ce weight size")
c.error("nll_loss", [torch.randn(2, 3, 4), torch.zeros(2, 3, dtype=L)], F.nll_loss, args={"reduction": "mean"}, name="nll spatial target size")
c.error("smooth_l1", [x, x], lambda x, y: F.smooth_l1_loss(x, y, beta=-1.0), args={"reduction": "mean", "beta": -1.0}, name="smooth_l1 negative beta")
c.error("huber", [x, x], lambda x, y: F.huber_loss(x, y, delta=0.0), args={"reduction": "mean", "delta": 0.0}, name="huber zero delta")
c.write(__file__)
