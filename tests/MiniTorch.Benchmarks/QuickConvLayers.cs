using MiniTorch.Kernels;

namespace MiniTorch.Benchmarks;

/// <summary>
/// `quick-conv layers|layers-dcgan|layers-fsrcnn`: the forward of each convolution layer of the DCGAN
/// step (batch 64) and of FSRCNN's small-channel layers (on a full-HD frame, 1×C×1080×1920, and on
/// the bands of 20 rows the example's row stream calls them on), each by the dispatched route and
/// forced onto the GEMM route, to set the dispatch rule.
/// </summary>
internal static class QuickConvLayers
{
    public static void Run(string which, double peak, Action<string, Action, double, double> report)
    {
        if (which is "layers" or "layers-dcgan")
        {
            // (name, case): Conv2d rows are D's layers and G's input gradients; ConvT rows G's layers and D's input gradients.
            var convs = new (string, ConvCase<float>)[]
            {
                ("D conv 3->64 4x4 s2 32x32", ConvCase<float>.Conv2d(64, 3, 32, 32, 64, 4, 2, 1)),
                ("D conv 64->128 4x4 s2 16x16", ConvCase<float>.Conv2d(64, 64, 16, 16, 128, 4, 2, 1)),
                ("D conv 128->256 4x4 s2 8x8", ConvCase<float>.Conv2d(64, 128, 8, 8, 256, 4, 2, 1)),
                // Small stride-1 images (not in the DCGAN step): where the direct kernel's lanes run empty.
                ("conv 64->64 3x3 p1 4x4", ConvCase<float>.Conv2d(64, 64, 4, 4, 64, 3, 1, 1)),
                ("conv 64->64 3x3 p1 8x8", ConvCase<float>.Conv2d(64, 64, 8, 8, 64, 3, 1, 1)),
                ("conv 64->64 3x3 p1 12x12", ConvCase<float>.Conv2d(64, 64, 12, 12, 64, 3, 1, 1)),
            };
            var tconvs = new (string, ConvCase<float>)[]
            {
                ("G convT 256->128 4x4 s2 4x4", ConvCase<float>.ConvTranspose2d(64, 256, 4, 4, 128, 4, 2, 1, 0)),
                ("G convT 128->64 4x4 s2 8x8", ConvCase<float>.ConvTranspose2d(64, 128, 8, 8, 64, 4, 2, 1, 0)),
                ("G convT 64->3 4x4 s2 16x16", ConvCase<float>.ConvTranspose2d(64, 64, 16, 16, 3, 4, 2, 1, 0)),
            };
            foreach (var (name, c) in convs)
            {
                report($"{name} fwd", c.Convolve, c.Flops, peak);
                report($"{name} fwd GEMM", c.ConvolveGemm, c.Flops, peak);
                report($"{name} in-grad", c.ConvolveTransposed, c.Flops, peak);
                report($"{name} in-grad GEMM", c.ConvolveTransposedGemm, c.Flops, peak);
            }
            foreach (var (name, c) in tconvs)
            {
                report($"{name} fwd", c.ConvolveTransposed, c.Flops, peak);
                report($"{name} fwd GEMM", c.ConvolveTransposedGemm, c.Flops, peak);
                report($"{name} in-grad", c.Convolve, c.Flops, peak);
                report($"{name} in-grad GEMM", c.ConvolveGemm, c.Flops, peak);
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
}
