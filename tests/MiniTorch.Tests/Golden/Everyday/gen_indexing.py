#!/usr/bin/python3
"""Goldens for gather, scatter_add, index_select, index_add, advanced indexing, repeat, tile,
expand, flatten and unflatten (PyTorch 1.13). Run: /usr/bin/python3 gen_indexing.py"""
import torch
from golden import Cases

c = Cases(20261202)
L = torch.long
for dt in (torch.float32, torch.float64):
    x = torch.randn(3, 4, dtype=dt)
    c.add("gather", [x, torch.tensor([[0, 2, 2, 1], [1, 1, 0, 0]])], lambda x, i: x.gather(0, i), args={"dim": 0}, name=f"gather dim 0 {dt}")
    c.add("gather", [x, torch.tensor([[3, 3], [0, 1], [2, 2]])], lambda x, i: x.gather(1, i), args={"dim": 1}, name=f"gather dim 1 {dt}")
    c.add("gather", [x, torch.tensor([[1], [0], [3]])], lambda x, i: x.gather(-1, i), args={"dim": -1}, name=f"gather dim -1 {dt}")
    c.add("gather", [x, torch.tensor([[0, 1, 2, 0]] * 5)], lambda x, i: x.gather(0, i), args={"dim": 0}, name=f"gather index longer along dim {dt}")
    x3 = torch.randn(2, 3, 4, dtype=dt)
    c.add("gather", [x3, torch.randint(0, 3, (2, 2, 4))], lambda x, i: x.gather(1, i), args={"dim": 1}, name=f"gather 3-d {dt}")
    src = torch.randn(2, 4, dtype=dt)
    c.add("scatter_add", [torch.randn(3, 4, dtype=dt), torch.tensor([[0, 2, 2, 1], [0, 0, 2, 1]]), src],
          lambda x, i, s: x.scatter_add(0, i, s), args={"dim": 0}, name=f"scatter_add dim 0 {dt}")
    c.add("scatter_add", [torch.randn(3, 4, dtype=dt), torch.tensor([[1, 1], [3, 0], [2, 2]]), torch.randn(3, 3, dtype=dt)],
          lambda x, i, s: x.scatter_add(1, i, s), args={"dim": 1}, grad=False, name=f"scatter_add larger src (no backward in PyTorch) {dt}")
    c.add("index_select", [x, torch.tensor([2, 0, 2])], lambda x, i: x.index_select(0, i), args={"dim": 0}, name=f"index_select dim 0 repeated {dt}")
    c.add("index_select", [x3, torch.tensor([3, 1])], lambda x, i: x.index_select(-1, i), args={"dim": -1}, name=f"index_select dim -1 {dt}")
    c.add("index_select", [x, torch.tensor(1)], lambda x, i: x.index_select(1, i), args={"dim": 1}, name=f"index_select 0-d index {dt}")
    c.add("index_select", [x, torch.zeros(0, dtype=L)], lambda x, i: x.index_select(0, i), args={"dim": 0}, name=f"index_select empty {dt}")
    c.add("index_add", [torch.randn(3, 4, dtype=dt), torch.tensor([2, 0, 2]), torch.randn(3, 4, dtype=dt)],
          lambda x, i, s: x.index_add(0, i, s, alpha=1.5), args={"dim": 0, "alpha": 1.5}, name=f"index_add {dt}")
    c.add("index", [x, torch.tensor([[2, -1], [0, 0]])], lambda x, i: x[i], name=f"index int64 negative {dt}")
    c.add("index", [x, x[:, 0] > 0], lambda x, m: x[m], name=f"index bool rows {dt}")
    c.add("index", [x, x > 0], lambda x, m: x[m], name=f"index bool elements {dt}")
    for sizes in ((2, 1), (1, 3), (2, 2, 1), (0, 2), (3, 1, 2)):
        c.add("repeat", [x], lambda x, s=sizes: x.repeat(*s), args={"sizes": list(sizes)}, name=f"repeat {sizes} {dt}")
    for dims in ((2,), (2, 1), (1, 2, 2)):
        c.add("tile", [x], lambda x, d=dims: torch.tile(x, d), args={"dims": list(dims)}, name=f"tile {dims} {dt}")
    c.add("expand", [torch.randn(3, 1, dtype=dt)], lambda x: x.expand(2, 3, 4), args={"sizes": [2, 3, 4]}, name=f"expand {dt}")
    c.add("expand", [torch.randn(3, 1, dtype=dt)], lambda x: x.expand(-1, 5), args={"sizes": [-1, 5]}, name=f"expand -1 {dt}")
    for s, e in ((0, -1), (1, 2), (-2, -1), (1, 1)):
        c.add("flatten", [x3], lambda x, s=s, e=e: torch.flatten(x, s, e), args={"start": s, "end": e}, name=f"flatten {s} {e} {dt}")
    c.add("unflatten", [x3], lambda x: x.unflatten(2, (2, 2)), args={"dim": 2, "sizes": [2, 2]}, name=f"unflatten {dt}")
    c.add("unflatten", [x3], lambda x: x.unflatten(-2, (3, -1)), args={"dim": -2, "sizes": [3, -1]}, name=f"unflatten -1 {dt}")

