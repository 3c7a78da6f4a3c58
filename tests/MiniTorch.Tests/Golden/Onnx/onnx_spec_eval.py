"""A NumPy evaluator of the ONNX operators MiniTorch exports, written from the ONNX operator spec.

It is not ONNX Runtime: it is what could run here (onnx 1.12 ships no onnx.reference). Resize uses
the spec's own reference code (onnx.backend.test.case.node.resize.interpolate_nd); ConvTranspose is a
literal scatter of each input pixel times the kernel into the uncropped output, cropped by
pads_begin, with output_padding extending the end, as the spec's output-shape formula describes.
"""
import numpy as np
import onnx
import onnx.numpy_helper
from onnx.backend.test.case.node import resize as ref_resize


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def conv(x, w, b, a):
    s, d, g = a.get("strides", [1, 1]), a.get("dilations", [1, 1]), a.get("group", 1)
    p = a.get("pads", [0, 0, 0, 0])
    x = np.pad(x, ((0, 0), (0, 0), (p[0], p[2]), (p[1], p[3])))
    n, c, h, wd = x.shape
    oc, icg, kh, kw = w.shape
    oh = (h - d[0] * (kh - 1) - 1) // s[0] + 1
    ow = (wd - d[1] * (kw - 1) - 1) // s[1] + 1
    y = np.zeros((n, oc, oh, ow), dtype=np.float64)
    ocg = oc // g
    for gi in range(g):
        xs = x[:, gi * icg:(gi + 1) * icg]
        ws = w[gi * ocg:(gi + 1) * ocg]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i * d[0]: i * d[0] + s[0] * (oh - 1) + 1: s[0], j * d[1]: j * d[1] + s[1] * (ow - 1) + 1: s[1]]
                y[:, gi * ocg:(gi + 1) * ocg] += np.einsum("nchw,oc->nohw", patch, ws[:, :, i, j])
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


def conv_transpose(x, w, b, a):
    s, d, g = a.get("strides", [1, 1]), a.get("dilations", [1, 1]), a.get("group", 1)
    p = a.get("pads", [0, 0, 0, 0])
    op = a.get("output_padding", [0, 0])
    n, c, h, wd = x.shape
    ic, ocg, kh, kw = w.shape
    icg = ic // g
    full_h = s[0] * (h - 1) + d[0] * (kh - 1) + 1 + op[0]
    full_w = s[1] * (wd - 1) + d[1] * (kw - 1) + 1 + op[1]
    full = np.zeros((n, ocg * g, full_h, full_w), dtype=np.float64)
    for gi in range(g):
        xs = x[:, gi * icg:(gi + 1) * icg]
        ws = w[gi * icg:(gi + 1) * icg]
        for i in range(kh):
            for j in range(kw):
                full[:, gi * ocg:(gi + 1) * ocg, i * d[0]: i * d[0] + s[0] * (h - 1) + 1: s[0], j * d[1]: j * d[1] + s[1] * (wd - 1) + 1: s[1]] += \
                    np.einsum("nchw,co->nohw", xs, ws[:, :, i, j])
    out_h = full_h - p[0] - p[2]
    out_w = full_w - p[1] - p[3]
    y = full[:, :, p[0]:p[0] + out_h, p[1]:p[1] + out_w]
    if b is not None:
        y = y + b.reshape(1, -1, 1, 1)
    return y


def resize(x, scales, sizes, a):
    mode = a.get("mode", b"nearest").decode()
    ctm = a.get("coordinate_transformation_mode", b"half_pixel").decode()
    if mode == "nearest":
        nm = a.get("nearest_mode", b"round_prefer_floor").decode()
        coeffs = lambda r: ref_resize.nearest_coeffs(r, mode=nm)
    elif mode == "linear":
        coeffs = ref_resize.linear_coeffs
    else:
        A = a.get("cubic_coeff_a", -0.75)
        coeffs = lambda r: ref_resize.cubic_coeffs(r, A)
    if sizes is not None:
        return ref_resize.interpolate_nd(x, coeffs, output_size=list(sizes), coordinate_transformation_mode=ctm)
    return ref_resize.interpolate_nd(x, coeffs, scale_factors=np.array(scales, dtype=np.float64), coordinate_transformation_mode=ctm)


def run(model, x):
    env = {i.name: onnx.numpy_helper.to_array(i).astype(np.float64) if i.data_type == 1 else onnx.numpy_helper.to_array(i)
           for i in model.graph.initializer}
    env[model.graph.input[0].name] = x.astype(np.float64)
    env[""] = None
    for node in model.graph.node:
        a = attrs(node)
        ins = [env[i] for i in node.input] + [None] * 5
        op = node.op_type
        if op == "Conv": y = conv(ins[0], ins[1], ins[2], a)
        elif op == "ConvTranspose": y = conv_transpose(ins[0], ins[1], ins[2], a)
        elif op == "BatchNormalization":
            shape = (1, -1, 1, 1)
            y = (ins[0] - ins[3].reshape(shape)) / np.sqrt(ins[4].reshape(shape) + a.get("epsilon", 1e-5)) * ins[1].reshape(shape) + ins[2].reshape(shape)
        elif op == "Relu": y = np.maximum(ins[0], 0)
        elif op == "LeakyRelu": y = np.where(ins[0] > 0, ins[0], ins[0] * a.get("alpha", 0.01))
        elif op == "PRelu": y = np.where(ins[0] > 0, ins[0], ins[0] * ins[1])
        elif op == "Tanh": y = np.tanh(ins[0])
        elif op == "Sigmoid": y = 1 / (1 + np.exp(-ins[0]))
        elif op == "Flatten":
            axis = a.get("axis", 1)
            y = ins[0].reshape(int(np.prod(ins[0].shape[:axis])), -1)
        elif op == "Gemm":
            bm = ins[1].T if a.get("transB", 0) else ins[1]
            y = ins[0] @ bm + (ins[2] if ins[2] is not None else 0)
        elif op == "MatMul": y = ins[0] @ ins[1]
        elif op == "Add": y = ins[0] + ins[1]
        elif op == "Reshape": y = ins[0].reshape(ins[1])
        elif op == "Pad":
            pads = ins[1]
            r = ins[0].ndim
            mode = a.get("mode", b"constant").decode()
            y = np.pad(ins[0], [(pads[i], pads[i + r]) for i in range(r)], mode=mode)
        elif op == "Resize": y = resize(ins[0], ins[2], ins[3], a)
        elif op == "Identity": y = ins[0]
        else: raise NotImplementedError(op)
        env[node.output[0]] = y
    return env[model.graph.output[0].name]
