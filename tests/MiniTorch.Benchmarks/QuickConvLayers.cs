using MiniTorch.Kernels;

namespace MiniTorch.Benchmarks;

/// <summary>
/// `quick-conv layers|layers-dcgan[:paper|:example|:modern]|layers-fsrcnn`: every pass (forward, input
/// gradient, weight gradient) of every convolution layer of the DCGAN step in the paper's and the
/// example's configurations, with the route each takes (<c>MINITORCH_CONV_ROUTE</c> forces another, to
/// compare routes); small stride-1 layers and FSRCNN's small-channel layers (on a full-HD frame,
/// 1×C×1080×1920, and on the bands of 20 rows the example's row stream calls them on) by the dispatched
/// route and forced onto the GEMM route, to set the dispatch rule.
/// </summary>
internal static class QuickConvLayers
{
    public static void Run(string which, double peak, Action<string, Action, double, double> report)
    {
        if (which is "layers" || which.StartsWith("layers-dcgan"))
        {
            // layers-dcgan: every pass of every DCGAN layer in three configurations; layers-dcgan:paper,
            // :example or :modern one of them. Conv2d rows are D's layers (their in-grad is D's input
            // gradient); ConvT rows G's layers (their in-grad, a convolution, is G's input gradient).
            string only = which.Contains(':') ? which.Split(':')[1] : "";
            foreach (var (key, label, nc, nz, ngf, ndf, batch) in DcganConfigs)
            {
                if (only != "" && only != key) continue;
                Console.WriteLine($"-- {label}: nc {nc}, nz {nz}, ngf {ngf}, ndf {ndf}, batch {batch}");
                foreach (var (name, c, transposed) in DcganLayers(nc, nz, ngf, ndf, batch))
                {
                    var passes = transposed
                        ? new (string, ConvPass, Action)[] { ("fwd", ConvPass.InputGrad, c.ConvolveTransposed), ("in-grad", ConvPass.Forward, c.Convolve), ("w-grad", ConvPass.WeightGrad, c.WeightGradient) }
                        : new (string, ConvPass, Action)[] { ("fwd", ConvPass.Forward, c.Convolve), ("in-grad", ConvPass.InputGrad, c.ConvolveTransposed), ("w-grad", ConvPass.WeightGrad, c.WeightGradient) };
                    foreach (var (pass, cp, run) in passes)
                    {
                        // G's first layer takes the noise, which needs no gradient: no step computes that pass.
                        if (pass == "in-grad" && transposed && c.G.SmallH == 1) continue;
                        Console.WriteLine($"  {ConvPlanner.RouteAndReason(c.G, cp)}");
                        report($"{name} {pass}", run, c.Flops, peak);
                    }
                }
            }
            if (which == "layers")
            {
                // Small stride-1 images (not in the DCGAN step): where the direct kernel's lanes run empty.
                foreach (int size in new[] { 4, 8, 12 })
                {
                    var c = ConvCase<float>.Conv2d(64, 64, size, size, 64, 3, 1, 1);
                    report($"conv 64->64 3x3 p1 {size}x{size} fwd", c.Convolve, c.Flops, peak);
                    report($"conv 64->64 3x3 p1 {size}x{size} fwd GEMM", c.ConvolveGemm, c.Flops, peak);
                }
            }
        }
        if (which == "routes-g")
        {
            // G's transposed layers (paper ngf 64 and the example's ngf 32, batch 64) by every route that
            // applies, each compared bit for bit with the planner's route (kernel work must not change a bit).
            foreach (int ngf in new[] { 64, 32 })
                foreach (var (name, c) in new (string, ConvCase<float>)[]
                         {
                             ($"G convT 100->{4 * ngf} 4x4 1x1", ConvCase<float>.ConvTranspose2d(64, 100, 1, 1, 4 * ngf, 4, 1, 0, 0)),
                             ($"G convT {4 * ngf}->{2 * ngf} 4x4 s2 4x4", ConvCase<float>.ConvTranspose2d(64, 4 * ngf, 4, 4, 2 * ngf, 4, 2, 1, 0)),
                             ($"G convT {2 * ngf}->{ngf} 4x4 s2 8x8", ConvCase<float>.ConvTranspose2d(64, 2 * ngf, 8, 8, ngf, 4, 2, 1, 0)),
                             ($"G convT {ngf}->3 4x4 s2 16x16", ConvCase<float>.ConvTranspose2d(64, ngf, 16, 16, 3, 4, 2, 1, 0)),
                             // Unit-stride small images' input gradients (the same pass, other phase shapes).
                             ($"conv {ngf}->{ngf} 3x3 p1 4x4 in-grad", ConvCase<float>.Conv2d(64, ngf, 4, 4, ngf, 3, 1, 1)),
                             ($"conv {ngf}->{ngf} 3x3 p1 8x8 in-grad", ConvCase<float>.Conv2d(64, ngf, 8, 8, ngf, 3, 1, 1)),
                             ($"conv {ngf}->{ngf} 3x3 p1 12x12 in-grad", ConvCase<float>.Conv2d(64, ngf, 12, 12, ngf, 3, 1, 1)),
                         })
                {
                    Console.WriteLine("  " + c.Describe(ConvPass.InputGrad));
                    c.ConvolveTransposed();
                    var planned = (float[])c.Big.Clone();
                    foreach (var route in ConvPlanner.Applicable(c.G, ConvPass.InputGrad, ConvPlanner.Isa).Where(r => r != ConvRoute.Reference))
                    {
                        using var force = ConvPlanner.Force(route);
                        Array.Fill(c.Big, float.NaN);
                        c.ConvolveTransposed();
                        bool same = planned.AsSpan().SequenceEqual(c.Big);
                        report($"{name} {route}{(same ? "" : " (bits differ)")}", c.ConvolveTransposed, c.Flops, peak);
                    }
                }
        }
        if (which == "layers-parallel")
        {
            // CPU time / wall time while a row runs back to back: about the thread count when its
            // work items really run in parallel (whatever else shares the cores), about 1 if not.
            var conv = ConvShapes.Conv3x3<float>();
            var tconv = ConvShapes.Transposed4x4<float>();
            foreach (var (name, run) in new (string, Action)[] { ("Conv2d 3x3 64->64 forward", conv.Convolve), ("ConvT 4x4 s2 forward", tconv.ConvolveTransposed) })
            {
                run();
                var process = System.Diagnostics.Process.GetCurrentProcess();
                process.Refresh();
                var cpu0 = process.TotalProcessorTime;
                var sw = System.Diagnostics.Stopwatch.StartNew();
                int reps = 0;
                while (sw.ElapsedMilliseconds < 2000) { run(); reps++; }
                process.Refresh();
                Console.WriteLine($"{name,-30} CPU/wall {(process.TotalProcessorTime - cpu0).TotalSeconds / sw.Elapsed.TotalSeconds:F2} over {reps} calls");
            }
        }
        if (which is "layers" or "layers-fsrcnn")
        {
            var convs = new (string, ConvCase<float>)[]
            {
                ("FSRCNN conv 1->56 5x5 p2", ConvCase<float>.Conv2d(1, 1, 1080, 1920, 56, 5, 1, 2)),
                ("FSRCNN conv 56->12 1x1", ConvCase<float>.Conv2d(1, 56, 1080, 1920, 12, 1, 1, 0)),
                ("FSRCNN conv 12->12 3x3 p1", ConvCase<float>.Conv2d(1, 12, 1080, 1920, 12, 3, 1, 1)),
                ("FSRCNN conv 12->56 1x1", ConvCase<float>.Conv2d(1, 12, 1080, 1920, 56, 1, 1, 0)),
                // The row stream's band-sized calls (20 new rows and the context; run these with MINITORCH_NUM_THREADS=1, as the stream does).
                ("FSRCNN band conv 1->56 5x5", ConvCase<float>.Conv2d(1, 1, 22, 1920, 56, 5, 1, 2)),
                ("FSRCNN band conv 56->12 1x1", ConvCase<float>.Conv2d(1, 56, 20, 1920, 12, 1, 1, 0)),
                ("FSRCNN band conv 12->12 3x3", ConvCase<float>.Conv2d(1, 12, 20, 1920, 12, 3, 1, 1)),
                ("FSRCNN band conv 12->56 1x1", ConvCase<float>.Conv2d(1, 12, 24, 1920, 56, 1, 1, 0)),
            };
            foreach (var (name, c) in convs)
            {
                report($"{name} fwd", c.Convolve, c.Flops, peak);
                report($"{name} fwd GEMM", c.ConvolveGemm, c.Flops, peak);
                report($"{name} in-grad", c.ConvolveTransposed, c.Flops, peak);
            }
            var up = ConvCase<float>.ConvTranspose2d(1, 56, 24, 1920, 1, 9, 2, 4, 1);
            report("FSRCNN band convT 56->1 9x9 s2 fwd", up.ConvolveTransposed, up.Flops, peak);
        }
    }

