#!/usr/bin/python3
"""Builds the C# notebooks from notebooks/src/*.dib, executes them and checks the seeds' numbers.

    /usr/bin/python3 notebooks/run.py            # execute all; check the seed numbers and the committed outputs
    /usr/bin/python3 notebooks/run.py --update   # execute all and write the executed notebooks to notebooks/
    /usr/bin/python3 notebooks/run.py 001        # only the notebooks whose name contains 001

Needs the built library (dotnet build MiniTorch.sln -c Release), Debian's Jupyter
(apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client) and the .NET
kernel (dotnet tool install -g Microsoft.dotnet-interactive; dotnet interactive jupyter install).
Execution uses nbclient, the engine behind `jupyter nbconvert --to notebook --execute`, with the
notebooks' folder as the working directory so that `#load "setup.csx"` finds the library.

A check fails when a seed number is missing from the cell that reproduces it (SEED_CHECKS below,
copied from the seed notebooks), or when a committed notebook's outputs differ from what the code
prints today, so the notebooks in the repository never show stale numbers.
"""
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
KERNEL = ".net-csharp"

# The first two rows of seed 000's Result (channel 0), which the blog and the tour print too.
SEED_000_TOP_ROWS = "[[ 0.1000,  0.4000,  1.0000,  1.6000,  1.7000,  1.2000], [ 0.9000,  2.9000,  6.2000,  8.3000,  7.5000,  4.8000]"

