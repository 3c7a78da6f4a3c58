"""Draws docs/img/io-codecs.svg from a BenchmarkDotNet report of ImageCodecBenchmarks.

    dotnet run -c Release --project tests/MiniTorch.Benchmarks -- --filter '*ImageCodec*' --job short
    python3 docs/img/io_codecs.py BenchmarkDotNet.Artifacts/results/BenchmarkRun-joined-*-report.csv "load average 40-50"

One bar per benchmark (mean time, log scale), MiniTorch's codecs in blue, ImageSharp's in orange.
"""
import csv
import math
import os
import sys

report, note = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ''
rows = []
with open(report, newline='') as f:
    for r in csv.DictReader(f):
        if r['Type'] != 'ImageCodecBenchmarks':
            continue
        value, unit = r['Mean'].replace(',', '').split()
        seconds = float(value) * {'s': 1, 'ms': 1e-3, 'us': 1e-6, 'μs': 1e-6, 'ns': 1e-9}[unit]
        rows.append((r['Method'].strip("'"), seconds))

width, bar_h, gap, left, top = 900, 26, 10, 430, 50
height = top + len(rows) * (bar_h + gap) + 40
lo, hi = math.log10(0.05), math.log10(30)
x = lambda s: left + (math.log10(s) - lo) / (hi - lo) * (width - left - 30)
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="13">',
       f'<rect width="{width}" height="{height}" fill="white"/>',
       f'<text x="10" y="24" font-size="16">Image codecs on a 4K RGB frame (mean time, log scale; {note})</text>']
for t in [0.1, 0.3, 1, 3, 10, 30]:
    out.append(f'<line x1="{x(t):.1f}" y1="{top - 8}" x2="{x(t):.1f}" y2="{height - 30}" stroke="#ddd"/>')
    out.append(f'<text x="{x(t):.1f}" y="{height - 12}" text-anchor="middle" fill="#555">{t:g} s</text>')
for i, (name, s) in enumerate(rows):
    y = top + i * (bar_h + gap)
    colour = '#3b6fb6' if 'MiniTorch' in name and 'ImageSharp' not in name else '#e08a2c'
    out.append(f'<text x="{left - 8}" y="{y + bar_h * 0.68:.1f}" text-anchor="end">{name.replace("&", "&amp;")}</text>')
    out.append(f'<rect x="{left}" y="{y}" width="{max(1, x(s) - left):.1f}" height="{bar_h}" fill="{colour}"/>')
    label = f'{s:.2f} s' if s >= 1 else f'{s * 1000:.0f} ms'
    out.append(f'<text x="{x(s) + 5:.1f}" y="{y + bar_h * 0.68:.1f}">{label}</text>')
out.append('</svg>')
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'io-codecs.svg'), 'w') as f:
    f.write('\n'.join(out))
print('wrote docs/img/io-codecs.svg with', len(rows), 'bars')
