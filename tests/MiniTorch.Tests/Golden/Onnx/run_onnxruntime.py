#!/usr/bin/env python3
"""Runs MiniTorch's committed ONNX files in ONNX Runtime and compares with the committed outputs.

    pip install onnxruntime numpy
    python3 run_onnxruntime.py            # in this folder

Each <name>.onnx is run on <name>_input.npy; the output must agree with PyTorch's output in
onnx.json ("output") to 1e-5 (absolute or relative). The committed onnxruntime.json was written by
the Node twin of this script, run_onnxruntime.mjs (see docs/onnx.md).
"""
import json
import os
import sys

import numpy as np
import onnxruntime as ort

HERE = os.path.dirname(os.path.abspath(__file__))
expected = json.load(open(os.path.join(HERE, "onnx.json")))["models"]
failed = False
for name, e in expected.items():
    session = ort.InferenceSession(os.path.join(HERE, name + ".onnx"), providers=["CPUExecutionProvider"])
    x = np.load(os.path.join(HERE, name + "_input.npy"))
    (y,) = session.run(None, {session.get_inputs()[0].name: x})
    want = np.array(e["output"]["data"]).reshape(e["output"]["shape"])
    diff = np.abs(y - want)
    ok = y.shape == want.shape and bool(np.all(diff <= 1e-5 + 1e-5 * np.abs(want)))
    failed |= not ok
    print(f"{name:14s} shape {tuple(y.shape)}  max |ORT - PyTorch| = {diff.max():.3g}  {'ok' if ok else 'MISMATCH'}")
sys.exit(1 if failed else 0)
