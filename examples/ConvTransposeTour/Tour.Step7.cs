namespace ConvTransposeTour;

public static partial class Tour
{
    private static (Dictionary<string, int[]>, Tensor, double, double, List<string>) Step7Checkerboard(Printer tour, string folder)
    {
        tour.Step(7, "checkerboard artifacts");
        tour.Say("Count how many kernel taps reach each output position of a stride-2 transposed convolution over 8 inputs (1-D):");
        var overlaps = new Dictionary<string, int[]>();
        var pictures = new List<string>();
        foreach (var (k, name) in new[] { (3, "k3s2"), (4, "k4s2"), (9, "k9s2") })
        {
            overlaps[name] = TransposedConv.Overlap(k, 2, 8);
            tour.Line($"kernel {k}, stride 2: [{string.Join(", ", overlaps[name])}]");
        }
        tour.Say("When the kernel size is not a multiple of the stride, the interior alternates (1/2 for k3, 5/4 for FSRCNN's k9); k4 is even. " +
                 "In 2-D the counts multiply; for k3 s2 on an 8×8 input (the picture overlap_k3s2.svg shows the same grid):");
        var grid = TransposedConv.Overlap((3, 3), (2, 2), (8, 8)).ToTensor();
        tour.Show("overlap k3 s2", grid);
        foreach (var (k, name) in new[] { (3, "k3s2"), (4, "k4s2"), (9, "k9s2") })
        {
            var map = TransposedConv.Overlap((k, k), (2, 2), (8, 8));
            string path = Path.Combine(folder, $"overlap_{name}.svg");
            File.WriteAllText(path, HeatMapSvg.Render(map.ToTensor(), $"ConvTranspose2d taps per output: kernel {k}, stride 2, 8×8 input",
                                                      "output column", "output row", Palette.Hot, "kernel taps reaching the position"));
            pictures.Add(path);
            tour.Line($"wrote {path} ({map.Height}×{map.Width}, counts {map.Min}..{map.Max})");
        }

        var (strided, resize) = UntrainedGenerators();
        double stridedStd = InteriorStd(strided), resizeStd = InteriorStd(resize);
        tour.Say("An untrained generator fed a flat 4×4 feature map: three ConvTranspose2d(k=3, s=2, p=1, output_padding=1) layers versus three nearest-upsample + Conv2d(k=3, p=1) layers.");
        tour.Line($"std of the central 16×16 of the 32×32 output: strided {PythonStyle.Repr(stridedStd)}, resize-convolution {PythonStyle.Repr(resizeStd)}");
        string pair = Path.Combine(folder, "generators_strided_vs_resize.svg");
        File.WriteAllText(pair, HeatMapSvg.Row(
            HeatMapSvg.Render(strided[0][0], "3 × ConvTranspose2d(k=3, s=2)", "x", "y", Palette.Grey, "output value", cell: 8),
            HeatMapSvg.Render(resize[0][0], "3 × (Upsample + Conv2d(k=3))", "x", "y", Palette.Grey, "output value", cell: 8)));
        pictures.Add(pair);
        tour.Line($"wrote {pair} (left: strided transposed convolutions, right: resize-convolution; each with its own grey scale)");
        return (overlaps, grid, stridedStd, resizeStd, pictures);
    }

    /// <summary>Two untrained generators (fixed seed, float64) applied to a constant input [1, 8, 4, 4]; outputs [1, 1, 32, 32].</summary>
    internal static (Tensor Strided, Tensor Resize) UntrainedGenerators()
    {
        var g = new Generator(2016);
        var strided = new Sequential(
            new ConvTranspose2d(8, 8, 3, 2, 1, 1, generator: g), new ReLU(),
            new ConvTranspose2d(8, 8, 3, 2, 1, 1, generator: g), new ReLU(),
            new ConvTranspose2d(8, 1, 3, 2, 1, 1, generator: g));
        var resize = new Sequential(
            new Upsample(scaleFactor: 2), new Conv2d(8, 8, 3, 1, 1, generator: g), new ReLU(),
            new Upsample(scaleFactor: 2), new Conv2d(8, 8, 3, 1, 1, generator: g), new ReLU(),
            new Upsample(scaleFactor: 2), new Conv2d(8, 1, 3, 1, 1, generator: g));
        strided.To(DType.Float64);
        resize.To(DType.Float64);
        var flat = Torch.Ones([1, 8, 4, 4], DType.Float64);
        using var _ = Torch.NoGrad();
        return (strided.Call(flat), resize.Call(flat));
    }

    /// <summary>Standard deviation of the central 16×16 of a [1, 1, 32, 32] image, away from the border effects.</summary>
    internal static double InteriorStd(Tensor image)
    {
        var v = image.Narrow(2, 8, 16).Narrow(3, 8, 16).ToDoubleArray();
        double mean = v.Average();
        return Math.Sqrt(v.Sum(e => (e - mean) * (e - mean)) / v.Length);
    }
}
