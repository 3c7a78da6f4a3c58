"""Golden DCGAN training steps in float64 (PyTorch 1.13, Debian's python3-torch).

A DCGAN in miniature (the layers and the step of examples/Dcgan; tests/MiniTorch.Tests/Training/TinyGan.cs
builds the same networks): G = ConvTranspose2d(6, 8, 4) → BatchNorm2d → ReLU → ConvTranspose2d(8, 3, 4, s2, p1)
→ Tanh; D = Conv2d(3, 8, 4, s2, p1) → LeakyReLU(0.2) → Conv2d(8, 16, 3, p1) → BatchNorm2d → LeakyReLU(0.2)
→ Conv2d(16, 1, 4), all bias-free; BCE with logits; Adam(lr 2e-3, betas (0.5, 0.999)). Each step: D on the
real batch and on the detached fake, then G through D. The initial weights, the real batch and every
step's noise are written here (MiniTorch's random streams are not PyTorch's), then the losses and all
parameters and buffers after each step. Run: /usr/bin/python3 gen_training.py
"""
import json
import os
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(17)
torch.set_default_dtype(torch.float64)
BATCH, NZ, STEPS = 4, 6, 5


def t(x):
    x = x.detach()
    return {"shape": list(x.shape), "data": x.double().reshape(-1).tolist()}


G = nn.Sequential(
    nn.ConvTranspose2d(NZ, 8, 4, 1, 0, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
    nn.ConvTranspose2d(8, 3, 4, 2, 1, bias=False), nn.Tanh())
D = nn.Sequential(
    nn.Conv2d(3, 8, 4, 2, 1, bias=False), nn.LeakyReLU(0.2),
    nn.Conv2d(8, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.LeakyReLU(0.2),
    nn.Conv2d(16, 1, 4, 1, 0, bias=False))
# Non-trivial batch-norm affine parameters, so their gradients matter.
with torch.no_grad():
    for m in list(G) + list(D):
        if isinstance(m, nn.BatchNorm2d):
            m.weight.uniform_(0.5, 1.5)
            m.bias.uniform_(-0.2, 0.2)

state = lambda: {**{"G." + k: t(v) for k, v in G.state_dict().items()}, **{"D." + k: t(v) for k, v in D.state_dict().items()}}
initial = state()
opt_g = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
real = torch.randn(BATCH, 3, 8, 8).tanh()


def bce(logits, target):
    return F.binary_cross_entropy_with_logits(logits, torch.full(logits.shape, float(target)))


steps = []
for _ in range(STEPS):
    z = torch.randn(BATCH, NZ, 1, 1)
    fake = G(z)
    opt_d.zero_grad()
    loss_d = bce(D(real).reshape(-1), 1) + bce(D(fake.detach()).reshape(-1), 0)
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = bce(D(fake).reshape(-1), 1)
    loss_g.backward()
    opt_g.step()
    steps.append({"z": t(z), "loss_d": loss_d.item(), "loss_g": loss_g.item(), "state": state()})

out = {"torch": torch.__version__, "initial": initial, "real": t(real), "steps": steps}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "training.json"), "w") as f:
    json.dump(out, f)
