#!/usr/bin/python3
"""PyTorch 1.13's parameter names, order and defaults for every public name of issues 13 and 14
(functional forms, torch functions and module constructors), read with inspect.signature.

Run: /usr/bin/python3 gen_signatures.py   (writes signatures.json beside this script)

ConformanceSignatureTests.cs checks that each MiniTorch counterpart has the same parameters in
camelCase, in the same order, with the same defaults (a C# default of null on a nullable struct such
as Size2? stands for any PyTorch default: C# cannot write a struct constant as a default).
"""
import ast
import inspect
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

# (PyTorch callable, MiniTorch name) pairs: functional forms, torch functions, modules.
FUNCTIONAL = {
    "max_pool1d": "MaxPool1d", "max_pool2d": "MaxPool2d", "max_pool3d": "MaxPool3d",
    "max_unpool1d": "MaxUnpool1d", "max_unpool2d": "MaxUnpool2d", "max_unpool3d": "MaxUnpool3d",
    "avg_pool1d": "AvgPool1d", "avg_pool2d": "AvgPool2d", "avg_pool3d": "AvgPool3d",
    "adaptive_avg_pool1d": "AdaptiveAvgPool1d", "adaptive_avg_pool2d": "AdaptiveAvgPool2d", "adaptive_avg_pool3d": "AdaptiveAvgPool3d",
    "adaptive_max_pool1d": "AdaptiveMaxPool1d", "adaptive_max_pool2d": "AdaptiveMaxPool2d", "adaptive_max_pool3d": "AdaptiveMaxPool3d",
    "softmax": "Softmax", "log_softmax": "LogSoftmax", "softmin": "Softmin",
    "cross_entropy": "CrossEntropy", "nll_loss": "NllLoss", "kl_div": "KlDiv", "mse_loss": "MseLoss", "l1_loss": "L1Loss",
    "smooth_l1_loss": "SmoothL1Loss", "huber_loss": "HuberLoss",
    "elu": "Elu", "selu": "Selu", "celu": "Celu", "gelu": "Gelu", "silu": "Silu", "mish": "Mish", "softplus": "Softplus",
    "softsign": "Softsign", "hardtanh": "Hardtanh", "relu6": "Relu6", "hardsigmoid": "Hardsigmoid", "hardswish": "Hardswish",
    "threshold": "Threshold", "logsigmoid": "LogSigmoid", "glu": "Glu", "leaky_relu": "LeakyRelu",
    "embedding": "Embedding", "layer_norm": "LayerNorm", "group_norm": "GroupNorm", "instance_norm": "InstanceNorm",
    "batch_norm": "BatchNorm", "pixel_shuffle": "PixelShuffle", "pixel_unshuffle": "PixelUnshuffle",
    "dropout": "Dropout", "dropout1d": "Dropout1d", "dropout2d": "Dropout2d", "dropout3d": "Dropout3d",
    "conv1d": "Conv1d", "conv2d": "Conv2d", "conv3d": "Conv3d",
    "conv_transpose1d": "ConvTranspose1d", "conv_transpose2d": "ConvTranspose2d", "conv_transpose3d": "ConvTranspose3d",
}
TORCH = {"maximum": "Maximum", "minimum": "Minimum", "where": "Where", "clamp": "Clamp", "gather": "Gather",
         "index_select": "IndexSelect", "flatten": "Flatten", "unflatten": "Unflatten", "argmax": "Argmax", "argmin": "Argmin",
         "tile": "Tile"}
MODULES = ["MaxPool1d", "MaxPool2d", "MaxPool3d", "MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d",
           "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d",
           "Softmax", "LogSoftmax", "Softmin", "CrossEntropyLoss", "NLLLoss", "KLDivLoss", "MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss",
           "ELU", "SELU", "CELU", "GELU", "SiLU", "Mish", "Softplus", "Softsign", "Hardtanh", "ReLU6", "Hardsigmoid", "Hardswish",
           "Threshold", "LogSigmoid", "GLU", "LeakyReLU", "Embedding", "LayerNorm", "GroupNorm", "InstanceNorm1d", "InstanceNorm2d",
           "InstanceNorm3d", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "PixelShuffle", "PixelUnshuffle", "Dropout", "Dropout1d",
           "Dropout2d", "Dropout3d", "Identity", "Flatten", "Unflatten", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d",
           "ConvTranspose2d", "ConvTranspose3d"]

