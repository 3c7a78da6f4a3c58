#!/usr/bin/python3
"""Golden strings for Tensor.ToString(), made with real PyTorch (Debian python3-torch 1.13).

Run:  /usr/bin/python3 gen_printing.py   (writes printing.json next to this script)

Each print case holds the data of a leaf tensor (values as Python reprs, so nan/inf/-0.0 survive
JSON), its shape, dtype and requires_grad flag, an optional op applied to it before printing (the
same op is applied in C#; ops are chosen so that the results are exact in both), and repr(result).
The linspace/arange cases hold the exact values torch produces, for a bit-for-bit comparison.
"""
import json
import math
import os

import torch

torch.manual_seed(0)
F32, F64 = torch.float32, torch.float64

# op name -> function; the C# test has the same table.
OPS = {
    None: lambda x: x,
    "mul2": lambda x: x * 2,
    "add1": lambda x: x + 1,
    "sub1": lambda x: x - 1,
    "neg": lambda x: -x,
    "sum": lambda x: x.sum(),
    "sum0": lambda x: x.sum(0),
    "mean": lambda x: x.mean(),
    "relu": lambda x: x.relu(),
    "T": lambda x: x.T,
    "transpose01": lambda x: x.transpose(0, 1),
    "select0": lambda x: x[0],
    "reshape-1": lambda x: x.reshape(-1),
    "permute10": lambda x: x.permute(1, 0),
    "view-1": lambda x: x.view(-1),
    "unsqueeze0": lambda x: x.unsqueeze(0),
    "mm_self_t": lambda x: x @ x.t(),
    "to64": lambda x: x.to(F64),
    "flip0": lambda x: x.flip(0),
    "slice_step2": lambda x: x[::2],
}

cases = []


def case(name, t, op=None, requires_grad=False):
    t = t.detach().clone()
    leaf = t.clone().requires_grad_(requires_grad)
    out = OPS[op](leaf)
    cases.append({
        "name": name,
        "data": [repr(v) for v in t.reshape(-1).tolist()],
        "shape": list(t.shape),
        "dtype": "float64" if t.dtype == F64 else "float32",
        "requires_grad": requires_grad,
        "op": op,
        "expected": repr(out),
    })


T = torch.tensor
nan, inf = math.nan, math.inf

# int mode
case("int_2x3", T([[1., 2., 3.], [4., 5., 6.]]))
case("int_negative", T([-2., 0., 7., -13.]))
case("int_zeros", torch.zeros(2, 2))
case("int_all_zero_row", torch.zeros(5))
case("int_with_nan", T([1., nan, 3.]))
case("int_with_inf", T([1., inf, -inf, 0.]))
case("int_neg_zero", T([-0.0, 1.0]))
case("int_large_no_sci", T([1., 99999999.]))
case("int_ratio_sci", T([1., 1001.]))
case("int_ratio_1000", T([1., 1000.]))
case("int_big_sci", T([2e8, 3e8]))
case("only_nan", T([nan, nan]))
case("only_inf", T([inf, -inf]))
case("float64_ints", T([1., 2., 3.], dtype=F64))
# fixed 4-decimal mode
case("fixed_simple", T([0.1, 0.4, 1.0]))
case("fixed_seed_style", T([[0.1, 0.4, 1.0, 2.5], [-3.25, 0.125, 7.0, 1e-3]]))
case("fixed_round_half_even", T([0.03125, 0.09375, 1.5]))
case("fixed_neg_zero", T([-0.0, 0.5]))
case("fixed_tiny_negative", T([-0.00001, 0.5]))
case("fixed_with_nan_inf", T([0.5, nan, inf, -inf]))
case("fixed_float64", T([0.1, 0.2, 0.3], dtype=F64))
case("fixed_float64_2d", T([[1.23456789, -9.87654321], [3.0, 4.5]], dtype=F64))
case("fixed_widths", T([-123.456, 0.5, 7.25]))
case("fixed_min_1e-4", T([1e-4, 0.05]))
# scientific mode
case("sci_small", T([1e-5, 1.0]))
case("sci_ratio", T([0.5, 600.5]))
case("sci_large", T([1.5e9, 2.25]))
case("sci_with_zero_inf", T([1e-5, inf, 0.]))
case("sci_negative", T([-1.5e-7, 3.0e2, 0.25]))
case("sci_float64", T([1e-10, 1e10, 3.14159], dtype=F64))
case("sci_float64_huge", T([1e-300, 1e300], dtype=F64))
case("sci_float32_extremes", T([3.4e38, 1.2e-38]))
case("sci_nan", T([1e-6, nan]))
# rounding at the edges of a digit
case("fixed_rounds_up_a_digit", T([0.99995, 9.99995, 99.99996], dtype=F64))
case("sci_rounds_up_exponent", T([9.99996e-5, 1.0], dtype=F64))
case("sci_round_half_even", T([1.03125, 1e-5], dtype=F64))
case("fixed_float32_not_exact", T([0.1, 0.2, 0.3, 1.0 / 3.0]))
# random magnitudes on both sides of the mode switches
gen = torch.Generator().manual_seed(1)
for k, exponent in enumerate((-7, -5, -3, 0, 2, 3, 5, 8, 9)):
    shape = [(2, 3), (7,), (2, 2, 2), (1, 9)][k % 4]
    dtype = F64 if k % 3 == 0 else F32
    case(f"magnitude_1e{exponent}", torch.randn(*shape, generator=gen, dtype=dtype) * 10.0 ** exponent)
