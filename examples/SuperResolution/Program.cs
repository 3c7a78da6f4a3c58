using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MiniTorch;
using MiniTorch.IO;

namespace SuperResolution;

/// <summary>The command line: <c>train</c>, <c>upscale</c> and <c>export</c>.</summary>
public static class Program
{
    /// <summary>Exit code for bad input (arguments, files).</summary>
    public const int BadInput = 2;

    /// <summary>Entry point.</summary>
    public static int Main(string[] args) => BuildRoot().Parse(args).Invoke();

    /// <summary>Builds the command tree.</summary>
    public static RootCommand BuildRoot()
    {
        var scale = new Option<int>("--scale") { Description = "Upscaling factor", DefaultValueFactory = _ => 2 };
        var d = new Option<int>("--d") { Description = "FSRCNN d (feature channels)", DefaultValueFactory = _ => 56 };
        var s = new Option<int>("--s") { Description = "FSRCNN s (shrunk channels)", DefaultValueFactory = _ => 12 };
        var m = new Option<int>("--m") { Description = "FSRCNN m (mapping layers)", DefaultValueFactory = _ => 4 };

        var data = new Option<string>("--data") { Description = "Training data: " + PatchSource.Help, DefaultValueFactory = _ => "procedural" };
        var images = new Option<int>("--images") { Description = "How many procedural images to draw (one in eight is held out)", DefaultValueFactory = _ => 48 };
        var steps = new Option<int>("--steps") { Description = "Optimisation steps", DefaultValueFactory = _ => 2000 };
        var batch = new Option<int>("--batch-size") { Description = "Patches per step", DefaultValueFactory = _ => 16 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate (the deconvolution gets 0.1×)", DefaultValueFactory = _ => 1e-3 };
        var seed = new Option<int>("--seed") { Description = "Seed of everything random", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Checkpoint folder", DefaultValueFactory = _ => "runs/fsrcnn" };
        var init = new Option<string>("--init") { Description = "paper (random, as Dong et al.) or bicubic (start as bicubic upscaling; trains much faster)", DefaultValueFactory = _ => "paper" };
        init.AcceptOnlyFromAmong("paper", "bicubic");
        var every = new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints", DefaultValueFactory = _ => 500 };
        var train = new Command("train", "Train FSRCNN on 32×32 luma patches (MSE, Adam) and report held-out PSNR against bicubic")
        {
            scale, d, s, m, data, images, steps, batch, lr, init, seed, output, every,
        };
        train.SetAction(p => Guard(() =>
        {
            var o = new TrainOptions
            {
                Scale = p.GetValue(scale), D = p.GetValue(d), S = p.GetValue(s), M = p.GetValue(m), Steps = p.GetValue(steps),
                BatchSize = p.GetValue(batch), Lr = p.GetValue(lr), Seed = p.GetValue(seed), BicubicInit = p.GetValue(init) == "bicubic",
                CheckpointDir = p.GetValue(output), CheckpointEvery = Math.Max(1, p.GetValue(every)),
            };
            if (p.GetValue(images) < 8) throw new ArgumentException($"--images: need at least 8 (one in eight is held out), got {p.GetValue(images)}");
            var source = PatchSource.Open(p.GetValue(data)!, 32 / o.Scale * o.Scale, p.GetValue(images), o.Seed);
            var model = new FSRCNN(o.Scale, o.D, o.S, o.M, new Generator(o.Seed));
            if (o.BicubicInit) model.InitializeAsBicubic();
            Console.WriteLine($"{model}: {source.TrainCount} training and {source.HeldOutCount} held-out images");
            Console.WriteLine(Trainer.Evaluate(model, source, o.Scale).ToString().Replace("held-out", "before training, held-out"));
            if (SpectreProgress.Supported) { var bar = new SpectreProgress(); bar.Run(() => Trainer.Train(model, source, o, bar)); }
            else Trainer.Train(model, source, o, new PlainProgress(Console.Out));
            return 0;
        }));

        var weights = new Option<string?>("--weights") { Description = "FSRCNN weights (.safetensors from train or PyTorch, or a folder of .npy files; default: the shipped ×2 weights)" };
        var input = new Option<string>("--in") { Description = "Input image (JPEG, PNG, BMP, GIF, TIFF, WebP, TGA, PGM/PPM; alpha is dropped)", Required = true };
        var outImage = new Option<string>("--out") { Description = "Output image: .png, .jpg or .jpeg (quality 95)", Required = true };
        var tile = new Option<int>("--tile") { Description = "Input rows per band (0: whole image in one pass)", DefaultValueFactory = _ => Upscaler.DefaultBand };
        var profile = new Option<bool>("--profile") { Description = "Also print the time, allocations and page faults of every layer and step" };
        var upscale = new Command("upscale", "Upscale a whole image (luma by FSRCNN, chroma bicubic)") { weights, input, outImage, tile, profile, scale, d, s, m };
        upscale.SetAction(p => Guard(() =>
        {
            var model = LoadModel(WeightsOrShipped(p.GetValue(weights), p.GetValue(scale)), p.GetValue(scale), p.GetValue(d), p.GetValue(s), p.GetValue(m));
            var read = Stopwatch.StartNew();
            var image = LoadImage(p.GetValue(input)!);
            read.Stop();
            var layers = p.GetValue(profile) ? new LayerProfile() : null;
            // The first call of every method compiles it (≈ 0.2 s for this code): do that on a small image
            // that takes every code path (two stripes, several bands), so the time below is the upscaling's.
            var warm = Stopwatch.StartNew();
            Upscaler.UpscaleImage(model, Torch.Zeros(image.Size(0), 160, 64), p.GetValue(tile));
            warm.Stop();
            var clock = Stopwatch.StartNew();
            var result = Upscaler.UpscaleImage(model, image, p.GetValue(tile), layers);
            clock.Stop();
            var write = Stopwatch.StartNew();
            ImageIO.Save(result, p.GetValue(outImage)!, OutputJpegQuality);
            write.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{image.Size(2)}×{image.Size(1)} → {result.Size(2)}×{result.Size(1)} in {clock.Elapsed.TotalSeconds:F2} s ({Environment.ProcessorCount} cores; " +
                $"compiling the code on a 64×160 warm-up took {warm.Elapsed.TotalSeconds:F2} s before; reading the image {read.Elapsed.TotalSeconds:F2} s, writing the {Path.GetExtension(p.GetValue(outImage))} {write.Elapsed.TotalSeconds:F2} s)"));
            if (layers is not null) Console.WriteLine(layers);
            return 0;
        }));

        var onnx = new Option<string>("--onnx") { Description = "ONNX file to write", Required = true };
        var exportWeights = new Option<string?>("--weights") { Description = "Weights to export (default: a freshly initialised network)" };
        var export = new Command("export", "Export FSRCNN to ONNX (input [N, 1, H, W] luma in [0, 1], any H and W)") { onnx, exportWeights, scale, d, s, m };
        export.SetAction(p => Guard(() =>
        {
            string? w = p.GetValue(exportWeights);
            var model = w is null ? new FSRCNN(p.GetValue(scale), p.GetValue(d), p.GetValue(s), p.GetValue(m)) : LoadModel(w, p.GetValue(scale), p.GetValue(d), p.GetValue(s), p.GetValue(m));
            Onnx.Export(model, Torch.Zeros(1, 1, 16, 16), p.GetValue(onnx)!);
            Console.WriteLine($"wrote {p.GetValue(onnx)} ({model})");
            return 0;
        }));

        var evalWeights = new Option<string?>("--weights") { Description = "FSRCNN weights (default: the shipped ×2 weights)" };
        var evalData = new Option<string>("--data") { Description = "Images: " + PatchSource.Help + "; the held-out eighth is evaluated", DefaultValueFactory = _ => "procedural" };
        var evalImages = new Option<int>("--images") { Description = "How many procedural images to draw (one in eight is held out)", DefaultValueFactory = _ => 400 };
        var evalSeed = new Option<int>("--seed") { Description = "Seed of the procedural images", DefaultValueFactory = _ => 0 };
        var evaluate = new Command("evaluate", "Mean PSNR of FSRCNN and of bicubic upscaling on held-out images (borders of scale pixels shaved)")
        {
            evalWeights, evalData, evalImages, evalSeed, scale, d, s, m,
        };
        evaluate.SetAction(p => Guard(() =>
        {
            var model = LoadModel(WeightsOrShipped(p.GetValue(evalWeights), p.GetValue(scale)), p.GetValue(scale), p.GetValue(d), p.GetValue(s), p.GetValue(m));
            if (p.GetValue(evalImages) < 8) throw new ArgumentException($"--images: need at least 8 (one in eight is held out), got {p.GetValue(evalImages)}");
            var source = PatchSource.Open(p.GetValue(evalData)!, 32 / model.Scale * model.Scale, p.GetValue(evalImages), p.GetValue(evalSeed));
            Console.WriteLine($"{model} on {source.HeldOutCount} held-out images: {Trainer.Evaluate(model, source, model.Scale)}");
            return 0;
        }));

        return new RootCommand("FSRCNN super-resolution with MiniTorch") { train, upscale, export, evaluate };
    }

    /// <summary>The ×2 weights shipped with the example (weights/fsrcnn_x2.safetensors, copied beside the program).</summary>
    public static string ShippedWeights => Path.Combine(AppContext.BaseDirectory, "weights", "fsrcnn_x2.safetensors");

    /// <summary><paramref name="weights"/>, or the shipped ×2 weights when none are given (for scale 2 only).</summary>
    public static string WeightsOrShipped(string? weights, int scale)
    {
        if (weights is not null) return weights;
        if (scale != 2)
            throw new ArgumentException($"--weights: the shipped weights are for --scale 2, got --scale {scale}; train some first (train --scale {scale} --init bicubic) and pass them");
        if (!File.Exists(ShippedWeights)) throw new ArgumentException($"--weights: the shipped weights are missing ({ShippedWeights})");
        return ShippedWeights;
    }

    /// <summary>JPEG quality of <c>upscale --out *.jpg</c>: high, so the upscaled detail is not lost again to compression.</summary>
    public const int OutputJpegQuality = 95;

    /// <summary>
    /// An image file as [1, H, W] (gray) or [3, H, W] (colour) in [0, 1]: any format <see cref="ImageIO.Load"/>
    /// reads; an alpha channel (gray+alpha, RGBA) is dropped, since the network upscales colour only.
    /// </summary>
    public static Tensor LoadImage(string path)
    {
        var image = ImageIO.Load(path);
        return image.Size(0) switch
        {
            2 => image.Narrow(0, 0, 1).Contiguous(),
            4 => image.Narrow(0, 0, 3).Contiguous(),
            _ => image,
        };
    }

    /// <summary>
    /// Loads weights: a safetensors file (the network's settings are read from its metadata when
    /// train wrote it, otherwise from the options) or a folder with one .npy per state-dict key.
    /// </summary>
    public static FSRCNN LoadModel(string path, int scale, int d, int s, int m)
    {
        if (Directory.Exists(path))
        {
            var fromNpy = new FSRCNN(scale, d, s, m);
            fromNpy.LoadNpyFolder(path);
            return fromNpy;
        }
        var file = Safetensors.LoadFile(path);
        // The settings in the metadata size the network before its tensors are checked: a damaged or
        // hostile file must not be able to ask for a gigantic one.
        int Get(string key, int fallback, int max)
        {
            if (!file.Metadata.TryGetValue(key, out var v)) return fallback;
            if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < (key == "m" ? 0 : 1) || n > max)
                throw new InvalidDataException($"'{path}': metadata '{key}' is '{(v.Length <= 20 ? v : v[..20] + "…")}', expected an integer from {(key == "m" ? 0 : 1)} to {max}");
            return n;
        }
        var model = new FSRCNN(Get("scale", scale, 16), Get("d", d, 1024), Get("s", s, 1024), Get("m", m, 64));
        model.LoadStateDict(file.Tensors);
        return model;
    }

    private static int Guard(Func<int> action)
    {
        try { return action(); }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
    }
}