# (cell marker, kind, expected). The marker is a comment the reproducing cell starts with.
# 'text': the cell's output contains the seed's printed text verbatim.
# 'numbers': the seed's numbers appear, in order, among the numbers the cell printed (rel. 1e-4).
# 'svg': the cell shows a picture.
SEED_CHECKS = {
    "000-convtranspose2d": [
        ("// seed 000 In [2]", "text", "input size:  torch.Size([1, 1, 2, 3])\ntest input:  tensor([[[[1., 2., 3.],\n          [4., 5., 6.]]]])"),
        ("// seed 000 In [5]", "text", "name:  main.weight"),
        ("// seed 000 In [5]", "text", "Param shape:  torch.Size([1, 3, 4, 4])"),
        ("// seed 000 In [11]", "text", """Model weight:  Parameter containing:
tensor([[[[0.1000, 0.2000, 0.3000, 0.4000],
          [0.5000, 0.6000, 0.7000, 0.8000],
          [0.9000, 1.0000, 1.1000, 1.2000],
          [1.3000, 1.4000, 1.5000, 1.6000]],

         [[1.7000, 1.8000, 1.9000, 2.0000],
          [2.1000, 2.2000, 2.3000, 2.4000],
          [2.5000, 2.6000, 2.7000, 2.8000],
          [2.9000, 3.0000, 3.1000, 3.2000]],

         [[3.3000, 3.4000, 3.5000, 3.6000],
          [3.7000, 3.8000, 3.9000, 4.0000],
          [4.1000, 4.2000, 4.3000, 4.4000],
          [4.5000, 4.6000, 4.7000, 4.8000]]]], requires_grad=True)"""),
        ("// seed 000 In [12]", "text", """Result shape:  torch.Size([1, 3, 5, 6])
Result:  tensor([[[[ 0.1000,  0.4000,  1.0000,  1.6000,  1.7000,  1.2000],
          [ 0.9000,  2.9000,  6.2000,  8.3000,  7.5000,  4.8000],
          [ 2.9000,  7.7000, 14.6000, 16.7000, 13.9000,  8.4000],
          [ 4.9000, 12.5000, 23.0000, 25.1000, 20.3000, 12.0000],
          [ 5.2000, 12.1000, 20.8000, 22.3000, 17.0000,  9.6000]],

         [[ 1.7000,  5.2000, 10.6000, 11.2000,  9.7000,  6.0000],
          [ 8.9000, 22.1000, 39.8000, 41.9000, 33.1000, 19.2000],
          [10.9000, 26.9000, 48.2000, 50.3000, 39.5000, 22.8000],
          [12.9000, 31.7000, 56.6000, 58.7000, 45.9000, 26.4000],
          [11.6000, 26.5000, 44.8000, 46.3000, 34.6000, 19.2000]],

         [[ 3.3000, 10.0000, 20.2000, 20.8000, 17.7000, 10.8000],
          [16.9000, 41.3000, 73.4000, 75.5000, 58.7000, 33.6000],
          [18.9000, 46.1000, 81.8000, 83.9000, 65.1000, 37.2000],
          [20.9000, 50.9000, 90.2000, 92.3000, 71.5000, 40.8000],
          [18.0000, 40."""),
        ("// the six copies", "svg", None),
        ("// seed 000 In [39]", "numbers", """[[ 0.1  0.4  1.   1.6  1.7  1.2]
 [ 0.9  2.9  6.2  8.3  7.5  4.8]
 [ 2.9  7.7 14.6 16.7 13.9  8.4]
 [ 4.9 12.5 23.  25.1 20.3 12. ]
 [ 5.2 12.1 20.8 22.3 17.   9.6]]"""),
        ("// seed 000 In [43]", "text", "1.1"),
    ],
    "001-padding-and-stride": [
        ("// seed 001 In [2]", "text", "tensor([[1., 1., 1., 1.],\n        [1., 1., 1., 1.],\n        [1., 1., 1., 1.],\n        [1., 1., 1., 1.]])"),
        ("// seed 001 In [4]", "text", "torch.Size([1, 1, 4, 4])"),
        ("// seed 001 In [6]", "text", "tensor([[[[1., 1., 1.],\n          [1., 1., 1.],\n          [1., 1., 1.]]]])"),
        ("// seed 001 In [7]", "numbers", "[[[[4., 6., 6., 4.], [6., 9., 9., 6.], [6., 9., 9., 6.], [4., 6., 6., 4.]]]]"),
        ("// seed 001 In [7]", "text", "torch.Size([1, 1, 4, 4])"),
        ("// seed 001 In [10]", "numbers", """[[[[1., 2., 3., 3., 2., 1.], [2., 4., 6., 6., 4., 2.], [3., 6., 9., 9., 6., 3.],
          [3., 6., 9., 9., 6., 3.], [2., 4., 6., 6., 4., 2.], [1., 2., 3., 3., 2., 1.]]]]"""),
        ("// seed 001 In [10]", "text", "torch.Size([1, 1, 6, 6])"),
        ("// seed 001 In [13]", "text", """tensor([[[[0., 0., 0., 0., 0., 0.],
          [0., 1., 1., 1., 1., 0.],
          [0., 1., 1., 1., 1., 0.],
          [0., 1., 1., 1., 1., 0.],
          [0., 1., 1., 1., 1., 0.],
          [0., 0., 0., 0., 0., 0.]]]])"""),
        ("// seed 001 In [14]", "numbers", "[[[[1., 2., 2., 2., 1.], [2., 4., 4., 4., 2.], [2., 4., 4., 4., 2.], [2., 4., 4., 4., 2.], [1., 2., 2., 2., 1.]]]]"),
        ("// seed 001 In [14]", "text", "torch.Size([1, 1, 5, 5])"),
        ("// seed 001 In [18]", "numbers", "[[[[4., 4., 4.], [4., 4., 4.], [4., 4., 4.]]]]"),
        ("// seed 001 In [18]", "text", "torch.Size([1, 1, 3, 3])"),
        ("// seed 001 In [22]", "numbers", """[[[[1., 2., 3., 3., 2., 1.], [2., 4., 6., 6., 4., 2.], [3., 6., 9., 9., 6., 3.],
          [3., 6., 9., 9., 6., 3.], [2., 4., 6., 6., 4., 2.], [1., 2., 3., 3., 2., 1.]]]]"""),
        ("// seed 001 In [22]", "text", "torch.Size([1, 1, 6, 6])"),
        ("// seed 001 In [25]", "numbers", "[[[[9., 9.], [9., 9.]]]]"),
        ("// seed 001 In [25]", "text", "torch.Size([1, 1, 2, 2])"),
        ("// seed 001 In [28]", "numbers", """[[[[4., 2., 4., 2., 4.], [2., 1., 2., 1., 2.], [4., 2., 4., 2., 4.],
          [2., 1., 2., 1., 2.], [4., 2., 4., 2., 4.]]]]"""),
        ("// seed 001 In [28]", "text", "torch.Size([1, 1, 5, 5])"),
        ("// seed 001 In [77]", "text", "tensor([[[[1.]],\n\n         [[1.]]]])"),
        ("// seed 001 In [89]", "text", "torch.Size([1, 2, 2, 2])"),
        ("// seed 001 In [90]", "text", "torch.Size([1, 4, 8, 8])"),
    ],
    "002-keras-and-d2l": [
        ("// seed 002 In [1]", "numbers", "array([[55., 52.], [57., 50.]], dtype=float32)"),
        ("// seed 002 In [5]", "numbers", """array([[ 55., 162., 159.,  52.],
       [167., 323., 319., 154.],
       [169., 264., 326., 204.],
       [ 57., 107., 164., 100.]], dtype=float32)"""),
        ("// seed 002 In [6]", "text", "(1, 5, 5, 1)"),
        ("// seed 002 In [6]", "numbers", """array([[ 55., 110., 107., 104.,  52.],
       [110.,  55., 214.,  52., 104.],
       [112., 169., 269., 152., 154.],
       [114.,  57., 214.,  50., 100.],
       [ 57.,  57., 164.,  50., 100.]], dtype=float32)"""),
        ("// seed 002 In [7]", "text", "(1, 2, 2, 1)"),
        ("// seed 002 In [7]", "numbers", "array([[323., 319.], [264., 326.]], dtype=float32)"),
        ("// seed 002 In [14]", "text", """tensor([[[[ 0.,  0.,  1.],
          [ 0.,  4.,  6.],
          [ 4., 12.,  9.]]]], grad_fn=<ConvolutionBackward0>)
torch.Size([1, 1, 3, 3])"""),
        ("// seed 002 In [15]", "text", "torch.Size([1, 2, 3, 3])"),
        ("// seed 002 In [16]", "text", "tensor([[[[4.]]]], grad_fn=<ConvolutionBackward0>)"),
        ("// seed 002 In [18]", "text", "tensor([[[[0.]]]], grad_fn=<ConvolutionBackward0>)"),
        ("// seed 002 In [43]", "text", """tensor([[[[0., 0., 0., 0., 1.],
          [0., 0., 0., 2., 3.],
          [0., 0., 0., 0., 0.],
          [0., 2., 0., 0., 3.],
          [4., 6., 0., 6., 9.]]]], grad_fn=<ConvolutionBackward0>)"""),
    ],
    "003-fsrcnn-port": [
        ("// seed 003 padding", "text", "(56, 1, 2168, 3848)"),
        ("// seed 003 output size", "text", "torch.Size([1, 1, 2160, 3840])"),
        ("// seed 003 compare", "text", "max |port − ConvTranspose2d| = tensor("),
    ],
    "004-blog": [
        ("// seed 004 result", "text", "Result shape:  torch.Size([1, 3, 5, 6])"),
        ("// seed 004 result", "numbers", SEED_000_TOP_ROWS),
        ("// seed 004 batch", "text", "weight:  torch.Size([3, 7, 4, 4])"),
        ("// seed 004 batch", "text", "output:  torch.Size([4, 7, 7, 7])"),
    ],
    "tour": [
        ("// step 1", "numbers", SEED_000_TOP_ROWS),
        ("// step 2", "numbers", "[[[[4., 2., 4., 2., 4.], [2., 1., 2., 1., 2.], [4., 2., 4., 2., 4.], [2., 1., 2., 1., 2.], [4., 2., 4., 2., 4.]]]]"),
        ("// step 5", "numbers", "[[55., 52.], [57., 50.]]"),
        ("// step 5", "numbers", "[55., 110., 107., 104., 52.]"),
        ("// step 5", "numbers", "[[323., 319.], [264., 326.]]"),
        ("// step 7", "text", "kernel 3, stride 2: [1, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 1]"),
        ("// step 7", "svg", None),
    ],
}

NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?")
BOOTSTRAP = "dotnet-interactive-this-cell"


def parse_dib(path):
    """Polyglot Notebooks' plain-text format: '#!markdown' / '#!csharp' lines start cells."""
    cells, kind, lines = [], None, []

    def flush():
        if kind is not None:
            text = "\n".join(lines).strip("\n")
            if text:
                cells.append(nbformat.v4.new_markdown_cell(text) if kind == "markdown" else nbformat.v4.new_code_cell(text))

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() in ("#!markdown", "#!csharp"):
            flush()
            kind, lines = line.strip()[2:], []
        else:
            lines.append(line)
    flush()
    nb = nbformat.v4.new_notebook(cells=cells)
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:02d}"
    nb.metadata = {
        "kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": KERNEL},
        "language_info": {"name": "polyglot-notebook", "file_extension": ".cs", "mimetype": "text/x-csharp"},
    }
    return nb


def clean(nb):
    """Drops the kernel's start-up script and the execution timestamps, which change on every run."""
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs
                            if not (o.output_type == "display_data" and BOOTSTRAP in "".join(o.get("data", {}).get("text/html", "")))]
    return nb


def output_text(cell):
    parts = []
    for o in cell.get("outputs", []):
        if o.output_type == "stream":
            parts.append(o.text)
        elif o.output_type in ("execute_result", "display_data"):
            data = o.get("data", {})
            parts.append(data.get("text/plain", "") if "text/plain" in data else "")
        elif o.output_type == "error":
            parts.append(f"{o.ename}: {o.evalue}")
    return "".join(parts)