# The torch functions are builtins without Python signatures: their documented schemas (1.13).
TORCH_SCHEMAS = {
    "maximum": [("input", "<required>"), ("other", "<required>")],
    "minimum": [("input", "<required>"), ("other", "<required>")],
    "where": [("condition", "<required>"), ("input", "<required>"), ("other", "<required>")],
    "clamp": [("input", "<required>"), ("min", None), ("max", None)],
    "gather": [("input", "<required>"), ("dim", "<required>"), ("index", "<required>")],
    "index_select": [("input", "<required>"), ("dim", "<required>"), ("index", "<required>")],
    "flatten": [("input", "<required>"), ("start_dim", 0), ("end_dim", -1)],
    "unflatten": [("input", "<required>"), ("dim", "<required>"), ("sizes", "<required>")],
    "argmax": [("input", "<required>"), ("dim", None), ("keepdim", False)],
    "argmin": [("input", "<required>"), ("dim", None), ("keepdim", False)],
    "tile": [("input", "<required>"), ("dims", "<required>")],
}


# boolean_dispatch wrappers (return_indices picks the function) have no usable signature: their documented ones.
DISPATCHED = {
    "max_pool1d": [("input", "<required>"), ("kernel_size", "<required>"), ("stride", None), ("padding", 0), ("dilation", 1),
                   ("ceil_mode", False), ("return_indices", False)],
    "adaptive_max_pool1d": [("input", "<required>"), ("output_size", "<required>"), ("return_indices", False)],
}
DISPATCHED["max_pool2d"] = DISPATCHED["max_pool3d"] = DISPATCHED["max_pool1d"]
DISPATCHED["adaptive_max_pool2d"] = DISPATCHED["adaptive_max_pool3d"] = DISPATCHED["adaptive_max_pool1d"]


def default(v):
    if v is inspect.Parameter.empty:
        return "<required>"
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    if isinstance(v, tuple):
        return list(v)
    if isinstance(v, (int, float, str, bool)) or v is None:
        return v
    return repr(v)


def doc_params(fn):
    """A builtin's parameters from the first line of its docstring, e.g. 'conv1d(input, weight, bias=None, ...) -> Tensor'."""
    head = fn.__doc__.strip().split("\n")[0]
    inside = head[head.index("(") + 1:head.rindex(")")]
    out = []
    for part in inside.split(","):
        name, _, value = part.strip().partition("=")
        out.append([name.strip(), default(ast.literal_eval(value.strip())) if value else "<required>"])
    return out


def params(fn, skip_self=False):
    try:
        sig = inspect.signature(fn)
    except ValueError:
        return doc_params(fn)
    out = []
    for i, (name, p) in enumerate(sig.parameters.items()):
        if skip_self and i == 0:
            continue
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        out.append([name, default(p.default)])
    return out


entries = []
for torch_name, mt in FUNCTIONAL.items():
    ps = [[n, d] for n, d in DISPATCHED[torch_name]] if torch_name in DISPATCHED else params(getattr(F, torch_name))
    entries.append({"torch": f"torch.nn.functional.{torch_name}", "minitorch": f"F.{mt}", "params": ps})
for torch_name, mt in TORCH.items():
    entries.append({"torch": f"torch.{torch_name}", "minitorch": f"Torch.{mt}", "params": [[n, default(d)] for n, d in TORCH_SCHEMAS[torch_name]]})
for name in MODULES:
    entries.append({"torch": f"torch.nn.{name}", "minitorch": f"new {name}", "params": params(getattr(nn, name).__init__, skip_self=True)})
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "signatures.json"), "w") as f:
    json.dump({"torch": torch.__version__, "entries": entries}, f, indent=1)
print(f"signatures.json: {len(entries)} signatures")