    /// <summary>
    /// The DCGAN configurations the step runs in: the paper's (<c>DcganStepBenchmarks</c>), and the
    /// example's sizes with <c>--recipe dcgan</c> (batch 64) and with the modern default (batch 32).
    /// </summary>
    private static readonly (string Key, string Label, int Nc, int Nz, int Ngf, int Ndf, int Batch)[] DcganConfigs =
    [
        ("paper", "paper config (DcganStepBenchmarks)", 3, 100, 64, 64, 64),
        ("example", "the example, --recipe dcgan", 1, 64, 32, 16, 64),
        ("modern", "the example, modern default", 1, 64, 32, 16, 32),
    ];

    /// <summary>D's four convolutions and G's four transposed convolutions (32×32 images, 4×4 kernels).</summary>
    private static IEnumerable<(string Name, ConvCase<float> Case, bool Transposed)> DcganLayers(int nc, int nz, int ngf, int ndf, int batch)
    {
        yield return ($"D conv {nc}->{ndf} s2 32x32", ConvCase<float>.Conv2d(batch, nc, 32, 32, ndf, 4, 2, 1), false);
        yield return ($"D conv {ndf}->{2 * ndf} s2 16x16", ConvCase<float>.Conv2d(batch, ndf, 16, 16, 2 * ndf, 4, 2, 1), false);
        yield return ($"D conv {2 * ndf}->{4 * ndf} s2 8x8", ConvCase<float>.Conv2d(batch, 2 * ndf, 8, 8, 4 * ndf, 4, 2, 1), false);
        yield return ($"D conv {4 * ndf}->1 4x4", ConvCase<float>.Conv2d(batch, 4 * ndf, 4, 4, 1, 4, 1, 0), false);
        yield return ($"G convT {nz}->{4 * ngf} 1x1", ConvCase<float>.ConvTranspose2d(batch, nz, 1, 1, 4 * ngf, 4, 1, 0, 0), true);
        yield return ($"G convT {4 * ngf}->{2 * ngf} s2 4x4", ConvCase<float>.ConvTranspose2d(batch, 4 * ngf, 4, 4, 2 * ngf, 4, 2, 1, 0), true);
        yield return ($"G convT {2 * ngf}->{ngf} s2 8x8", ConvCase<float>.ConvTranspose2d(batch, 2 * ngf, 8, 8, ngf, 4, 2, 1, 0), true);
        yield return ($"G convT {ngf}->{nc} s2 16x16", ConvCase<float>.ConvTranspose2d(batch, ngf, 16, 16, nc, 4, 2, 1, 0), true);
    }
}
