#!/usr/bin/python3
"""The convolution rows of docs/performance.md, timed in PyTorch (Debian's python3-torch 1.13).

Usage: /usr/bin/python3 tests/MiniTorch.Benchmarks/compare_torch.py [--threads N] [--skip-fsrcnn]
Prints best-of-N wall time, GFLOP/s (2 per multiply-add of the mathematical definition; inserted
zeros of transposed convolution not counted) for the same shapes as ConvBenchmarks.cs.
"""
import argparse
import os
import time

import torch
import torch.nn.functional as F


def best(fn, reps):
    fn()
    t = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        t = min(t, time.perf_counter() - t0)
    return t


def row(name, fn, flops, reps=5):
    t = best(fn, reps)
    print(f"{name:58s} {t * 1e3:9.1f} ms {flops / t / 1e9:8.1f} GFLOP/s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--skip-fsrcnn", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, mkldnn {torch.backends.mkldnn.is_available()}")
    torch.manual_seed(0)
    with torch.no_grad():
        for dtype in (torch.float32, torch.float64):
            x = torch.randn(8, 64, 64, 64, dtype=dtype)
            w = torch.randn(64, 64, 3, 3, dtype=dtype)
            gy = torch.randn(8, 64, 64, 64, dtype=dtype)
            flops = 2.0 * 8 * 64 * 64 * 64 * 64 * 9
            name = f"Conv2d 3x3 64->64 8x64x64x64 {str(dtype)[6:]}"
            row(f"{name} forward", lambda: F.conv2d(x, w, padding=1), flops)
            row(f"{name} input grad", lambda: torch.nn.grad.conv2d_input(x.shape, w, gy, padding=1), flops)
            row(f"{name} weight grad", lambda: torch.nn.grad.conv2d_weight(x, w.shape, gy, padding=1), flops)
        z = torch.randn(8, 64, 32, 32)
        wt = torch.randn(64, 32, 4, 4)
        row("ConvTranspose2d 4x4 s2 64->32 8x64x32x32 float32 forward",
            lambda: F.conv_transpose2d(z, wt, stride=2, padding=1), 2.0 * 8 * 64 * 32 * 16 * 32 * 32)
        if not args.skip_fsrcnn:
            zf = torch.randn(1, 56, 1080, 1920)
            wf = torch.randn(56, 1, 9, 9)
            row("FSRCNN last layer 1x56x1080x1920 float32",
                lambda: F.conv_transpose2d(zf, wf, stride=2, padding=4, output_padding=1), 2.0 * 56 * 81 * 1080 * 1920, reps=2)


if __name__ == "__main__":
    main()
