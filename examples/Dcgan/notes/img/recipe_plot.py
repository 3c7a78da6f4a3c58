"""Draws examples/Dcgan/notes/img/recipe-seeds.svg from the runs' metrics.json files.

    python3 examples/Dcgan/notes/img/recipe_plot.py OUT.svg SEED0 SEED1 SEED2 [DCGAN]

SEEDn: metrics.json of the README's command with --seed n (or the JSON that `eval --out` writes for
its checkpoint: a list of rows); DCGAN: the same for `--recipe dcgan`. Left: the predicted classes
of the averaged generator's 512 samples per seed, with the target's band of 96-160. Right: the
Fréchet distance of the raw and the averaged generator, with the real-vs-real floor and 3x it.
"""
import json
import sys

import matplotlib

out, paths = sys.argv[1], sys.argv[2:]
matplotlib.use("Agg" if out.endswith(".png") else "svg")
import matplotlib.pyplot as plt  # noqa: E402 (after choosing the backend)

seeds, dcgan = paths[:3], paths[3] if len(paths) > 3 else None


def rows(path):
    data = json.load(open(path))
    return {r["name"]: r for r in (data["quality"] if isinstance(data, dict) else data)}


plt.rcParams["svg.hashsalt"] = "minitorch"  # stable ids: the file changes only when the data do
fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.8), gridspec_kw={"width_ratios": [1.3, 1]})
labels, raw, ema = [], [], []
for i, path in enumerate(seeds):
    r = rows(path)
    e = r["generator_ema"]
    floor = r["real_vs_real"]["frechet"]
    xs = [k + (i - 1) * 0.27 for k in range(len(e["histogram"]))]
    a.bar(xs, e["histogram"], width=0.25, label=f"seed {i}: coverage {e['coverage']:.3f}")
    labels.append(f"seed {i}")
    raw.append(r["generator"]["frechet"])
    ema.append(e["frechet"])
a.axhspan(96, 160, color="green", alpha=0.12, label="target: 96–160 each")
a.axhline(128, color="gray", lw=0.8, ls=":")
a.set_xticks(range(len(e["class_names"])), e["class_names"])
a.set_ylabel("samples of 512")
a.set_title("predicted classes, averaged generator (default recipe)")
a.legend(fontsize=8, loc="upper right")
a.set_ylim(0, 240)

if dcgan:
    labels.append("--recipe dcgan\nseed 0")
    raw.append(rows(dcgan)["generator"]["frechet"])
    ema.append(None)
xs = range(len(labels))
b.bar([x - 0.2 for x in xs], raw, width=0.38, color="#999999", label="raw generator")
b.bar([x + 0.2 for x in xs if ema[x] is not None], [v for v in ema if v is not None], width=0.38, color="#1f77b4", label="averaged generator (EMA)")
for x in xs:
    for dx, v in ((-0.2, raw[x]), (0.2, ema[x])):
        if v is not None:
            b.text(x + dx, v * 1.08, f"{v:.1f}", ha="center", fontsize=8)
b.axhline(3 * floor, color="red", ls="--", lw=1, label=f"target: 3 × floor = {3 * floor:.1f}")
b.axhline(floor, color="gray", ls=":", lw=1, label=f"real-vs-real floor {floor:.1f}")
b.set_yscale("log")
b.set_ylim(10, 1000)
b.set_xticks(list(xs), labels, fontsize=8)
b.set_ylabel("Fréchet distance (judge's features)")
b.set_title("Fréchet distance")
b.legend(fontsize=7, loc="upper left")
fig.tight_layout()
fig.savefig(out, **({"metadata": {"Date": None}} if out.endswith(".svg") else {"dpi": 80}))
