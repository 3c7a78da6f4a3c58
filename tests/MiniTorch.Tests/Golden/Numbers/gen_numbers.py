"""Writes numbers.json: PyTorch 1.13's answers to bad numbers in creation functions, and its int64
arange/linspace values. Mirrored by tests/MiniTorch.Tests/Tensors/NumberArgumentTests.cs.
Run with PyTorch 1.13:  python3 gen_numbers.py
"""
import json
import torch

inf, nan = float("inf"), float("nan")


def error(f):
    try:
        f()
    except RuntimeError as e:
        return str(e)
    raise AssertionError("expected an error")


errors = {
    "arange(0, nan)": error(lambda: torch.arange(0, nan)),
    "arange(nan, 5)": error(lambda: torch.arange(nan, 5)),
    "arange(0, inf)": error(lambda: torch.arange(0, inf)),
    "arange(-inf, 0)": error(lambda: torch.arange(-inf, 0)),
    "arange(0, 5, nan)": error(lambda: torch.arange(0, 5, nan)),
    "arange(0, 5, 0)": error(lambda: torch.arange(0, 5, 0)),
    "arange(0, 5, -1)": error(lambda: torch.arange(0, 5, -1)),
    "arange(0, 3, bool)": error(lambda: torch.arange(0, 3, dtype=torch.bool)),
    "linspace(0, 1, 3, bool)": error(lambda: torch.linspace(0, 1, 3, dtype=torch.bool)),
    "linspace(0, 1, -1)": error(lambda: torch.linspace(0, 1, -1)),
    "normal(0, nan)": error(lambda: torch.normal(0.0, nan, (3,))),
    "normal(0, -1)": error(lambda: torch.normal(0.0, -1.0, (3,))),
    "randn(int64)": error(lambda: torch.randn(3, dtype=torch.int64)),
    "rand(int64)": error(lambda: torch.rand(3, dtype=torch.int64)),
    "uniform(nan, 1) float32": error(lambda: torch.empty(3).uniform_(nan, 1)),
    "uniform(0, inf) float32": error(lambda: torch.empty(3).uniform_(0, inf)),
    "uniform(0, 1e39) float32": error(lambda: torch.empty(3).uniform_(0, 1e39)),
    "uniform(-3e38, 3e38) float32": error(lambda: torch.empty(3).uniform_(-3e38, 3e38)),
    "uniform(2, 1) float32": error(lambda: torch.empty(3).uniform_(2, 1)),
    "uniform(nan, 1) float64": error(lambda: torch.empty(3, dtype=torch.float64).uniform_(nan, 1)),
    "uniform(0, inf) float64": error(lambda: torch.empty(3, dtype=torch.float64).uniform_(0, inf)),
    "uniform(-1e308, 1e308) float64": error(lambda: torch.empty(3, dtype=torch.float64).uniform_(-1e308, 1e308)),
    "narrow(0, 1, 2**31 - 1)": error(lambda: torch.zeros(5).narrow(0, 1, 2**31 - 1)),
}

arange_int64 = []
for start, end, step in [(0, 5, 1), (0.5, 4, 1.5), (-1, 3, 1), (10, -3, -2.7), (-7.9, 7.9, 2.5), (3, 3, 1)]:
    arange_int64.append({"start": start, "end": end, "step": step, "values": torch.arange(start, end, step, dtype=torch.int64).tolist()})

linspace_int64 = []
for start, end, steps in [(0, 10, 5), (-3, 10, 7), (0.5, 9.7, 11), (0, 10, 17), (-3, 10, 40), (-10.9, 10, 1001),
                          (1000, -77777, 23), (7, 7, 9), (0, 1, 0), (5, 9, 1), (-2**40, 2**40, 101)]:
    linspace_int64.append({"start": start, "end": end, "steps": steps, "values": torch.linspace(start, end, steps, dtype=torch.int64).tolist()})

with open("numbers.json", "w") as f:
    json.dump({"torch": torch.__version__, "errors": errors, "arange_int64": arange_int64, "linspace_int64": linspace_int64}, f, indent=1)
