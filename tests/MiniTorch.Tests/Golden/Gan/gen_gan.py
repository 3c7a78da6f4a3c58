#!/usr/bin/python3
"""Golden values for MiniTorch's GAN toolkit tests, from real PyTorch 1.13.

Run with Debian's python3-torch:  /usr/bin/python3 gen_gan.py  (writes gan.json beside it).
Every tensor is stored as {"shape": [...], "data": [...]} in row-major order; float32 values
are widened to float64 exactly, so they round-trip.
"""
import json
import math
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.parametrizations import spectral_norm
from torch.optim.swa_utils import AveragedModel

torch.manual_seed(20261212)
DTYPES = (torch.float32, torch.float64)


def num(v):
    return v if math.isfinite(v) else ("NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity"))


def t(x):
    return {"shape": list(x.shape), "data": [num(v) for v in x.detach().double().reshape(-1).tolist()]}


out = {"torch": torch.__version__}

# ---- Softplus: forward, gradient, and the gradient's gradient, around the threshold and far out ----
cases = []
for dtype in DTYPES:
    for beta, threshold in ((1.0, 20.0), (2.0, 20.0), (0.5, 3.0), (-1.0, 20.0)):
        fixed = torch.tensor([0.0, -0.0, 1e-8, -1e-8, 20.0 / beta, 20.0 / beta + 1e-3, 3.0 / beta, 3.0 / beta - 1e-3,
                              -30.0, -100.0, -800.0, 30.0, 100.0, 0.5, -0.5], dtype=dtype)
        x = torch.cat([fixed, torch.randn(17, dtype=dtype) * 4]).reshape(4, 8).requires_grad_()
        g = torch.randn(4, 8, dtype=dtype).requires_grad_()
        y = F.softplus(x, beta, threshold)
        (gx,) = torch.autograd.grad(y, x, g, create_graph=True)
        h = torch.randn(4, 8, dtype=dtype)
        ggx, gg = torch.autograd.grad(gx, [x, g], h)
        cases.append({"dtype": str(dtype), "beta": beta, "threshold": threshold, "x": t(x), "y": t(y), "g": t(g), "gx": t(gx),
                      "h": t(h), "ggx": t(ggx), "gg": t(gg), "grad_fn": type(y.grad_fn).__name__,
                      "grad_grad_fn": type(gx.grad_fn).__name__})
out["softplus"] = cases


# ---- GAN losses: hinge, non-saturating (softplus form) and Wasserstein, every reduction ----
def losses(real, fake, reduction):
    def red(v):
        return v.mean() if reduction == "mean" else (v.sum() if reduction == "sum" else v)

    def pair(a, b):
        return red(a) + red(b)

    return {
        "hinge_d": pair(F.relu(1 - real), F.relu(1 + fake)),
        "hinge_g": red(-fake),
        "ns_d": pair(F.softplus(-real), F.softplus(fake)),
        "ns_g": red(F.softplus(-fake)),
        "w_d": pair(-real, fake),
        "w_g": red(-fake),
    }


cases = []
for dtype in DTYPES:
    real = torch.cat([torch.tensor([1.0, -1.0, 0.0, 25.0, -25.0], dtype=dtype), torch.randn(7, dtype=dtype) * 3]).requires_grad_()
    fake = torch.cat([torch.tensor([-1.0, 1.0, 0.0, -25.0, 25.0], dtype=dtype), torch.randn(7, dtype=dtype) * 3]).requires_grad_()
    for reduction in ("mean", "sum", "none"):
        vals = losses(real, fake, reduction)
        case = {"dtype": str(dtype), "reduction": reduction, "real": t(real), "fake": t(fake)}
        for name, v in vals.items():
            w = torch.randn(v.shape, dtype=dtype)
            grads = torch.autograd.grad(v, [real, fake], w, allow_unused=True)
            case[name] = {"value": t(v), "w": t(w), "greal": t(grads[0]) if grads[0] is not None else None, "gfake": t(grads[1])}
        cases.append(case)
out["losses"] = cases


