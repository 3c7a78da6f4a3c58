"""Writes inplace.json: what PyTorch 1.13 does when tensors change in place around autograd.

Each case mirrors a test in tests/MiniTorch.Tests/Autograd/InPlaceGoldenTests.cs, which builds the
same tensors with MiniTorch. A case records either the exact error message, or the values and
gradients it produces. Run with PyTorch 1.13:  python3 gen_inplace.py
"""
import json
import torch
import torch.nn.functional as F

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def vals(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).double()]}


def x3(requires_grad=True, dtype=torch.float32):
    return torch.tensor([1.0, 2.0, 3.0], dtype=dtype, requires_grad=requires_grad)


def x23(requires_grad=True, dtype=torch.float64):
    return torch.tensor([[0.5, -1.0, 2.0], [1.5, -0.25, 3.0]], dtype=dtype, requires_grad=requires_grad)


@case
def leaf_modified_under_no_grad():
    x = x3()
    y = (x * x).sum()
    with torch.no_grad():
        x.copy_(torch.full((3,), 5.0))
    y.backward()


@case
def leaf_written_with_grad_on():
    x = x3()
    x.copy_(torch.full((3,), 5.0))


@case
def leaf_add_with_grad_on():
    x = x3()
    x.add_(1)


@case
def view_of_leaf_written():
    x = x3()
    x[0:2].add_(1)


@case
def view_made_under_no_grad_written():
    x = x3()
    h = x * 1
    with torch.no_grad():
        v = h[0:2]
    v.mul_(torch.ones(2, requires_grad=True))


@case
def saved_output_modified():
    x = x3()
    y = x.exp()
    y.add_(1)
    y.sum().backward()


@case
def saved_nonleaf_modified_recorded():
    x = x3()
    h = x * 2
    y = h * h
    h.add_(1)
    y.sum().backward()


@case
def saved_nonleaf_modified_under_no_grad():
    x = x23()
    h = x * 1
    y = (h * h).sum()
    with torch.no_grad():
        h.mul_(2)
    y.backward()


@case
def saved_constant_modified():
    x = x3()
    w = x3(False)
    y = (x * w).sum()
    w.add_(1)
    y.backward()


@case
def unsaved_input_modified():
    x = x3()
    w = x3(False)
    y = (x * w).sum()
    with torch.no_grad():
        x.add_(1)
    y.backward()
    return {"x.grad": vals(x.grad)}


@case
def matmul_unsaved_operand_modified():
    a = x23()
    b = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=torch.float64)
    y = (a @ b).sum()
    with torch.no_grad():
        a.add_(1)
    y.backward()
    return {"a.grad": vals(a.grad)}


@case
def scalar_modified():
    x = torch.tensor(3.0, requires_grad=True)
    y = x * x
    with torch.no_grad():
        x.mul_(2)
    y.backward()


@case
def sigmoid_output_zeroed():
    x = x23()
    y = x.sigmoid()
    y.zero_()
    y.sum().backward()


@case
def relu_output_modified():
    x = x23(dtype=torch.float32)
    y = x.relu()
    z = y * 1
    y.mul_(2)
    z.sum().backward()


@case
def saved_view_base_modified():
    x = x23()
    h = x * 1
    v = h.view(6)
    y = (v * v).sum()
    with torch.no_grad():
        h.add_(1)
    y.backward()


@case
def nonleaf_view_written():
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    h = x * 1
    z = (h * h).sum()
    h[0].mul_(2)
    z.backward()


@case
def conv_input_modified():
    x = torch.arange(16.0).reshape(1, 1, 4, 4).requires_grad_()
    w = torch.ones(1, 1, 3, 3)
    h = x * 1
    y = F.conv2d(h, w).sum()
    with torch.no_grad():
        h.mul_(2)
    y.backward()


@case
def conv_weight_modified():
    x = torch.arange(16.0).reshape(1, 1, 4, 4).requires_grad_()
    w = torch.ones(1, 1, 3, 3)
    y = F.conv2d(x, w).sum()
    w.mul_(2)
    y.backward()


@case
def batch_norm_eval_weight_modified():
    x = torch.arange(12.0, dtype=torch.float64).reshape(2, 2, 3).requires_grad_()
    w = torch.tensor([1.5, 0.5], dtype=torch.float64)
    y = F.batch_norm(x, torch.zeros(2, dtype=torch.float64), torch.ones(2, dtype=torch.float64), w, None, False).sum()
    w.add_(1)
    y.backward()