def has_svg(cell):
    return any("image/svg+xml" in o.get("data", {}) for o in cell.get("outputs", []))


def numbers_in(text):
    return [float(m) for m in NUMBER.findall(text)]


def contains_sequence(haystack, needle):
    for start in range(len(haystack) - len(needle) + 1):
        if all(abs(h - n) <= 1e-4 * max(1.0, abs(n)) for h, n in zip(haystack[start:start + len(needle)], needle)):
            return True
    return False


def check_seeds(name, nb):
    failures, passed = [], 0
    for marker, kind, expected in SEED_CHECKS.get(name, []):
        cells = [c for c in nb.cells if c.cell_type == "code" and c.source.lstrip().startswith(marker)]
        if not cells:
            failures.append(f"{name}: no cell starts with '{marker}'")
            continue
        out = "".join(output_text(c) for c in cells)
        ok = (kind == "text" and expected in out) or (kind == "svg" and any(has_svg(c) for c in cells)) or \
             (kind == "numbers" and contains_sequence(numbers_in(out), numbers_in(expected.replace("float32", ""))))
        if ok:
            passed += 1
        else:
            failures.append(f"{name} [{marker}] {kind}: expected\n{expected}\n--- got ---\n{out}")
    return passed, failures


def comparable(nb):
    """What a reader sees: each code cell's text and pictures."""
    result = []
    for c in nb.cells:
        if c.cell_type != "code":
            continue
        pictures = ["".join(o["data"]["image/svg+xml"]) for o in c.outputs if "image/svg+xml" in o.get("data", {})]
        result.append((c.source, output_text(c), pictures))
    return result


def local_kernel():
    """The .NET kernel as `dotnet interactive jupyter install` registers it, but with its HTTP
    service on the loopback interfaces only (--http-local-only), found first through JUPYTER_PATH."""
    folder = Path(tempfile.mkdtemp(prefix="minitorch-kernel-"))
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True)
    spec.joinpath("kernel.json").write_text(json.dumps({
        "argv": ["dotnet", "interactive", "jupyter", "--default-kernel", "csharp", "{connection_file}",
                 "--http-port-range", "2048-3000", "--http-local-only"],
        "display_name": ".NET (C#)", "language": "C#"}))
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(folder), os.environ.get("JUPYTER_PATH")]))


def main(args):
    local_kernel()
    update = "--update" in args
    only = [a for a in args if not a.startswith("--")]
    sources = sorted((HERE / "src").glob("*.dib"))
    sources = [s for s in sources if not only or any(o in s.stem for o in only)]
    failures, checks, start = [], 0, time.time()
    for src in sources:
        name = src.stem
        nb = parse_dib(src)
        t0 = time.time()
        NotebookClient(nb, timeout=600, kernel_name=KERNEL, allow_errors=False,
                       resources={"metadata": {"path": str(HERE)}}).execute()
        clean(nb)
        passed, fails = check_seeds(name, nb)
        checks += passed
        failures += fails
        target = HERE / f"{name}.ipynb"
        if update:
            nbformat.write(nb, target)
        elif not target.exists():
            failures.append(f"{name}: {target.name} is not committed (run with --update)")
        elif comparable(nbformat.read(target, as_version=4)) != comparable(nb):
            failures.append(f"{name}: {target.name} shows other outputs than the code prints today (run with --update)")
        print(f"{name}: executed in {time.time() - t0:.1f} s, {passed} seed checks passed, {len(fails)} failed", flush=True)
    print(f"notebooks: {len(sources)} executed in {time.time() - start:.1f} s; {checks} seed checks passed, {len(failures)} failures")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures or not sources else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