case("magnitude_ints_1e7", torch.randint(-10**7, 10**7, (5,), generator=gen).to(F32))
# 0-d
case("scalar_int", T(3.))
case("scalar_fixed", T(0.5))
case("scalar_sci", T(1.5e-9))
case("scalar_nan", T(nan))
case("scalar_neg_zero", T(-0.0))
case("scalar_float64", T(2.718281828, dtype=F64))
case("scalar_zero", T(0.))
# empty
case("empty_1d", torch.zeros(0))
case("empty_0x3", torch.zeros(0, 3))
case("empty_2x0x3_f64", torch.zeros(2, 0, 3, dtype=F64))
case("empty_requires_grad", torch.zeros(0), requires_grad=True)
# shapes
case("linspace_seed_4d", torch.linspace(0.1, 4.8, 48).reshape(1, 3, 4, 4))
case("arange_3d", torch.arange(24.).reshape(2, 3, 4))
case("randn_4d", torch.randn(2, 2, 2, 3))
case("randn_3x5", torch.randn(3, 5))
case("column", T([[1.5], [2.5], [-3.5]]))
case("one_element_2d", T([[7.]]))
case("size1_dims", torch.randn(1, 1, 3))
# row wrapping
case("wrap_int_row", torch.arange(40.))
case("wrap_fixed_row", torch.randn(30))
case("wrap_sci_row", torch.randn(20) * 1e-5)
case("wrap_2d_rows", torch.randn(2, 25))
case("wrap_3d_rows", torch.randn(2, 2, 15))
case("wrap_zeros_row", torch.zeros(40))
case("wrap_float64_row", torch.randn(16, dtype=F64))
# summarization (> 1000 elements)
case("summary_1d", torch.arange(1001.))
case("summary_2d", torch.randn(40, 30))
case("summary_3d", torch.arange(2000.).reshape(10, 10, 20) / 7)
case("summary_short_first_dim", torch.randn(4, 300))
case("summary_sci", torch.randn(1200) * 1e6)
case("summary_4d", torch.linspace(-1, 1, 1296).reshape(6, 6, 6, 6))
# non-contiguous views (no grad)
case("transposed", torch.arange(6.).reshape(2, 3) / 4, op="T")
case("flipped", T([1.5, 2.5, 3.5]), op="flip0")
case("sliced_step", torch.arange(10.) / 8, op="slice_step2")
# suffixes
case("requires_grad", T([1., 2., 3.]), requires_grad=True)
case("requires_grad_2d", T([[0.5, 1.5], [2.5, 3.5]]), requires_grad=True)
case("requires_grad_scalar", T(1.5), requires_grad=True)
case("float64_requires_grad", T([1., 2.], dtype=F64), requires_grad=True)
case("grad_mul", T([1., 2., 3.]), op="mul2", requires_grad=True)
case("grad_add", T([[0.5, 1.5], [2.5, 3.5]]), op="add1", requires_grad=True)
case("grad_sub", T([0.25, 0.75]), op="sub1", requires_grad=True)
case("grad_neg", T([0.25, -0.75]), op="neg", requires_grad=True)
case("grad_sum", T([1., 2., 3.]), op="sum", requires_grad=True)
case("grad_sum_dim", T([[1., 2., 3.], [4., 5., 6.]], dtype=F64), op="sum0", requires_grad=True)
case("grad_mean", T([1., 2., 3., 6.]), op="mean", requires_grad=True)
case("grad_relu", T([-1., 2., -3., 4.]), op="relu", requires_grad=True)
case("grad_T", T([[1., 2.], [3., 4.]]), op="T", requires_grad=True)
case("grad_transpose", T([[1., 2.], [3., 4.]]), op="transpose01", requires_grad=True)
case("grad_select", T([[1., 2.], [3., 4.]]), op="select0", requires_grad=True)
case("grad_reshape", T([[1., 2.], [3., 4.]]), op="reshape-1", requires_grad=True)
case("grad_permute", T([[1., 2.], [3., 4.]]), op="permute10", requires_grad=True)
case("grad_view", T([[1., 2.], [3., 4.]]), op="view-1", requires_grad=True)
case("grad_unsqueeze", T([1., 2.]), op="unsqueeze0", requires_grad=True)
case("grad_mm", T([[1., 2.], [3., 4.]]), op="mm_self_t", requires_grad=True)
case("grad_to64", T([0.5, 1.5]), op="to64", requires_grad=True)
case("grad_flip", T([0.5, 1.5]), op="flip0", requires_grad=True)
case("grad_mul_float64", T([1.5, 2.5], dtype=F64), op="mul2", requires_grad=True)
# suffix wrapping onto a new line
case("suffix_wrap_grad_fn", torch.randn(9), op="mul2", requires_grad=True)
case("suffix_wrap_dtype", torch.randn(9, dtype=F64), requires_grad=True)
case("suffix_wrap_2d", torch.randn(2, 9, dtype=F64), op="mul2", requires_grad=True)
case("suffix_wrap_sci", torch.randn(7) * 1e-6, requires_grad=True)
case("suffix_wrap_int", torch.arange(23.), op="mul2", requires_grad=True)
case("suffix_wrap_full_line", T([-0.5, 1.25, -2.75, 3.125, -0.0625, 0.25, -1.5, 2.5]), op="mul2", requires_grad=True)
case("suffix_wrap_full_line_f64", T([[-0.5, 1.25, -2.75, 3.125, -0.0625, 0.25, -1.5, 2.5]] * 2, dtype=F64),
     requires_grad=True)