# ---- R1 (and R2, the same formula) and WGAN-GP on a small convolutional discriminator ----
class D(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(2, 3, 3, stride=2, padding=1)
        self.c2 = nn.Conv2d(3, 1, 4)

    def forward(self, x):
        return self.c2(F.leaky_relu(self.c1(x), 0.2)).reshape(-1)


cases = []
for dtype in DTYPES:
    d = D().to(dtype)
    x = torch.randn(4, 2, 8, 8, dtype=dtype)
    fake = torch.randn(4, 2, 8, 8, dtype=dtype)
    alpha = torch.rand(4, 1, 1, 1, dtype=dtype)
    gamma, lam = 10.0, 10.0
    params = [d.c1.weight, d.c1.bias, d.c2.weight]  # c2.bias does not reach the input gradient
    case = {"dtype": str(dtype), "gamma": gamma, "lambda": lam, "x": t(x), "fake": t(fake), "alpha": t(alpha),
            "c1_weight": t(d.c1.weight), "c1_bias": t(d.c1.bias), "c2_weight": t(d.c2.weight), "c2_bias": t(d.c2.bias)}
    for reduction in ("mean", "sum", "none"):
        xr = x.clone().requires_grad_()
        scores = d(xr)
        (g,) = torch.autograd.grad(scores.sum(), xr, create_graph=True)
        per = g.pow(2).reshape(4, -1).sum(1)
        r1 = (per.mean() if reduction == "mean" else per.sum() if reduction == "sum" else per) * (gamma / 2)
        w = torch.ones(r1.shape, dtype=dtype) if reduction != "none" else torch.randn(r1.shape, dtype=dtype)
        grads = torch.autograd.grad(r1, params + [xr], w)
        case["r1_" + reduction] = {"value": t(r1), "w": t(w), "grads": [t(gr) for gr in grads]}
    mixed = (alpha * x + (1 - alpha) * fake).requires_grad_()
    (g,) = torch.autograd.grad(d(mixed).sum(), mixed, create_graph=True)
    gp = (g.reshape(4, -1).norm(2, dim=1) - 1).pow(2).mean() * lam
    grads = torch.autograd.grad(gp, params)
    case["wgan_gp"] = {"value": t(gp), "grads": [t(gr) for gr in grads]}
    cases.append(case)
out["penalties"] = cases


def save_safetensors(state, name):
    """A minimal safetensors writer (the format: u64 header length, JSON header, raw little-endian data)."""
    header, blobs, offset = {}, [], 0
    for key, value in state.items():
        data = value.detach().contiguous().numpy().tobytes()
        header[key] = {"dtype": {torch.float32: "F32", torch.float64: "F64"}[value.dtype], "shape": list(value.shape),
                       "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(__file__.replace("gen_gan.py", name), "wb") as f:
        f.write(len(text).to_bytes(8, "little") + text + b"".join(blobs))
    return name


# ---- Spectral norm: registration from a fixed u, v; training-mode steps; eval; gradient ----
def sn_case(make, dtype, n_power_iterations, dim, seed):
    m = make().to(dtype)
    w0 = m.weight.detach().clone()
    eff = dim if dim is not None else (1 if isinstance(m, nn.ConvTranspose2d) else 0)
    wm = w0 if eff == 0 else w0.transpose(0, 1)
    h, w = wm.shape[0], wm.numel() // wm.shape[0]
    torch.manual_seed(seed)
    u0 = torch.empty(h, dtype=dtype).normal_(0, 1)
    v0 = torch.empty(w, dtype=dtype).normal_(0, 1)
    torch.manual_seed(seed)  # spectral_norm draws the same u0, v0 again
    spectral_norm(m, n_power_iterations=n_power_iterations, dim=dim)
    sn = m.parametrizations.weight[0]
    case = {"dtype": str(dtype), "module": type(m).__name__, "n_power_iterations": n_power_iterations, "dim": dim,
            "weight": t(w0), "u0": t(u0), "v0": t(v0), "u_registered": t(sn._u), "v_registered": t(sn._v),
            "keys": list(m.state_dict().keys()), "steps": []}
    for s in range(3):
        wn = m.weight
        gw = torch.randn(wn.shape, dtype=dtype)
        (go,) = torch.autograd.grad(wn, m.parametrizations.weight.original, gw)
        case["steps"].append({"weight": t(wn), "u": t(sn._u), "v": t(sn._v), "g": t(gw), "grad_original": t(go)})
        with torch.no_grad():  # an optimiser step moves the original
            m.parametrizations.weight.original.add_(torch.randn(w0.shape, dtype=dtype) * 0.05)
        case["steps"][-1]["original_after"] = t(m.parametrizations.weight.original)
    m.eval()
    if dtype == torch.float32 and type(m).__name__ in ("ParametrizedConv2d", "ParametrizedConvTranspose2d"):
        # The module's own state dict, as PyTorch saves it, for the loading test.
        case["safetensors"] = save_safetensors(m.state_dict(), f"sn_{type(m).__name__[len('Parametrized'):].lower()}.safetensors")
    case["eval_weight"] = t(m.weight)
    case["eval_u"] = t(sn._u)
    return case


cases = []
for dtype in DTYPES:
    cases.append(sn_case(lambda: nn.Conv2d(3, 4, 3), dtype, 1, None, 7))
    cases.append(sn_case(lambda: nn.ConvTranspose2d(4, 3, 4, stride=2, padding=1), dtype, 1, None, 8))
    cases.append(sn_case(lambda: nn.Linear(5, 6), dtype, 2, None, 9))
out["spectral_norm"] = cases
try:
    spectral_norm(nn.Linear(3, 4), n_power_iterations=0)
except ValueError as e:
    out["spectral_norm_errors"] = {"iterations": str(e)}
try:
    spectral_norm(nn.Linear(3, 4), dim=2)
except IndexError as e:
    out["spectral_norm_errors"]["dim"] = str(e)


# ---- AveragedModel: an EMA and the default SWA average over a sequence of model states ----
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3)
        self.bn = nn.BatchNorm2d(3)
        self.lin = nn.Linear(4, 2)


cases = []
for dtype in DTYPES:
    for kind, use_buffers in (("ema", False), ("ema", True), ("swa", False)):
        net = Net().to(dtype)
        decay = 0.9
        avg_fn = (lambda a, m, n: decay * a + (1 - decay) * m) if kind == "ema" else None
        avg = AveragedModel(net, avg_fn=avg_fn, use_buffers=use_buffers)
        initial = {k: t(v) for k, v in net.state_dict().items()}
        steps = []
        for s in range(4):
            with torch.no_grad():
                for p in net.parameters():
                    p.add_(torch.randn(p.shape, dtype=dtype) * 0.1)
                net.bn.running_mean.add_(torch.randn(3, dtype=dtype))
                net.bn.running_var.mul_(1.5)
                net.bn.num_batches_tracked.add_(1)
            model_state = {k: t(v) for k, v in net.state_dict().items()}
            avg.update_parameters(net)
            steps.append({"model": model_state, "average": {k: t(v) for k, v in avg.state_dict().items()}})
        cases.append({"dtype": str(dtype), "kind": kind, "decay": decay, "use_buffers": use_buffers,
                      "initial": initial, "steps": steps, "keys": list(avg.state_dict().keys())})
out["averaged_model"] = cases


# ---- DiffAugment with fixed offsets: the reference's DiffAugment_pytorch.py (data-efficient-gans,
# DiffAugment-stylegan2-pytorch) with its torch.rand / torch.randint draws passed in ----
def brightness(x, r):
    return x + (r.reshape(-1, 1, 1, 1) - 0.5)


def saturation(x, r):
    x_mean = x.mean(dim=1, keepdim=True)
    return (x - x_mean) * (r.reshape(-1, 1, 1, 1) * 2) + x_mean


def contrast(x, r):
    x_mean = x.mean(dim=[1, 2, 3], keepdim=True)
    return (x - x_mean) * (r.reshape(-1, 1, 1, 1) + 0.5) + x_mean


def translation(x, tx, ty):
    translation_x, translation_y = tx.reshape(-1, 1, 1), ty.reshape(-1, 1, 1)
    grid_batch, grid_x, grid_y = torch.meshgrid(torch.arange(x.size(0)), torch.arange(x.size(2)), torch.arange(x.size(3)), indexing="ij")
    grid_x = torch.clamp(grid_x + translation_x + 1, 0, x.size(2) + 1)
    grid_y = torch.clamp(grid_y + translation_y + 1, 0, x.size(3) + 1)
    x_pad = F.pad(x, [1, 1, 1, 1, 0, 0, 0, 0])
    return x_pad.permute(0, 2, 3, 1).contiguous()[grid_batch, grid_x, grid_y].permute(0, 3, 1, 2)


def cutout(x, ox, oy, ratio=0.5):
    cutout_size = int(x.size(2) * ratio + 0.5), int(x.size(3) * ratio + 0.5)
    offset_x, offset_y = ox.reshape(-1, 1, 1), oy.reshape(-1, 1, 1)
    grid_batch, grid_x, grid_y = torch.meshgrid(torch.arange(x.size(0)), torch.arange(cutout_size[0]), torch.arange(cutout_size[1]), indexing="ij")
    grid_x = torch.clamp(grid_x + offset_x - cutout_size[0] // 2, min=0, max=x.size(2) - 1)
    grid_y = torch.clamp(grid_y + offset_y - cutout_size[1] // 2, min=0, max=x.size(3) - 1)
    mask = torch.ones(x.size(0), x.size(2), x.size(3), dtype=x.dtype)
    mask[grid_batch, grid_x, grid_y] = 0
    return x * mask.unsqueeze(1)


cases = []
for dtype in DTYPES:
    for (n, c, h, w) in ((6, 3, 8, 8), (5, 1, 7, 6)):
        x = torch.randn(n, c, h, w, dtype=dtype).requires_grad_()
        rb, rs, rc = (torch.rand(n, dtype=dtype) for _ in range(3))
        sh, sw = int(h * 0.125 + 0.5), int(w * 0.125 + 0.5)
        ch, cw = int(h * 0.5 + 0.5), int(w * 0.5 + 0.5)
        tx = torch.randint(-sh, sh + 1, (n,))
        ty = torch.randint(-sw, sw + 1, (n,))
        tx[0], ty[0] = sh, -sw  # the extreme shifts appear
        ox = torch.randint(0, h + (1 - ch % 2), (n,))
        oy = torch.randint(0, w + (1 - cw % 2), (n,))
        ox[0], oy[0] = 0, w - (cw % 2)  # cutouts clipped at the border
        y = cutout(translation(contrast(saturation(brightness(x, rb), rs), rc), tx, ty), ox, oy)
        g = torch.randn(y.shape, dtype=dtype)
        (gx,) = torch.autograd.grad(y, x, g)
        cases.append({"dtype": str(dtype), "x": t(x), "brightness": t(rb), "saturation": t(rs), "contrast": t(rc),
                      "shift_h": tx.tolist(), "shift_w": ty.tolist(), "cutout_h": ox.tolist(), "cutout_w": oy.tolist(),
                      "cutout_size": [ch, cw], "y": t(y), "g": t(g), "gx": t(gx),
                      "translation_only": t(translation(x, tx, ty)), "cutout_only": t(cutout(x, ox, oy))})
out["diff_augment"] = cases


# ---- Minibatch standard deviation: StyleGAN2's MinibatchStdLayer.forward, written out ----
def minibatch_std(x, group_size, num_channels):
    N, C, H, W = x.shape
    G = min(group_size, N) if group_size is not None else N
    F_ = num_channels
    c = C // F_
    y = x.reshape(G, -1, F_, c, H, W)
    y = y - y.mean(dim=0)
    y = y.square().mean(dim=0)
    y = (y + 1e-8).sqrt()
    y = y.mean(dim=[2, 3, 4])
    y = y.reshape(-1, F_, 1, 1)
    y = y.repeat(G, 1, H, W)
    return torch.cat([x, y], dim=1)


cases = []
for dtype in DTYPES:
    for (shape, group, channels) in (((8, 4, 3, 3), 4, 1), ((6, 4, 2, 5), 2, 2), ((3, 2, 4, 4), None, 1), ((2, 3, 2, 2), 4, 3)):
        x = torch.randn(shape, dtype=dtype).requires_grad_()
        y = minibatch_std(x, group, channels)
        g = torch.randn(y.shape, dtype=dtype)
        (gx,) = torch.autograd.grad(y, x, g)
        cases.append({"dtype": str(dtype), "group_size": group, "num_channels": channels, "x": t(x), "y": t(y), "g": t(g), "gx": t(gx)})
out["minibatch_std"] = cases

with open(__file__.replace("gen_gan.py", "gan.json"), "w") as f:
    json.dump(out, f)
