#!/usr/bin/python3
"""Checks MiniTorch's exported ONNX files and records PyTorch's outputs for them.

Run with Debian's python3-torch and python3-onnx (1.12):  /usr/bin/python3 gen_onnx.py
The .onnx files and *_input.npy beside this script are written by MiniTorch's test
OnnxGoldenTests (set MINITORCH_ONNX_GOLDEN_DIR to this folder and run it). For every model this script
  1. runs onnx.checker.check_model(full_check=True) (structure, operator schemas, strict shape inference),
  2. reads the output shape that ONNX shape inference derives from the attributes alone,
  3. builds the same architecture in PyTorch, loads the weights from the file's initializers by
     name, runs it on the committed input: this is the output ONNX Runtime must reproduce,
  4. evaluates the file with onnx_spec_eval.py (NumPy, from the ONNX operator spec; Resize with the
     spec's own reference code) and records that output and its distance to PyTorch's,
  5. exports the PyTorch model with torch.onnx.export and records the attributes of its Conv,
     ConvTranspose, Resize and Pad nodes, for comparison with MiniTorch's.
No ONNX Runtime runs here (onnx 1.12 has no onnx.reference; onnxruntime is not installed): see
docs/onnx.md and run_onnxruntime.py for that step.
"""
import io
import json
import os

import numpy as np
import onnx
import onnx.numpy_helper
import onnx.shape_inference
import torch
import torch.nn as nn

import onnx_spec_eval

HERE = os.path.dirname(os.path.abspath(__file__))


def models():
    return {
        "generator": nn.Sequential(
            nn.ConvTranspose2d(8, 16, 4, 1, 0, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
            nn.ConvTranspose2d(16, 3, 4, 2, 1), nn.Tanh()),
        "discriminator": nn.Sequential(
            nn.Conv2d(3, 8, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(8, 8, 3, 1, 2, dilation=2, groups=2), nn.PReLU(8),
            nn.Conv2d(8, 4, 3, 1, 1, padding_mode="reflect"), nn.PReLU(),
            nn.Dropout(0.3), nn.Flatten(), nn.Linear(64, 1), nn.Sigmoid()),
        "resize": nn.Sequential(
            nn.ZeroPad2d((1, 2, 0, 1)), nn.Upsample(scale_factor=2),
            nn.Conv2d(2, 2, 3, padding=1, padding_mode="replicate"),
            nn.Upsample(scale_factor=2, mode="nearest-exact"),
            nn.Upsample(scale_factor=0.5, mode="bilinear"),
            nn.Upsample(size=(7, 9), mode="bilinear", align_corners=True),
            nn.Upsample(scale_factor=3, mode="bicubic"),
            nn.Upsample(scale_factor=0.5, mode="nearest-exact")),
        "deconv": nn.Sequential(
            nn.ConvTranspose2d(4, 6, 3, stride=3, padding=2, output_padding=2, groups=2),
            nn.ConvTranspose2d(6, 2, (3, 5), stride=(2, 1), padding=(1, 3), output_padding=(1, 0), dilation=(1, 2)),
            nn.ConvTranspose2d(2, 1, 9, stride=2, padding=4, output_padding=1)),
    }


def load_weights(model, graph):
    inits = {i.name: onnx.numpy_helper.to_array(i) for i in graph.initializer}
    state = model.state_dict()
    for key, value in state.items():
        if key.endswith("num_batches_tracked"):
            continue
        value.copy_(torch.from_numpy(inits[key].copy()).reshape(value.shape))


def attributes(node):
    out = {}
    for a in node.attribute:
        v = onnx.helper.get_attribute_value(a)
        out[a.name] = v.decode() if isinstance(v, bytes) else (list(v) if isinstance(v, (list, tuple)) or hasattr(v, "__len__") else v)
    return out


def torch_export_attributes(model, x):
    # Layer by layer, so that a layer torch.onnx cannot export (nearest-exact in 1.13) leaves a
    # placeholder ({"op_type": null, "error": ...}) instead of losing the whole model.
    nodes = []
    for layer in model:
        buf = io.BytesIO()
        try:
            torch.onnx.export(layer, x, buf, opset_version=17, do_constant_folding=False,
                              training=torch.onnx.TrainingMode.EVAL, input_names=["input"], output_names=["output"])
            m = onnx.load_from_string(buf.getvalue())
            nodes += [{"op_type": n.op_type, "attributes": attributes(n)} for n in m.graph.node
                      if n.op_type in ("Conv", "ConvTranspose", "Resize", "Pad")]
        except Exception as e:  # torch.onnx.errors.UnsupportedOperatorError
            nodes.append({"op_type": None, "layer": repr(layer), "error": str(e).split(".")[0]})
        with torch.no_grad():
            x = layer(x)
    return nodes


def main():
    result = {"torch": torch.__version__, "onnx": onnx.__version__, "models": {}}
    for name, model in models().items():
        m = onnx.load(os.path.join(HERE, name + ".onnx"))
        onnx.checker.check_model(m, full_check=True)
        inferred = onnx.shape_inference.infer_shapes(m, strict_mode=True)
        dims = [d.dim_value if d.HasField("dim_value") else d.dim_param
                for d in inferred.graph.output[0].type.tensor_type.shape.dim]
        model.eval()
        load_weights(model, m.graph)
        x = torch.from_numpy(np.load(os.path.join(HERE, name + "_input.npy")))
        with torch.no_grad():
            y = model(x)
        spec = onnx_spec_eval.run(m, x.numpy())
        result["models"][name] = {
            "spec_eval_max_abs_diff_vs_torch": float(np.abs(spec - y.double().numpy()).max()),
            "spec_eval_output": {"shape": list(spec.shape), "data": spec.reshape(-1).tolist()},
            "checker": "ok",
            "inferred_output_dims": dims,
            "output": {"shape": list(y.shape), "data": y.double().reshape(-1).tolist()},
            "torch_export": torch_export_attributes(model, x),
        }
    with open(os.path.join(HERE, "onnx.json"), "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