case("suffix_wrap_second_only", T([-0.5, 1.25, -2.75, 3.125, -0.0625], dtype=F64), op="mul2", requires_grad=True)
case("suffix_wrap_sci_full", T([1e-5, -2e-5, 3e-5, -4e-5, 5e-5, -6e-5]), op="neg", requires_grad=True)

ranges = []


def vals(t):
    return [repr(v) for v in t.tolist()]


for dtype, name in ((F32, "float32"), (F64, "float64")):
    for start, end, steps in ((0.1, 4.8, 48), (-3.3, 7.7, 101), (0.0, 1.0, 1000), (1e-3, 5.5, 77),
                              (-2.7, 0.35, 23), (2.0, -1.0, 9), (0.3, 0.9, 37), (5.0, 5.0, 3), (1.0, 2.0, 1),
                              (0.0, 1.0, 0), (-1.0, 1.0, 2), (0.1, 0.2, 17)):
        ranges.append({"kind": "linspace", "start": start, "end": end, "steps": steps, "dtype": name,
                       "values": vals(torch.linspace(start, end, steps, dtype=dtype))})
    for start, end, step in ((0.0, 10.0, 1.0), (0.1, 4.8, 0.1), (-3.3, 7.7, 0.37), (0.05, 3.0, 0.013),
                             (1.0, -2.0, -0.3), (0.0, 1.0, 0.3), (2.5, 40.0, 0.7)):
        ranges.append({"kind": "arange", "start": start, "end": end, "step": step, "dtype": name,
                       "values": vals(torch.arange(start, end, step, dtype=dtype))})

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "printing.json"), "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases, "ranges": ranges}, f, indent=1)
print(f"{len(cases)} print cases, {len(ranges)} range cases")
