"""Draws examples/Dcgan/notes/img/last-attempt.svg from last-attempt-curves.json.

    python3 examples/Dcgan/notes/img/last_attempt_plot.py OUT.svg

last-attempt-curves.json holds the averaged generator's rows of the last attempt's runs (A-F on
seed 0, E1 and E2: run E on seeds 1 and 2), as printed by `--eval-every` ("step N: generator_ema
..." lines of the runs' logs; A, B and F were stopped before they wrote metrics.json). Left: the
circle count of every run against the step; right: the four classes of run E on the three seeds.
The green band is issue 12's 96-160 of 512.
"""
import json
import os
import sys

import matplotlib

out = sys.argv[1]
matplotlib.use("Agg" if out.endswith(".png") else "svg")
import matplotlib.pyplot as plt  # noqa: E402 (after choosing the backend)

runs = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "last-attempt-curves.json")))
labels = {
    "A": "A: EMA 0.9995 (equals the default)",
    "B": "B: lr_G 1e-3, lr_D 2e-3",
    "C": "C: batch 64 (steps ×2 shown)",
    "D": "D: β₂ 0.999",
    "E": "E: lr_G 2e-3, lr_D 1e-3 (new default)",
    "F": "F: lr_G 3e-3, lr_D 2e-3",
}
plt.rcParams["svg.hashsalt"] = "minitorch"  # stable ids: the file changes only when the data do
fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4))
for name, label in labels.items():
    pts = runs[name]
    scale = 2 if name == "C" else 1  # a batch-64 step sees the images of two batch-32 steps
    a.plot([p["step"] * scale for p in pts], [p["classes"][0] for p in pts], label=label,
           lw=2.2 if name == "E" else 1.1, color="black" if name == "E" else None)
a.axhspan(96, 160, color="green", alpha=0.12)
a.axvline(3584, color="gray", ls=":", lw=1)
a.set_ylim(120, 240)
a.set_xlabel("steps of batch 32")
a.set_ylabel("circles among 512 samples")
a.set_title("seed 0: circles of the averaged generator")
a.legend(fontsize=7)

names = ["circle", "square", "triangle", "cross"]
styles = ["-", "--", ":"]
for s, run in enumerate(["E", "E1", "E2"]):
    pts = [p for p in runs[run] if p["step"] >= 1024]
    for k, cls in enumerate(names):
        b.plot([p["step"] for p in pts], [p["classes"][k] for p in pts], ls=styles[s], color=f"C{k}",
               label=f"{cls}" if s == 0 else None)
b.axhspan(96, 160, color="green", alpha=0.12, label="target: 96–160 each")
b.axvline(3584, color="gray", ls=":", lw=1)
b.set_xlabel("steps (solid: seed 0, dashed: seed 1, dotted: seed 2)")
b.set_ylabel("samples of 512")
b.set_title("run E (the new default) on three seeds")
b.legend(fontsize=7, loc="upper left", ncol=2)
b.set_ylim(60, 200)
fig.tight_layout()
fig.savefig(out, **({"metadata": {"Date": None}} if out.endswith(".svg") else {"dpi": 80}))
