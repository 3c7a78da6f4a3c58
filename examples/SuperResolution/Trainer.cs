using MiniTorch;
using MiniTorch.IO;
using MiniTorch.Nn;
using MiniTorch.Optim;

namespace SuperResolution;

/// <summary>Training settings; the defaults are the paper's (Adam 1e-3, 0.1× for the deconvolution).</summary>
public sealed record TrainOptions
{
    /// <summary>Upscaling factor.</summary>
    public int Scale { get; init; } = 2;
    /// <summary>FSRCNN's d.</summary>
    public int D { get; init; } = 56;
    /// <summary>FSRCNN's s.</summary>
    public int S { get; init; } = 12;
    /// <summary>FSRCNN's m.</summary>
    public int M { get; init; } = 4;
    /// <summary>Optimisation steps.</summary>
    public int Steps { get; init; } = 2000;
    /// <summary>Patches per step.</summary>
    public int BatchSize { get; init; } = 16;
    /// <summary>Adam's learning rate for the convolutions and PReLUs.</summary>
    public double Lr { get; init; } = 1e-3;
    /// <summary>The deconvolution's learning rate as a multiple of <see cref="Lr"/>.</summary>
    public double DeconvLrFactor { get; init; } = 0.1;
    /// <summary>Start from bicubic upscaling (<see cref="FSRCNN.InitializeAsBicubic"/>) instead of the paper's random initialisation.</summary>
    public bool BicubicInit { get; init; }
    /// <summary>Seed of the initialisation and the patch sampling.</summary>
    public int Seed { get; init; }
    /// <summary>Folder for checkpoints (null: none).</summary>
    public string? CheckpointDir { get; init; }
    /// <summary>Steps between checkpoints.</summary>
    public int CheckpointEvery { get; init; } = 500;
}

/// <summary>Where training reports to: a progress bar or plain lines.</summary>
public interface ITrainingProgress
{
    /// <summary>Training of <paramref name="steps"/> steps begins.</summary>
    void Started(int steps);
    /// <summary>One step finished with this loss.</summary>
    void Step(int step, double loss);
    /// <summary>A message (evaluation results, checkpoints).</summary>
    void Log(string message);
}

/// <summary>The held-out PSNR of the network and of bicubic upscaling, in dB.</summary>
public readonly record struct Evaluation(double NetworkPsnr, double BicubicPsnr)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"held-out PSNR: FSRCNN {NetworkPsnr:F2} dB, bicubic {BicubicPsnr:F2} dB ({NetworkPsnr - BicubicPsnr:+0.00;-0.00} dB)");
}

/// <summary>Trains FSRCNN on luma patches with MSE.</summary>
public static class Trainer
{
    /// <summary>
    /// Runs <see cref="TrainOptions.Steps"/> Adam steps on MSE between the network's output and the
    /// high-resolution patch; two Adam instances give the deconvolution its own learning rate
    /// (Adam's state is per parameter, so this equals PyTorch's two parameter groups).
    /// </summary>
    public static Evaluation Train(FSRCNN model, PatchSource data, TrainOptions o, ITrainingProgress progress)
    {
        var deconv = model.LastPart.Parameters().ToHashSet(ReferenceEqualityComparer.Instance);
        var main = new Adam(model.Parameters().Where(p => !deconv.Contains(p)), lr: o.Lr);
        var last = new Adam(model.LastPart.Parameters(), lr: o.Lr * o.DeconvLrFactor);
        var rng = new Random(o.Seed);
        model.Train();
        progress.Started(o.Steps);
        for (int step = 1; step <= o.Steps; step++)
        {
            var hr = data.SampleBatch(o.BatchSize, rng);
            var lr = PatchSource.Downscale(hr, o.Scale);
            var loss = F.MseLoss(model.Call(lr), hr);
            main.ZeroGrad();
            last.ZeroGrad();
            loss.Backward();
            main.Step();
            last.Step();
            progress.Step(step, loss.Item());
            if (o.CheckpointDir is { } dir && (step % o.CheckpointEvery == 0 || step == o.Steps))
            {
                Directory.CreateDirectory(dir);
                string path = Path.Combine(dir, $"fsrcnn_x{o.Scale}.safetensors");
                model.SaveSafetensors(path, Metadata(model));
                progress.Log($"step {step}: checkpoint {path}");
            }
        }
        var result = Evaluate(model, data, o.Scale);
        progress.Log(result.ToString());
        return result;
    }

    /// <summary>The network's settings, stored in checkpoints so <c>upscale</c> can rebuild it.</summary>
    public static Dictionary<string, string> Metadata(FSRCNN model) => new()
    {
        ["model"] = "FSRCNN", ["scale"] = $"{model.Scale}", ["d"] = $"{model.D}", ["s"] = $"{model.S}", ["m"] = $"{model.M}",
    };

    /// <summary>
    /// Mean PSNR over the held-out images (whole images, borders of <c>scale</c> pixels shaved), against
    /// bicubic upscaling of the same low-resolution inputs.
    /// </summary>
    public static Evaluation Evaluate(FSRCNN model, PatchSource data, int scale)
    {
        bool training = model.Training;
        model.Eval();
        try
        {
            using var _ = Torch.NoGrad();
            double net = 0, bicubic = 0;
            int count = 0;
            foreach (var hr in data.HeldOut(scale))
            {
                var lr = PatchSource.Downscale(hr, scale);
                net += PatchSource.Psnr(model.Call(lr), hr, scale);
                bicubic += PatchSource.Psnr(PatchSource.Bicubic(lr, scale), hr, scale);
                count++;
            }
            return new Evaluation(net / count, bicubic / count);
        }
        finally { model.Train(training); }
    }
}
