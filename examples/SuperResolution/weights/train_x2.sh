#!/usr/bin/env bash
# Trains the ×2 FSRCNN weights that `upscale` and `evaluate` use by default (fsrcnn_x2.safetensors
# beside this script) on the built-in procedural images (anti-aliased discs, rectangles, lines and
# gratings: nothing to download, nothing under a licence), then records the run: train_x2.txt (the
# training log without the per-step lines) and fsrcnn_x2.json (held-out PSNR of the network and of
# bicubic upscaling, which tests/MiniTorch.SuperResolution.Tests checks against the shipped file).
#
#   bash examples/SuperResolution/weights/train_x2.sh      (≈ 1 h on 2 busy cores; niced)
#
# Deterministic: the same seed gives the same weights on the same kind of CPU (MiniTorch's kernels
# are bitwise reproducible for any thread count; AVX-512, AVX2 and scalar code round differently).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
steps=8000
# A private build, so rebuilding the repository meanwhile cannot touch the running program.
dotnet publish examples/SuperResolution -c Release -o "$work/app" > "$work/publish.txt"
app() { CI=true nice -n 10 dotnet "$work/app/SuperResolution.dll" "$@"; }
# FSRCNN(2, d 56, s 12, m 4) as in the paper, starting from bicubic upscaling; 400 procedural images
# of 96×96 (350 for training, 50 held out); batch 16 of 32×32 patches; Adam 1e-3 (1e-4 for the
# deconvolution), constant; the low-resolution input is the patch box-filtered to half size.
app train --data procedural --images 400 --init bicubic --steps "$steps" --batch-size 16 --lr 1e-3 \
  --seed 0 --checkpoint-every 1000 --out "$work" > "$work/log.txt"
cp "$work/fsrcnn_x2.safetensors" "$here/fsrcnn_x2.safetensors"
{
  echo "# bash examples/SuperResolution/weights/train_x2.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
  grep -v '^step [0-9]*/[0-9]* loss' "$work/log.txt" || true
  echo "# loss every 1000 steps:"
  grep -E '^step [0-9]*000/[0-9]* loss' "$work/log.txt" || true
} > "$here/train_x2.txt"
# Held out: the training run's 50 images (seed 0), and 50 of a fresh draw (seed 1) never seen in training.
psnr() { app evaluate --weights "$here/fsrcnn_x2.safetensors" --images 400 --seed "$1" | sed -n 's/.*FSRCNN \([0-9.]*\) dB, bicubic \([0-9.]*\) dB.*/"fsrcnn_db": \1, "bicubic_db": \2/p'; }
cat > "$here/fsrcnn_x2.json" <<JSON
{
  "script": "examples/SuperResolution/weights/train_x2.sh",
  "model": { "scale": 2, "d": 56, "s": 12, "m": 4 },
  "training": { "data": "procedural", "images": 400, "seed": 0, "init": "bicubic", "steps": $steps, "batch_size": 16, "lr": 1e-3 },
  "held_out": [
    { "images": 400, "seed": 0, "held_out_images": 50, $(psnr 0) },
    { "images": 400, "seed": 1, "held_out_images": 50, $(psnr 1) }
  ]
}
JSON
cat "$here/fsrcnn_x2.json"
echo "wrote $here/fsrcnn_x2.safetensors, train_x2.txt and fsrcnn_x2.json"
