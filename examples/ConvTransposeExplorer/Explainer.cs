namespace ConvTransposeExplorer;

/// <summary>
/// Computes every view of one state with MiniTorch: the fast op for the output, the Teaching views
/// (scatter, zero insertion, matrix, overlap) for the explanations, and autograd for the gradient.
/// Each view is checked against the fast op and carries the difference, printed as PyTorch prints it.
/// </summary>
/// <remarks>
/// The Teaching views run uncropped (padding 0, output_padding 0) and the crop is applied here with
/// F.Pad (negative amounts cut), so PyTorch's symmetric padding and Keras' asymmetric 'same' crop
/// are one path: PyTorch cuts (p, p − output_padding), Keras 'valid' (0, k_eff − max(k_eff, s)),
/// Keras 'same' (⌊(k_eff − s)/2⌋, the rest).
/// </remarks>
public static class Explainer
{
    /// <summary>The largest output side the page draws.</summary>
    public const int MaxOutputSide = 48;
    /// <summary>The largest Cᵀ drawn cell by cell.</summary>
    public const int MaxMatrixCells = 6000;
    /// <summary>The most scatter steps, and the most numbers in all their running sums.</summary>
    public const int MaxSteps = 64, MaxStepNumbers = 150_000;

    /// <summary>Reads the query and explains it; never throws.</summary>
    public static Explanation Explain(IReadOnlyDictionary<string, string> query)
    {
        Setup setup;
        try { setup = SetupParser.Parse(query); }
        catch (ExplorerInputException e) { return Failure(null, e.Message, "explorer"); }
        return Explain(setup);
    }

    /// <summary>Explains one state; PyTorch's argument errors come back in <see cref="Explanation.Error"/>.</summary>
    public static Explanation Explain(Setup s)
    {
        var x = s.InputTensor();
        var w = s.WeightTensor();
        Tensor output;
        using (Torch.NoGrad())
        {
            try { output = Ops.ConvTranspose(s, x, w); }
            catch (ArgumentException e) { return Failure(s, e.Message, "pytorch"); }
        }
        if (output.Size(2) > MaxOutputSide || output.Size(3) > MaxOutputSide)
            return Failure(s, $"the output is {output.Size(2)}×{output.Size(3)}: the explorer draws outputs up to {MaxOutputSide} on a side", "explorer");

        var notices = new List<string>();
        var crop = CropOf(s);
        var preset = s.Preset is { } name ? Presets.Find(name) : null;
        var printed = new Dictionary<string, string> { ["input"] = Print(s, x), ["weight"] = Print(s, w), ["output"] = Print(s, output) };
        TensorView? keras = null;
        if (s.IsKeras)
        {
            // Keras keeps Conv2DTranspose kernels as (kh, kw, out, in); KerasInterop moves the axes back.
            var kerasKernel = w.Permute(2, 3, 1, 0).Contiguous();
            keras = TensorView.Of(kerasKernel);
            printed["keras"] = kerasKernel.ToString();
            if (!KerasInterop.ConvTransposeKernel(kerasKernel).ToDoubleArray().SequenceEqual(w.ToDoubleArray()))
                throw new InvalidOperationException("KerasInterop did not invert the kernel layout");
        }
        return new Explanation(
            s.ToQuery(), s, preset?.Title, preset?.Note, null, null, Call(s),
            View(x[0]), TensorView.Of(w), keras, View(output[0]), printed,
            Formula(s, output), Scatter(s, x, w, output, crop, notices), ZeroInsertion(s, x, w, output, crop),
            Matrix(s, x, w, output, crop, notices), Overlap(s, output, crop), Gradient(s, x, w, output, crop), notices);
    }

    private static Explanation Failure(Setup? s, string message, string source) =>
        new(s?.ToQuery(), s, null, null, message, source, s is null ? null : Call(s),
            null, null, null, null, null, null, null, null, null, null, null, []);

    /// <summary>A [1, C, H, W] tensor's sample as [C, H, W] (1-d: still [C, 1, L]; the page draws one row).</summary>
    private static TensorView View(Tensor t) => TensorView.Of(t);

    /// <summary>PyTorch's print of a tensor, with the height axis dropped in 1-d ([1, C, L], [C_in, C_out, k]).</summary>
    private static string Print(Setup s, Tensor t) => (s.Rank == 1 ? t.Squeeze(2) : t).ToString();