@case
def bce_target_modified():
    x = torch.tensor([0.2, 0.5, 0.9], requires_grad=True)
    t = torch.tensor([0.0, 1.0, 0.5])
    y = F.binary_cross_entropy(x, t)
    t.add_(0.01)
    y.backward()


@case
def expanded_view_written():
    torch.ones(1, 3).expand(2, 3).add_(1)


@case
def expanded_view_copied_into():
    torch.zeros(3).expand(2, 3).copy_(torch.ones(2, 3))


@case
def expanded_view_zeroed():
    a = torch.ones(3)
    a.expand(2, 3).zero_()
    return {"a": vals(a)}


@case
def partial_overlap_copy():
    a = torch.arange(5.0)
    a[1:].copy_(a[:-1])


@case
def self_overlap_mul():
    a = torch.tensor([1.0, -2.0, 3.0])
    a.mul_(a)
    return {"a": vals(a)}


@case
def strided_overlap_copy():
    a = torch.arange(6.0)
    a[0::2].copy_(a[1::2])
    return {"a": vals(a)}


@case
def broadcast_shape_mismatch():
    h = x3() * 1
    h.add_(torch.ones(2, 3))


@case
def copy_broadcast_and_dtype():
    h = torch.zeros(2, 3)
    h.copy_(torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64))
    return {"h": vals(h), "dtype": str(h.dtype)}


@case
def view_written_grad():
    x = x3(dtype=torch.float64)
    h = x * 1
    v = h[1:]
    v.mul_(3)
    (h * h).sum().backward()
    return {"x.grad": vals(x.grad), "h": vals(h), "v.grad_fn": type(v.grad_fn).__name__, "h.grad_fn": type(h.grad_fn).__name__}


@case
def other_view_follows_rebase():
    x = torch.tensor([0.5, -1.5, 2.0], dtype=torch.float64, requires_grad=True)
    h = x * 2
    v = h[1:]
    v2 = h[:2]
    v.mul_(3)
    (v2 * v2).sum().backward()
    return {"x.grad": vals(x.grad), "v2.grad_fn": type(v2.grad_fn).__name__}


@case
def view_written_from_other():
    x = x3(dtype=torch.float64)
    w = torch.tensor([4.0, 5.0], dtype=torch.float64, requires_grad=True)
    h = x * 1
    h[1:].copy_(w * 2)
    (h * torch.tensor([1.0, 10.0, 100.0], dtype=torch.float64)).sum().backward()
    return {"x.grad": vals(x.grad), "w.grad": vals(w.grad), "h.grad_fn": type(h.grad_fn).__name__}


@case
def plain_tensor_takes_history():
    t = torch.zeros(3, dtype=torch.float64)
    w = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    t.add_(w * w)
    (t * 3).sum().backward()
    return {"is_leaf": t.is_leaf, "requires_grad": t.requires_grad, "grad_fn": t.grad_fn.name(), "w.grad": vals(w.grad)}


@case
def inplace_grad_fn_names():
    x = x3()
    names = {}
    for op in ["add_(1)", "sub_(1)", "mul_(2)", "div_(2)", "pow_(2)", "clamp_(0, 2)", "neg_()", "abs_()", "exp_()",
               "log_()", "sqrt_()", "tanh_()", "sigmoid_()", "relu_()", "zero_()", "fill_(3)", "copy_(torch.ones(3))"]:
        h = x * 1
        eval("h." + op)
        names[op] = h.grad_fn.name()
    return names


@case
def versions():
    x = torch.ones(3)
    seen = [x._version]
    x.add_(1)
    seen.append(x._version)
    v = x[1:]
    v.mul_(2)
    seen += [x._version, v._version]
    d = x.detach()
    d.zero_()
    seen.append(x._version)
    with torch.no_grad():
        x.copy_(x)
    seen.append(x._version)
    p = torch.nn.Parameter(torch.ones(3))
    p.grad = torch.ones(3)
    opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
    opt.step()
    opt.step()
    seen.append(p._version)
    return {"versions": seen}


def main():
    out = {}
    for name, fn in CASES.items():
        try:
            result = fn()
            out[name] = {"result": result if result is not None else {}}
        except RuntimeError as e:
            out[name] = {"error": str(e)}
    with open("inplace.json", "w") as f:
        json.dump({"torch": torch.__version__, "cases": out}, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
