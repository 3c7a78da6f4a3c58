"""Draws docs/img/conformance.svg: what the differential conformance cases check, per op family.

    /usr/bin/python3 docs/img/conformance.py tests/MiniTorch.Tests/Golden/Conformance/conformance.json [sweep.log]

One stacked bar per family: cases whose outputs, gradients and double-backward gradients are compared
(dark), outputs and gradients (mid), outputs only (light), and calls PyTorch refuses that MiniTorch
must refuse too (grey). With the detailed log of a larger sweep (dotnet test ... --logger
"console;verbosity=detailed" with MINITORCH_CONFORMANCE_SWEEP set), the discrepancies it lists are
counted per family and printed at the bar's end in red.
"""
import json
import os
import re
import sys

FAMILIES = [
    ("pooling", r"pool|unpool"),
    ("padding (F.pad)", r"^pad$"),
    ("softmax family", r"softmax|softmin"),
    ("losses", r"cross_entropy|nll|mse|l1_loss|huber|kl_div"),
    ("activations", r"elu|gelu|silu|mish|softplus|softsign|hardtanh|relu|hardsigmoid|hardswish|threshold|logsigmoid|glu|tanh|sigmoid"),
    ("element-wise, int64/bool", r"^(maximum|minimum|clamp_\w+|where\w*|add|sub|mul|div|pow|eq|lt|ge|bitwise_and|scalar_\w+)$"),
    ("indexing, shapes", r"argmax|argmin|repeat|expand|tile|gather|index_select|flatten|unflatten|pixel"),
    ("embedding", r"^embedding$"),
    ("norms", r"norm"),
    ("convolution 1-3d", r"^conv"),
    ("modules (kwargs, state, print)", r"^module$"),
]


def family(op):
    for name, pattern in FAMILIES:
        if re.search(pattern, op):
            return name
    return "other"


cases = json.load(open(sys.argv[1]))["cases"]
counts = {name: [0, 0, 0, 0] for name, _ in FAMILIES}
for c in cases:
    f = counts.setdefault(family(c["op"]), [0, 0, 0, 0])
    f[3 if "error" in c else 0 if "gg" in c else 1 if "grads" in c else 2] += 1
open_by_family = {}
sweep_note = ""
if len(sys.argv) > 2:
    log = open(sys.argv[2]).read()
    m = re.search(r"(\d+) cases \(seed (\d+), scale ([\d.]+)\), (\d+) discrepancies", log)
    if m:
        sweep_note = f"; red: open discrepancies of a {m.group(1)}-case sweep (seed {m.group(2)}, scale {m.group(3)})"
    seen = set()
    body = log.split("Standard Output Messages", 1)[-1]
    for line in (l.strip() for l in body.splitlines()):
        hit = re.match(r"(\S.*? #\d+|regression: .*?) \{", line)
        if not hit or hit.group(1) in seen or line.startswith(("message:", "error messages")):
            continue
        seen.add(hit.group(1))
        name = hit.group(1)
        if name[0].isupper():  # a module case: named after the module
            key = next((f for k, f in (("Norm", "norms"), ("Conv", "convolution 1-3d"), ("Pool", "pooling")) if k in name),
                       "modules (kwargs, state, print)")
        else:
            key = family(re.sub(r" #\d+$", "", name).split()[0])
            if key == "other" and name.startswith("aavg"):
                key = "pooling"
        open_by_family[key] = open_by_family.get(key, 0) + 1

rows = [(name, counts[name]) for name, _ in FAMILIES if sum(counts[name])]
width, bar_h, gap, left, top = 900, 24, 10, 230, 64
height = top + len(rows) * (bar_h + gap) + 60
most = max(sum(v) for _, v in rows)
scale = (width - left - 120) / most
colours = ["#1f4e79", "#4f81bd", "#a9c4e4", "#bbbbbb"]
labels = ["outputs, gradients, double backward", "outputs, gradients", "outputs", "PyTorch refuses: MiniTorch must too"]
total = len(cases)
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="13">',
       f'<rect width="{width}" height="{height}" fill="white"/>',
       f'<text x="10" y="22" font-size="16">Differential conformance against PyTorch 1.13: {total} committed cases by op family</text>',
       f'<text x="10" y="42" font-size="12" fill="#444">every case passes in CI{sweep_note}</text>']
for i, (name, v) in enumerate(rows):
    y = top + i * (bar_h + gap)
    out.append(f'<text x="{left - 8}" y="{y + bar_h * 0.7}" text-anchor="end">{name}</text>')
    x = left
    for k, n in enumerate(v):
        if n:
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{n * scale:.1f}" height="{bar_h}" fill="{colours[k]}"/>')
            x += n * scale
    note = f'{sum(v)}'
    out.append(f'<text x="{x + 6:.1f}" y="{y + bar_h * 0.7}">{note}</text>')
    if open_by_family.get(name):
        out.append(f'<text x="{x + 46:.1f}" y="{y + bar_h * 0.7}" fill="#c00000">{open_by_family[name]} open</text>')
ly = top + len(rows) * (bar_h + gap) + 16
lx = 10
for colour, label in zip(colours, labels):
    out.append(f'<rect x="{lx}" y="{ly}" width="14" height="14" fill="{colour}"/>')
    out.append(f'<text x="{lx + 20}" y="{ly + 12}" font-size="12">{label}</text>')
    lx += 24 + 7 * len(label)
out.append('</svg>')
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conformance.svg")
open(path, "w").write("\n".join(out) + "\n")
print(path, {k: sum(v) for k, v in counts.items()}, open_by_family)
