namespace ConvTransposeTour;

public static partial class Tour
{
    private static List<(string, int, int)> Step4OutputSizes(Printer tour)
    {
        tour.Step(4, "the output-size formulas, on the seed's 4×4 ones input");
        var x = Torch.Ones(1, 1, 4, 4);
        var sizes = new List<(string, int, int)>();
        tour.Say("Conv2d: o = ⌊(i + 2p − d(k−1) − 1)/s⌋ + 1.");
        foreach (var (k, s, p, d) in new[] { (3, 1, 1, 1), (3, 1, 2, 1), (3, 2, 1, 1), (3, 1, 1, 2) })
        {
            int formula = (4 + 2 * p - d * (k - 1) - 1) / s + 1;
            var y = F.Conv2d(x, Torch.Ones(1, 1, k, k), stride: s, padding: p, dilation: d);
            string label = $"Conv2d k={k} s={s} p={p} d={d}";
            tour.Line($"{label}: o = ⌊(4 + 2·{p} − {d}·({k}−1) − 1)/{s}⌋ + 1 = {formula}");
            tour.Show("out", y);
            sizes.Add((label, formula, y.Size(2)));
        }
        tour.Say("ConvTranspose2d: o' = (i − 1)·s − 2p + d(k−1) + output_padding + 1; padding now crops the output.");
        foreach (var (k, s, p, d, a) in new[] { (2, 1, 0, 1, 0), (2, 1, 1, 1, 0), (3, 1, 0, 1, 0), (3, 1, 2, 1, 0), (3, 2, 2, 1, 0),
                                               (3, 1, 0, 2, 0), (3, 2, 1, 1, 0), (3, 2, 1, 1, 1) })
        {
            int formula = (4 - 1) * s - 2 * p + d * (k - 1) + a + 1;
            var y = F.ConvTranspose2d(x, Torch.Ones(1, 1, k, k), stride: s, padding: p, outputPadding: a, dilation: d);
            string label = $"ConvTranspose2d k={k} s={s} p={p} d={d} output_padding={a}";
            tour.Line($"{label}: o' = (4−1)·{s} − 2·{p} + {d}·({k}−1) + {a} + 1 = {formula}");
            var z = TransposedConv.ZeroInsertion(x, Torch.Ones(1, 1, k, k), s, p, a, d);
            string pad = z.PadH.Before >= 0 ? "pads" : "crops";
            tour.Line($"  equivalent Conv2d {pad} the {(s > 1 ? "stretched " : "")}input by d(k−1) − p = {d}·({k}−1) − {p} = {z.PadH.Before}" +
                      (a > 0 ? $" (and {z.PadH.After} at the bottom/right)" : ""));
            if (z.Padded.Size(2) <= 8) tour.Show("  padded", z.Padded);
            tour.Show("out", y);
            sizes.Add((label, formula, y.Size(2)));
        }
        tour.Say("Why output_padding exists: Conv2d(k=3, s=2, p=1) maps both 7×7 and 8×8 inputs to 4×4, so its transpose must be told which size to return.");
        foreach (int i in new[] { 7, 8 })
        {
            int o = F.Conv2d(Torch.Ones(1, 1, i, i), Torch.Ones(1, 1, 3, 3), stride: 2, padding: 1).Size(2);
            tour.Line($"Conv2d(k=3, s=2, p=1) on {i}×{i} → {o}×{o}; ConvTranspose2d back with output_padding = {Shape.ConvAdjointOutputPadding(i, 3, 2, 1, 1)}");
            sizes.Add(($"Conv2d k=3 s=2 p=1 on {i}", 4, o));
        }
        return sizes;
    }