    /// <summary>The call the state describes, in PyTorch's or Keras' words.</summary>
    public static string Call(Setup s)
    {
        string dims = s.Rank == 1 ? "1d" : "2d";
        if (s.IsKeras)
        {
            string pair(Pair p) => s.Rank == 1 ? $"{p.W}" : $"({p.H}, {p.W})";
            return $"keras.layers.Conv{(s.Rank == 1 ? "1D" : "2D")}Transpose({s.OutChannels}, {pair(s.Kernel)}, strides={pair(s.Stride)}, " +
                   $"padding='{s.KerasPadding}', dilation_rate={pair(s.Dilation)}, use_bias=False)";
        }
        return $"nn.ConvTranspose{dims}({s.InChannels}, {s.OutChannels}, kernel_size={s.Kernel.Format(s.Rank)}, stride={s.Stride.Format(s.Rank)}, " +
               $"padding={s.Padding.Format(s.Rank)}, output_padding={s.OutputPadding.Format(s.Rank)}, dilation={s.Dilation.Format(s.Rank)}, bias=False)";
    }

    /// <summary>The crop of the full canvas for the state's conventions.</summary>
    public static Crop CropOf(Setup s)
    {
        if (!s.IsKeras) return new Crop(s.Padding.H, s.Padding.H - s.OutputPadding.H, s.Padding.W, s.Padding.W - s.OutputPadding.W);
        (int, int) Side(int k, int st, int d)
        {
            if (s.KerasPadding == "same") return Shape.KerasTransposeSameCrop(k, st, d);
            int keff = d * (k - 1) + 1;
            return (0, keff - Math.Max(keff, st));
        }
        var (top, bottom) = Side(s.Kernel.H, s.Stride.H, s.Dilation.H);
        var (left, right) = Side(s.Kernel.W, s.Stride.W, s.Dilation.W);
        return new Crop(top, bottom, left, right);
    }

    /// <summary>Cuts (or, for negative amounts, extends with zeros) the last two axes.</summary>
    private static Tensor Apply(Crop c, Tensor t) => F.Pad(t, [-c.Left, -c.Right, -c.Top, -c.Bottom]);

    /// <summary>max |a − b|, printed as PyTorch prints the 0-dim result.</summary>
    private static string Diff(Tensor a, Tensor b) => (a.To(DType.Float64) - b.To(DType.Float64)).Abs().Max().To(a.DType).ToString();

    private static IReadOnlyList<FormulaLine> Formula(Setup s, Tensor output)
    {
        var lines = new List<FormulaLine>();
        var axes = s.Rank == 1 ? new[] { ("L", 1) } : [("H", 0), ("W", 1)];
        foreach (var (axis, d) in axes)
        {
            int i = d == 0 ? s.Input.H : s.Input.W, k = d == 0 ? s.Kernel.H : s.Kernel.W, st = d == 0 ? s.Stride.H : s.Stride.W;
            int p = d == 0 ? s.Padding.H : s.Padding.W, op = d == 0 ? s.OutputPadding.H : s.OutputPadding.W, dil = d == 0 ? s.Dilation.H : s.Dilation.W;
            int o = output.Size(2 + d);
            string symbolic, numeric;
            if (!s.IsKeras)
            {
                symbolic = $"{axis}_out = ({axis}_in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1";
                numeric = $"({i} − 1)·{st} − 2·{p} + {dil}·({k} − 1) + {op} + 1 = {o}";
            }
            else if (s.KerasPadding == "same")
            {
                symbolic = $"{axis}_out = {axis}_in · strides";
                numeric = $"{i} · {st} = {o}";
            }
            else
            {
                symbolic = $"{axis}_out = ({axis}_in − 1)·strides + max(dilation·(kernel − 1) + 1, strides)";
                numeric = $"({i} − 1)·{st} + max({dil}·({k} − 1) + 1, {st}) = {o}";
            }
            // The convolution with the same arguments maps the output size back to the input size.
            string conv = s.Rank == 1 ? "Conv1d" : "Conv2d";
            var c = CropOf(s);
            int before = d == 0 ? c.Top : c.Left, after = Math.Max(d == 0 ? c.Bottom : c.Right, 0);
            int back = (int)Math.Floor((o + before + after - dil * (k - 1) - 1) / (double)st) + 1;
            string backText = s.IsKeras
                ? $"{conv[..^1]}D back: ⌊({o} + {before} + {after} − {dil}·({k} − 1) − 1)/{st}⌋ + 1 = {back}"
                : $"{conv} back: ⌊({o} + 2·{p} − {dil}·({k} − 1) − 1)/{st}⌋ + 1 = {back}";
            int low = o - op;
            string range = st == 1
                ? "stride 1: only this size maps back, so output_padding must be 0 (or below the dilation)"
                : $"{conv} maps every size from {low} to {low + st - 1} back to {i}; output_padding = {op} picks {o}";
            if (s.IsKeras) range = $"Keras picks the size itself ('{s.KerasPadding}')";
            lines.Add(new FormulaLine(axis, symbolic, numeric, o, backText, range));
        }
        return lines;
    }

