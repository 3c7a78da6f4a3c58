#!/usr/bin/python3
"""Goldens for max/avg pooling 1-d/2-d/3-d (kernel, stride, padding, dilation, ceil_mode,
count_include_pad, divisor_override, return_indices), adaptive avg/max pooling and max_unpool
(PyTorch 1.13): ties, NaN, -inf, ceil-mode windows in the padding, unbatched inputs.
Run: /usr/bin/python3 gen_pool.py"""
import torch
import torch.nn.functional as F
from golden import Cases

c = Cases(20261206)
nan, inf = float("nan"), float("inf")


def args(**kw):
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in kw.items()}


for dt in (torch.float32, torch.float64):
    x1 = torch.randn(2, 3, 11, dtype=dt)
    for k, s, p, d, ceil in ((3, None, 0, 1, False), (3, 2, 1, 1, False), (3, 2, 1, 1, True), (2, 3, 1, 2, True), (4, 1, 2, 1, False), (5, 3, 2, 2, True)):
        a = args(k=k, s=s, p=p, d=d, ceil=ceil)
        c.add("max_pool1d", [x1], lambda x, k=k, s=s, p=p, d=d, ceil=ceil: F.max_pool1d(x, k, s, p, d, ceil, return_indices=True), args=a,
              name=f"max_pool1d {a} {dt}")
        c.add("max_pool1d", [x1], lambda x, k=k, s=s, p=p, d=d, ceil=ceil: F.max_pool1d(x, k, s, p, d, ceil, return_indices=True), args=a,
              grad=False, name=f"max_pool1d no grad {a} {dt}")
        if d == 1:
            for cip in (True, False):
                a2 = args(k=k, s=s, p=p, ceil=ceil, cip=cip)
                c.add("avg_pool1d", [x1], lambda x, k=k, s=s, p=p, ceil=ceil, cip=cip: F.avg_pool1d(x, k, s, p, ceil, cip), args=a2, name=f"avg_pool1d {a2} {dt}")
    x2 = torch.randn(2, 2, 7, 6, dtype=dt)
    for k, s, p, d, ceil in (((2, 2), None, (0, 0), (1, 1), False), ((3, 3), (2, 2), (1, 1), (1, 1), True), ((3, 2), (2, 1), (1, 0), (1, 1), False),
                             ((2, 3), (3, 2), (1, 1), (2, 1), True), ((3, 3), (1, 1), (1, 1), (2, 2), False), ((4, 4), (3, 3), (2, 2), (1, 1), True)):
        a = args(k=k, s=s, p=p, d=d, ceil=ceil)
        c.add("max_pool2d", [x2], lambda x, k=k, s=s, p=p, d=d, ceil=ceil: F.max_pool2d(x, k, s, p, d, ceil, return_indices=True), args=a,
              name=f"max_pool2d {a} {dt}")
        if d == (1, 1):
            for cip in (True, False):
                for div in (None, 5):
                    a2 = args(k=k, s=s, p=p, ceil=ceil, cip=cip, div=div)
                    c.add("avg_pool2d", [x2], lambda x, k=k, s=s, p=p, ceil=ceil, cip=cip, div=div: F.avg_pool2d(x, k, s, p, ceil, cip, div),
                          args=a2, name=f"avg_pool2d {a2} {dt}")
    c.add("max_pool2d", [x2[0]], lambda x: F.max_pool2d(x, 3, 2, 1, 1, True, return_indices=True), args=args(k=3, s=2, p=1, d=1, ceil=True),
          name=f"max_pool2d unbatched {dt}")
    c.add("avg_pool2d", [x2[0]], lambda x: F.avg_pool2d(x, 3, 2, 1, True, False, None), args=args(k=3, s=2, p=1, ceil=True, cip=False, div=None),
          name=f"avg_pool2d unbatched {dt}")
    x3 = torch.randn(1, 2, 5, 4, 6, dtype=dt)
    for k, s, p, d, ceil in (((2, 2, 2), None, (0, 0, 0), (1, 1, 1), False), ((3, 2, 3), (2, 1, 2), (1, 1, 1), (1, 1, 1), True),
                             ((2, 2, 2), (2, 2, 2), (1, 0, 1), (2, 1, 2), False)):
        a = args(k=k, s=s, p=p, d=d, ceil=ceil)
        c.add("max_pool3d", [x3], lambda x, k=k, s=s, p=p, d=d, ceil=ceil: F.max_pool3d(x, k, s, p, d, ceil, return_indices=True), args=a,
              name=f"max_pool3d {a} {dt}")
        if d == (1, 1, 1):
            for cip, div in ((True, None), (False, None), (True, 3)):
                a2 = args(k=k, s=s, p=p, ceil=ceil, cip=cip, div=div)
                c.add("avg_pool3d", [x3], lambda x, k=k, s=s, p=p, ceil=ceil, cip=cip, div=div: F.avg_pool3d(x, k, s, p, ceil, cip, div),
                      args=a2, name=f"avg_pool3d {a2} {dt}")

    # Ties go to the first tap; NaN is always taken (the last NaN of a window wins); -inf everywhere picks the first tap.
    ties = torch.tensor([[[[1.0, 1.0, 2.0, 2.0], [1.0, 0.0, 2.0, 2.0], [nan, 3.0, -inf, -inf], [3.0, nan, -inf, -inf]]]], dtype=dt)
    c.add("max_pool2d", [ties], lambda x: F.max_pool2d(x, 2, return_indices=True), args=args(k=(2, 2), s=None, p=(0, 0), d=(1, 1), ceil=False),
          grad=False, name=f"max_pool2d ties nan -inf {dt}")
    flat = torch.tensor([[[[1.0, 1.0, 2.0, 2.0], [1.0, 0.0, 2.0, 2.0]]]], dtype=dt)
    c.add("max_pool2d", [flat], lambda x: F.max_pool2d(x, 2, 1, return_indices=True), args=args(k=(2, 2), s=(1, 1), p=(0, 0), d=(1, 1), ceil=False),
          name=f"max_pool2d ties gradient to first {dt}")

    # A ceil-mode window of dilated taps can hold no input at all: PyTorch gives -inf there, with the
    # index of its first tap at or after 0 (which may lie past the plane).
    c.add("max_pool2d", [torch.arange(6, dtype=dt).reshape(1, 2, 3, 1)], lambda x: F.max_pool2d(x, 2, 3, 1, 2, True, return_indices=True),
          args=args(k=(2, 2), s=(3, 3), p=(1, 1), d=(2, 2), ceil=True), grad=False, name=f"max_pool2d window without input {dt}")
    for out in (1, 3, 4, 7, 13):
        c.add("adaptive_avg_pool1d", [x1], lambda x, out=out: F.adaptive_avg_pool1d(x, out), args=args(out=out), name=f"adaptive_avg_pool1d {out} {dt}")
        c.add("adaptive_max_pool1d", [x1], lambda x, out=out: F.adaptive_max_pool1d(x, out, return_indices=True), args=args(out=out), name=f"adaptive_max_pool1d {out} {dt}")
    for out in ((1, 1), (3, 2), (4, 4), (7, 6), (5, 9), (None, 2), (3, None)):
        c.add("adaptive_avg_pool2d", [x2], lambda x, out=out: F.adaptive_avg_pool2d(x, out), args=args(out=out), name=f"adaptive_avg_pool2d {out} {dt}")
        c.add("adaptive_max_pool2d", [x2], lambda x, out=out: F.adaptive_max_pool2d(x, out, return_indices=True), args=args(out=out), name=f"adaptive_max_pool2d {out} {dt}")
    c.add("adaptive_avg_pool2d", [x2[1]], lambda x: F.adaptive_avg_pool2d(x, (3, 4)), args=args(out=(3, 4)), name=f"adaptive_avg_pool2d unbatched {dt}")
    for out in ((1, 1, 1), (2, 3, 4), (5, 4, 6), (3, 5, 2)):
        c.add("adaptive_avg_pool3d", [x3], lambda x, out=out: F.adaptive_avg_pool3d(x, out), args=args(out=out), name=f"adaptive_avg_pool3d {out} {dt}")
        c.add("adaptive_max_pool3d", [x3], lambda x, out=out: F.adaptive_max_pool3d(x, out), args=args(out=out), name=f"adaptive_max_pool3d {out} {dt}")

    # max_unpool inverts max_pool's indices; output_size may differ by up to stride - 1.
    for k, s, p, size in ((2, 2, 0, None), (3, 2, 1, [7, 6]), (2, 2, 0, [7, 7]), (3, 3, 1, [1, 2, 7, 6])):
        y, idx = F.max_pool2d(x2, k, s, p, return_indices=True)
        c.add("max_unpool2d", [y, idx], lambda y, i, k=k, s=s, p=p, size=size: F.max_unpool2d(y, i, k, s, p, size), args=args(k=k, s=s, p=p, size=size),
              name=f"max_unpool2d k{k} s{s} p{p} size {size} {dt}")
    y, idx = F.max_pool1d(x1, 3, 2, 1, return_indices=True)
    c.add("max_unpool1d", [y, idx], lambda y, i: F.max_unpool1d(y, i, 3, 2, 1), args=args(k=3, s=2, p=1, size=None), name=f"max_unpool1d {dt}")
    y, idx = F.max_pool3d(x3, 2, 2, return_indices=True)
    c.add("max_unpool3d", [y, idx], lambda y, i: F.max_unpool3d(y, i, 2, 2), args=args(k=2, s=2, p=0, size=None), name=f"max_unpool3d {dt}")

