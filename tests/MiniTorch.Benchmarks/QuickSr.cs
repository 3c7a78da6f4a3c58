using System.Diagnostics;
using System.Globalization;
using SuperResolution;

namespace MiniTorch.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project tests/MiniTorch.Benchmarks -- quick-sr [width height [band]]` (or `quick-sr bands [b1 b2 …]`: the network's time for each band height): the whole
/// FSRCNN ×2 (d 56, s 12, m 4) on a synthetic RGB frame (default full HD) as the example's
/// <c>upscale</c> runs it (colour conversion, network, bicubic chroma; no PNG), best of a few
/// runs, then the network alone (random and the example's shipped ×2 weights), the CPU time of one frame on one thread, and a per-layer profile.
/// </summary>
internal static class QuickSr
{
    public static void Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "bands") { Bands(args[1..]); return; }
        int w = args.Length > 1 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1920;
        int h = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1080;
        int band = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Upscaler.DefaultBand;
        var model = new FSRCNN(2, generator: new Generator(0));
        var rgb = Torch.Rand([3, h, w], new Generator(1));
        var luma = Torch.Rand([1, 1, h, w], new Generator(2));
        int threads = Torch.GetNumThreads();
        Console.WriteLine($"FSRCNN x2 (d 56, s 12, m 4) on {w}x{h}, bands of {band} rows, {threads} threads, load average {LoadAverage()}");
        Console.WriteLine($"upscale (colour, network, chroma), best       {Best(() => Upscaler.UpscaleImage(model, rgb, band)),8:F1} ms");
        Console.WriteLine($"network only (UpscaleLuma), best               {Best(() => Upscaler.UpscaleLuma(model, luma, band)),8:F1} ms");
        if (w == 1920 && h == 1080 && File.Exists(SuperResolution.Program.ShippedWeights))
        {
            // The trained weights the example ships (same work; a check that their values cost nothing extra, e.g. denormals).
            var shipped = SuperResolution.Program.LoadModel(SuperResolution.Program.ShippedWeights, 2, 56, 12, 4);
            Console.WriteLine($"network only, shipped x2 weights, best         {Best(() => Upscaler.UpscaleLuma(shipped, luma, band)),8:F1} ms");
        }
        Torch.SetNumThreads(1);
        try
        {
            Console.WriteLine($"upscale on 1 thread: CPU time of one frame     {CpuMilliseconds(() => Upscaler.UpscaleImage(model, rgb, band)),8:F1} ms");
        }
        finally { Torch.SetNumThreads(threads); }
        var profile = new LayerProfile();
        Upscaler.UpscaleImage(model, rgb, band, profile);
        Console.WriteLine("per layer (stripes one after the other, single-threaded kernels as in a normal run; CPU = process CPU time):");
        Console.WriteLine(profile);
        // Each convolution's rate per CPU-second (FLOPs of the frame's own rows; stripes add 2·8 rows per boundary).
        var convs = model.FirstPart.Concat(model.MidPart).OfType<MiniTorch.Nn.Conv2d>().Cast<MiniTorch.Nn.ConvModule>().Append(model.LastPart).ToList();
        for (int i = 0; i < convs.Count; i++)
        {
            var c = convs[i];
            string name = $"{i,2} {Upscaler.LayerName(c)}";
            var entry = profile.Entries.FirstOrDefault(e => e.Name == name);
            if (entry is null) continue;
            double flops = 2.0 * c.InChannels * c.OutChannels * c.Weight.Size(2) * c.Weight.Size(3) * h * w;
            Console.WriteLine($"{name,-28} {flops / 1e9,6:F2} GFLOP  {flops / entry.Cpu.TotalSeconds / 1e9,6:F1} GFLOP per CPU-second");
        }
    }

    // `quick-sr bands [b1 b2 …]`: the network alone (UpscaleLuma) on a full-HD luma plane for each band height, in
    // interleaved rounds so that a loaded machine slows every band alike: best CPU time of one frame on one thread,
    // and best wall time on all threads.
    private static void Bands(string[] args)
    {
        int[] bands = args.Length > 0 ? [.. args.Select(a => int.Parse(a, CultureInfo.InvariantCulture))] : [2, 4, 8, 16];
        var model = new FSRCNN(2, generator: new Generator(0));
        var luma = Torch.Rand([1, 1, 1080, 1920], new Generator(2));
        int threads = Torch.GetNumThreads();
        Console.WriteLine($"FSRCNN x2 network (UpscaleLuma) on 1920x1080, {threads} threads, load average {LoadAverage()}");
        var cpu = bands.ToDictionary(b => b, _ => double.MaxValue);
        var wall = bands.ToDictionary(b => b, _ => double.MaxValue);
        var process = Process.GetCurrentProcess();
        for (int round = 0; round < 4; round++)
            foreach (int b in bands)
            {
                Torch.SetNumThreads(1);
                try
                {
                    process.Refresh();
                    var t0 = process.TotalProcessorTime;
                    Upscaler.UpscaleLuma(model, luma, b);
                    process.Refresh();
                    cpu[b] = Math.Min(cpu[b], (process.TotalProcessorTime - t0).TotalMilliseconds);
                }
                finally { Torch.SetNumThreads(threads); }
                long w0 = Stopwatch.GetTimestamp();
                Upscaler.UpscaleLuma(model, luma, b);
                wall[b] = Math.Min(wall[b], Stopwatch.GetElapsedTime(w0).TotalMilliseconds);
            }
        foreach (int b in bands)
            Console.WriteLine($"band {b,3}: 1 thread {cpu[b],7:F1} ms CPU   {threads} threads {wall[b],7:F1} ms wall");
    }

    private static double Best(Func<Tensor> run, int reps = 5, int budgetMilliseconds = 15000)
    {
        run();
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        for (int i = 0; i < reps && (i < 2 || total.ElapsedMilliseconds < budgetMilliseconds); i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            run();
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        return best;
    }

    private static double CpuMilliseconds(Func<Tensor> run)
    {
        run();
        double best = double.MaxValue;
        var process = Process.GetCurrentProcess();
        for (int i = 0; i < 3; i++)
        {
            process.Refresh();
            var t0 = process.TotalProcessorTime;
            run();
            process.Refresh();
            best = Math.Min(best, (process.TotalProcessorTime - t0).TotalMilliseconds);
        }
        return best;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