    private static (Tensor Conv, Tensor Valid, Tensor ValidStride2, Tensor Same) Step5Keras(Printer tour)
    {
        tour.Step(5, "Keras 'valid' and 'same', and the kernel layouts");
        var x = Torch.FromArray(new float[] { 3, 5, 2, 7, 4, 1, 3, 8, 6, 3, 8, 2, 9, 6, 1, 5 }, 1, 1, 4, 4);
        // Keras stores this kernel as (kh, kw, in, out) = (3, 3, 1, 1): [[[[1]], [[2]], [[1]]], [[[2]], [[1]], [[2]]], [[[1]], [[1]], [[2]]]].
        var keras = Torch.FromArray(new float[] { 1, 2, 1, 2, 1, 2, 1, 1, 2 }, 3, 3, 1, 1);
        tour.Say("Seed 002 sets one 3×3 kernel on both Keras layers, written as nested (kh, kw, in, out) arrays; as a matrix it is:");
        tour.Show("kernel", keras.View(3, 3));
        tour.Say("Keras keeps kernels as (kh, kw, in, out) for Conv2D and (kh, kw, out, in) for Conv2DTranspose; KerasInterop only moves the axes (nothing is flipped).");
        var conv = F.Conv2d(x, KerasInterop.Conv2dKernel(keras), padding: Padding2d.Valid);
        tour.Show("X", x);
        tour.Show("Conv2D(1, (3, 3), padding='valid')", conv);
        var wt = KerasInterop.ConvTransposeKernel(keras);
        tour.Line($"Conv2DTranspose kernel {Shape.Format(keras.Shape)} (kh, kw, out, in) → ConvTranspose2d weight {Shape.Format(wt.Shape)} [in, out, kh, kw]; " +
                  $"e.g. (3, 3, 2, 4) → {Shape.Format(KerasInterop.ConvTransposeKernel(Torch.Zeros(3, 3, 2, 4)).Shape)}");
        var valid = F.ConvTranspose2d(conv, wt, padding: Padding2d.Valid);
        var valid2 = F.ConvTranspose2d(conv, wt, stride: 2, padding: Padding2d.Valid);
        var same = F.ConvTranspose2d(conv, wt, padding: Padding2d.Same);
        tour.Say("The Conv2DTranspose input is that Conv2D output (the seed sets X = yhat_org), with the same kernel. " +
                 "'valid' keeps the full scatter output ((i−1)s + k); with stride 2 the copies sit 2 apart:");
        tour.Show("Conv2DTranspose 'valid', strides=(1, 1)", valid);
        tour.Show("Conv2DTranspose 'valid', strides=(2, 2)", valid2);
        double a = conv[0][0][0][0].Item(), b = conv[0][0][0][1].Item();
        var row = keras.View(3, 3)[0];
        tour.Line($"Its top row is {PythonStyle.Repr(a)}·{row} at columns 0–2 plus {PythonStyle.Repr(b)}·{row} at columns 2–4; " +
                  $"column 2 gets {PythonStyle.Repr(a)} + {PythonStyle.Repr(b)} = {PythonStyle.Repr(a + b)}:");
        tour.Show("row 0", valid2[0][0][0]);
        tour.Say("'same' makes the output i·s by cropping k − s in total (the larger half at the end); PyTorch has no such option, it is padding=1 here:");
        tour.Show("Conv2DTranspose 'same', strides=(1, 1)", same);
        tour.Show("ConvTranspose2d(padding=1)", F.ConvTranspose2d(conv, wt, padding: 1));
        return (conv, valid, valid2, same);
    }

    private static (double Left, double Right, double GradError) Step6Adjoint(Printer tour)
    {
        tour.Step(6, "the adjoint identity and backprop");
        var g = new Generator(7);
        var x = Torch.Randn([1, 1, 5, 5], g, DType.Float64);
        var w = Torch.Randn([1, 1, 3, 3], g, DType.Float64);
        var y = Torch.Randn([1, 1, 3, 3], g, DType.Float64);
        int a = Shape.ConvAdjointOutputPadding(5, 3, 2, 1, 1);
        double left = Dot(F.Conv2d(x, w, stride: 2, padding: 1), y);
        double right = Dot(x, F.ConvTranspose2d(y, w, stride: 2, padding: 1, outputPadding: a));
        tour.Say("For Conv2d(k=3, s=2, p=1) on 5×5 and a random y, the two inner products agree: ConvTranspose2d is the adjoint.");
        tour.Line($"⟨conv(x), y⟩  = {PythonStyle.Repr(left)}");
        tour.Line($"⟨x, convᵀ(y)⟩ = {PythonStyle.Repr(right)}");

        var xr = x.Clone().RequiresGrad_();
        var upstream = y;
        var loss = (F.Conv2d(xr, w, stride: 2, padding: 1) * upstream).Sum();
        loss.Backward();
        var transposed = F.ConvTranspose2d(upstream, w, stride: 2, padding: 1, outputPadding: a);
        tour.Say("Backprop through Conv2d sends the upstream gradient ∂L/∂y through ConvTranspose2d with the same weight:");
        tour.Show("∂L/∂y", upstream);
        tour.Show("x.grad", xr.Grad!);
        tour.Show("ConvTranspose2d(∂L/∂y)", transposed);
        double error = MaxAbsDiff(xr.Grad!, transposed);
        tour.Line($"max |x.grad − ConvTranspose2d(∂L/∂y)| = {Difference(xr.Grad!, transposed)}");
        return (left, right, error);
    }
}
