#!/usr/bin/python3
"""Tiny FSRCNN weights and outputs from real PyTorch, for the SuperResolution loader tests.

Run with Debian's python3-torch:  /usr/bin/python3 gen_fsrcnn.py   (writes beside this script)
The model is yjn870/FSRCNN-pytorch's FSRCNN (models.py), so the state-dict names are the ones
published checkpoints use. Written:
  fsrcnn_tiny.safetensors  the state dict (safetensors written by hand: 8-byte header length, JSON, data)
  npy/<key>.npy            one file per state-dict key (Module.LoadNpyFolder's layout)
  txt/kernel{i}_0.txt      last_part.weight[i, 0] via np.savetxt, and txt/bias0_0.txt (the seed's layout)
  input.npy, fsrcnn.json   an input and the model's output, plus names and shapes
"""
import json
import math
import os
import struct

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


class FSRCNN(nn.Module):
    def __init__(self, scale_factor, num_channels=1, d=56, s=12, m=4):
        super(FSRCNN, self).__init__()
        self.first_part = nn.Sequential(
            nn.Conv2d(num_channels, d, kernel_size=5, padding=5 // 2),
            nn.PReLU(d)
        )
        self.mid_part = [nn.Conv2d(d, s, kernel_size=1), nn.PReLU(s)]
        for _ in range(m):
            self.mid_part.extend([nn.Conv2d(s, s, kernel_size=3, padding=3 // 2), nn.PReLU(s)])
        self.mid_part.extend([nn.Conv2d(s, d, kernel_size=1), nn.PReLU(d)])
        self.mid_part = nn.Sequential(*self.mid_part)
        self.last_part = nn.ConvTranspose2d(d, num_channels, kernel_size=9, stride=scale_factor, padding=9 // 2,
                                            output_padding=scale_factor - 1)

    def forward(self, x):
        x = self.first_part(x)
        x = self.mid_part(x)
        x = self.last_part(x)
        return x


def save_safetensors(state, path):
    header, offset, blobs = {}, 0, []
    for k, v in state.items():
        data = v.detach().contiguous().numpy().astype("<f4").tobytes()
        header[k] = {"dtype": "F32", "shape": list(v.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


torch.manual_seed(2016)
model = FSRCNN(scale_factor=3, d=8, s=4, m=2)
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.randn_like(p) * 0.3)  # larger than the init, so every weight matters
    for m in model.modules():
        if isinstance(m, nn.PReLU):
            m.weight.copy_(torch.rand_like(m.weight) * 0.5)
state = model.state_dict()
save_safetensors(state, os.path.join(HERE, "fsrcnn_tiny.safetensors"))
os.makedirs(os.path.join(HERE, "npy"), exist_ok=True)
for k, v in state.items():
    np.save(os.path.join(HERE, "npy", k + ".npy"), v.numpy())
os.makedirs(os.path.join(HERE, "txt"), exist_ok=True)
w = state["last_part.weight"].numpy()
for i in range(w.shape[0]):
    np.savetxt(os.path.join(HERE, "txt", f"kernel{i}_0.txt"), w[i, 0])
np.savetxt(os.path.join(HERE, "txt", "bias0_0.txt"), state["last_part.bias"].numpy())

x = torch.rand(1, 1, 7, 9, generator=torch.Generator().manual_seed(5))
np.save(os.path.join(HERE, "input.npy"), x.numpy())
with torch.no_grad():
    y = model(x)
with open(os.path.join(HERE, "fsrcnn.json"), "w") as f:
    json.dump({"torch": torch.__version__, "scale": 3, "d": 8, "s": 4, "m": 2,
               "names": [[k, list(v.shape)] for k, v in state.items()],
               "output": {"shape": list(y.shape), "data": y.double().reshape(-1).tolist()}}, f)