i64 = torch.tensor([[5, 6, 7], [8, 9, 10]])
c.add("gather", [i64, torch.tensor([[2, 0], [1, 1]])], lambda x, i: x.gather(1, i), args={"dim": 1}, name="gather int64")
c.add("index_select", [i64, torch.tensor([1, 1, 0])], lambda x, i: x.index_select(0, i), args={"dim": 0}, name="index_select int64")
c.add("repeat", [i64], lambda x: x.repeat(2, 2), args={"sizes": [2, 2]}, name="repeat int64")
c.add("index", [i64, torch.tensor([True, False])], lambda x, m: x[m], name="index int64 by mask")

x = torch.randn(2, 3)
c.error("gather", [x, torch.tensor([[0, 5, 1]])], lambda x, i: x.gather(0, i), args={"dim": 0}, name="gather out of bounds")
c.error("gather", [x, torch.tensor([[0, -1, 1]])], lambda x, i: x.gather(0, i), args={"dim": 0}, name="gather negative")
c.error("gather", [x, torch.tensor([0, 1])], lambda x, i: x.gather(0, i), args={"dim": 0}, name="gather rank")
c.error("gather", [x, torch.tensor([[0.0, 1.0]])], lambda x, i: x.gather(0, i), args={"dim": 0}, name="gather float index")
c.error("gather", [x, torch.zeros(2, 4, dtype=L)], lambda x, i: x.gather(0, i), args={"dim": 0}, name="gather index too large")
c.error("index_select", [x, torch.tensor([0, 3])], lambda x, i: x.index_select(1, i), args={"dim": 1}, name="index_select out of bounds")
c.error("index_select", [x, torch.tensor([[0]])], lambda x, i: x.index_select(1, i), args={"dim": 1}, name="index_select matrix index")
c.error("index_select", [x, torch.tensor([1.0])], lambda x, i: x.index_select(1, i), args={"dim": 1}, name="index_select float index")
c.error("index", [x, torch.tensor([2])], lambda x, i: x[i], name="index out of bounds")
c.error("index", [x, torch.tensor([True, False, True])], lambda x, m: x[m], name="index mask shape")
c.error("repeat", [x], lambda x: x.repeat(2), args={"sizes": [2]}, name="repeat too few sizes")
c.error("repeat", [x], lambda x: x.repeat(-1, 2), args={"sizes": [-1, 2]}, name="repeat negative")
c.error("unflatten", [x], lambda x: x.unflatten(1, (2, 2)), args={"dim": 1, "sizes": [2, 2]}, name="unflatten sizes")
c.error("flatten", [x], lambda x: torch.flatten(x, 1, 0), args={"start": 1, "end": 0}, name="flatten start after end")
c.write(__file__)