    private static ScatterView Scatter(Setup s, Tensor x, Tensor w, Tensor output, Crop crop, List<string> notices)
    {
        var r = TransposedConv.Scatter(x, w, Size(s.Stride), 0, 0, Size(s.Dilation), maxCopies: MaxSteps);
        var full = r.Full[0];
        var steps = new List<ScatterStep>();
        int numbers = r.Copies.Count * full.Numel;
        if (r.Copies.Count == 0 || numbers > MaxStepNumbers)
            notices.Add($"scatter: step-by-step is shown for inputs of at most {MaxSteps} elements with small canvases; here only the sum");
        else
        {
            var input = TensorView.Of(x[0]);
            var sum = Torch.ZerosLike(full);
            foreach (var copy in r.Copies)
            {
                sum = sum + copy.Canvas;
                int flat = (copy.Channel * s.Input.H + copy.Row) * s.Input.W + copy.Col;
                var scaled = w[copy.Channel] * copy.Value;
                steps.Add(new ScatterStep(copy.Channel, copy.Row, copy.Col, input.Text[flat], copy.Top, copy.Left, TensorView.Of(scaled), TensorView.Of(sum)));
            }
        }
        return new ScatterView(TensorView.Of(full), crop, steps, Diff(Apply(crop, r.Full), output));
    }

    private static ZeroInsertionView ZeroInsertion(Setup s, Tensor x, Tensor w, Tensor output, Crop crop)
    {
        var z = TransposedConv.ZeroInsertion(x, w, Size(s.Stride), 0, 0, Size(s.Dilation));
        int kh = s.Dilation.H * (s.Kernel.H - 1), kw = s.Dilation.W * (s.Kernel.W - 1);
        var padded = Apply(crop, z.Padded);
        var result = Apply(crop, z.Output);
        return new ZeroInsertionView(TensorView.Of(z.Stretched[0]), kh - crop.Top, kh - crop.Bottom, kw - crop.Left, kw - crop.Right,
                                     TensorView.Of(padded[0]), TensorView.Of(z.FlippedKernel), TensorView.Of(result[0]), Diff(result, output));
    }

    private static MatrixView Matrix(Setup s, Tensor x, Tensor w, Tensor output, Crop crop, List<string> notices)
    {
        var m = TransposedConv.AsMatrixFor(x, w, Size(s.Stride), 0, 0, Size(s.Dilation));
        int cols = m.C.RowCount, fh = m.InputShape[1], fw = m.InputShape[2];
        // Cᵀ's rows are the full canvas' positions; cut them like the canvas.
        var full = Torch.FromArray(m.C.Transpose().ToRowMajorArray(), s.OutChannels, fh, fw, cols).To(s.DType);
        var ct = Apply(crop, full.Permute(3, 0, 1, 2)).Permute(1, 2, 3, 0).Contiguous();
        int oh = ct.Size(1), ow = ct.Size(2), rows = s.OutChannels * oh * ow;
        ct = ct.Reshape(rows, cols);
        var product = ct.MatMul(x.Reshape(cols, 1)).Reshape(1, s.OutChannels, oh, ow);
        bool draw = rows * cols <= MaxMatrixCells;
        if (!draw) notices.Add($"matrix: Cᵀ is {rows}×{cols}; it is drawn cell by cell up to {MaxMatrixCells} entries");
        string Pos(int c, int h, int v) => s.Rank == 1 ? $"{c},{v}" : $"{c},{h},{v}";
        var rowLabels = new string[rows];
        for (int o = 0, n = 0; o < s.OutChannels; o++)
            for (int h = 0; h < oh; h++)
                for (int v = 0; v < ow; v++) rowLabels[n++] = $"y[{Pos(o, h, v)}]";
        var colLabels = new string[cols];
        for (int c = 0, n = 0; c < s.InChannels; c++)
            for (int h = 0; h < s.Input.H; h++)
                for (int v = 0; v < s.Input.W; v++) colLabels[n++] = $"x[{Pos(c, h, v)}]";
        return new MatrixView(draw ? TensorView.Of(ct) : null, rowLabels, colLabels, rows, cols, TensorView.Of(product[0]), Diff(product, output));
    }