x = torch.randn(1, 1, 4, 4)
c.error("max_pool2d", [x], lambda x: F.max_pool2d(x, 3, 1, 2), args=args(k=(3, 3), s=(1, 1), p=(2, 2), d=(1, 1), ceil=False), name="max_pool2d pad > half kernel")
c.error("max_pool2d", [x], lambda x: F.max_pool2d(x, 5), args=args(k=(5, 5), s=None, p=(0, 0), d=(1, 1), ceil=False), name="max_pool2d output too small")
c.error("max_pool2d", [torch.randn(4, 4)], lambda x: F.max_pool2d(x, 2), args=args(k=(2, 2), s=None, p=(0, 0), d=(1, 1), ceil=False), name="max_pool2d 2-d input")
c.error("avg_pool2d", [x], lambda x: F.avg_pool2d(x, 2, divisor_override=0), args=args(k=(2, 2), s=None, p=(0, 0), ceil=False, cip=True, div=0), name="avg_pool2d divisor 0")
c.error("avg_pool2d", [x], lambda x: F.avg_pool2d(x, 2, 0), args=args(k=(2, 2), s=(0, 0), p=(0, 0), ceil=False, cip=True, div=None), name="avg_pool2d stride 0")
y, idx = F.max_pool2d(x, 2, return_indices=True)
c.error("max_unpool2d", [y, idx], lambda y, i: F.max_unpool2d(y, i, 2, 2, 0, [6, 6]), args=args(k=2, s=2, p=0, size=[6, 6]), name="max_unpool2d bad output_size")
c.error("max_unpool2d", [y, idx * 10], lambda y, i: F.max_unpool2d(y, i, 2, 2, 0), args=args(k=2, s=2, p=0, size=None), name="max_unpool2d invalid index")
c.error("adaptive_avg_pool2d", [torch.randn(1, 2, 0, 3)], lambda x: F.adaptive_avg_pool2d(x, 2), args=args(out=(2, 2)), name="adaptive_avg_pool2d empty")
c.write(__file__)