    private static OverlapView Overlap(Setup s, Tensor output, Crop crop)
    {
        var map = TransposedConv.Overlap(Size(s.Kernel), Size(s.Stride), Size(s.Input), 0, Size(s.Dilation), 0);
        var counts = Apply(crop, map.ToTensor(DType.Float64).Unsqueeze(0)).Squeeze(0);
        // The same counts by the fast op: ones through a ones kernel.
        var ones = s with { InChannels = 1, OutChannels = 1 };
        var byOp = Ops.ConvTranspose(ones, Torch.Ones([1, 1, s.Input.H, s.Input.W], DType.Float64), Torch.Ones([1, 1, s.Kernel.H, s.Kernel.W], DType.Float64))[0][0];
        var v = counts.ToDoubleArray();
        int[] phaseH = Phases(s.Kernel.H, s.Stride.H, s.Dilation.H), phaseW = Phases(s.Kernel.W, s.Stride.W, s.Dilation.W);
        bool even = phaseH.Distinct().Count() == 1 && phaseW.Distinct().Count() == 1;
        return new OverlapView(TensorView.Of(counts), (int)v.Min(), (int)v.Max(), s.Rank == 1 ? null : phaseH, phaseW, even, Diff(counts, byOp));
    }

    /// <summary>Taps per output phase (position mod stride) away from the borders: #{i : i·d ≡ r (mod s)}.</summary>
    private static int[] Phases(int kernel, int stride, int dilation)
    {
        if (stride <= 0) return [kernel];
        var counts = new int[stride];
        for (int i = 0; i < kernel; i++) counts[i * dilation % stride]++;
        return counts;
    }

    private static GradientView Gradient(Setup s, Tensor x, Tensor w, Tensor output, Crop crop)
    {
        var z = Torch.Zeros(output.Shape, s.DType).RequiresGrad_();
        var y = Ops.Conv(s, z, w, crop);
        var g = x;
        string? note = null;
        if (y.Size(2) != g.Size(2) || y.Size(3) != g.Size(3))
        {
            note = $"Conv2d of the {output.Size(2)}×{output.Size(3)} output gives {y.Size(2)}×{y.Size(3)} (output_padding ≥ stride); g is padded with zeros at the bottom/right to match";
            g = F.Pad(x, [0, y.Size(3) - x.Size(3), 0, y.Size(2) - x.Size(2)]);
        }
        (y * g).Sum().Backward();
        Tensor transposed;
        using (Torch.NoGrad()) transposed = Ops.ConvTranspose(s, x, w);
        string args = $"stride={s.Stride.Format(s.Rank)}, dilation={s.Dilation.Format(s.Rank)}";
        string call = s.IsKeras
            ? $"Conv{(s.Rank == 1 ? "1D" : "2D")}(padding='{s.KerasPadding}', {args.Replace("dilation", "dilation_rate").Replace("stride=", "strides=")}): pad ({crop.Top}, {Math.Max(crop.Bottom, 0)}) rows and ({crop.Left}, {Math.Max(crop.Right, 0)}) columns, then convolve"
            : $"F.conv{(s.Rank == 1 ? "1d" : "2d")}(z, weight, {args.Replace(", dilation", $", padding={s.Padding.Format(s.Rank)}, dilation")})";
        return new GradientView(call, TensorView.Of(x[0]), TensorView.Of(z.Grad![0]), TensorView.Of(transposed[0]), Diff(z.Grad!, transposed), note);
    }

    private static Size2 Size(Pair p) => new(p.H, p.W);
}
