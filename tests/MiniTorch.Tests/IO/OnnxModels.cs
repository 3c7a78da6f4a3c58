using MiniTorch.Nn;

namespace MiniTorch.Tests.IO;

/// <summary>
/// The models exported by the ONNX tests. Golden/Onnx/gen_onnx.py builds the same architectures in
/// PyTorch (same child names), loads the weights from the exported files and computes the outputs.
/// </summary>
internal static class OnnxModels
{
    public static readonly string[] Names = ["generator", "discriminator", "resize", "deconv"];

    public static (Module Model, int[] InputShape) Create(string name)
    {
        var g = new Generator(7);
        switch (name)
        {
            case "generator":
            {
                var bn = new BatchNorm2d(16);
                // Non-trivial running statistics, so eval-mode normalisation is visible.
                bn.RunningMean!.CopyFrom(Torch.Uniform([16], -0.5, 0.5, g));
                bn.RunningVar!.CopyFrom(Torch.Uniform([16], 0.5, 2, g));
                bn.Weight!.CopyFrom(Torch.Uniform([16], 0.5, 1.5, g));
                bn.Bias!.CopyFrom(Torch.Uniform([16], -0.2, 0.2, g));
                return (new Sequential(
                    new ConvTranspose2d(8, 16, 4, 1, 0, bias: false, generator: g), bn, new ReLU(),
                    new ConvTranspose2d(16, 3, 4, 2, 1, generator: g), new Tanh()), [2, 8, 1, 1]);
            }
            case "discriminator":
            {
                var prelu = new PReLU(8);
                prelu.Weight.CopyFrom(Torch.Uniform([8], 0, 0.5, g));
                return (new Sequential(
                    new Conv2d(3, 8, 4, 2, 1, generator: g), new LeakyReLU(0.2),
                    new Conv2d(8, 8, 3, 1, 2, dilation: 2, groups: 2, generator: g), prelu,
                    new Conv2d(8, 4, 3, 1, 1, paddingMode: PaddingMode.Reflect, generator: g), new PReLU(),
                    new Dropout(0.3), new Flatten(), new Linear(4 * 4 * 4, 1, generator: g), new Sigmoid()), [2, 3, 8, 8]);
            }
            case "resize":
                return (new Sequential(
                    new ZeroPad2d((1, 2, 0, 1)), new Upsample(scaleFactor: 2),
                    new Conv2d(2, 2, 3, padding: 1, paddingMode: PaddingMode.Replicate, generator: g),
                    new Upsample(scaleFactor: 2, mode: InterpolationMode.NearestExact),
                    new Upsample(scaleFactor: 0.5, mode: InterpolationMode.Bilinear),
                    new Upsample(size: (7, 9), mode: InterpolationMode.Bilinear, alignCorners: true),
                    new Upsample(scaleFactor: 3, mode: InterpolationMode.Bicubic),
                    // Halving puts every nearest-exact source coordinate on a tie: round_prefer_ceil must pick the upper pixel.
                    new Upsample(scaleFactor: 0.5, mode: InterpolationMode.NearestExact)), [1, 2, 5, 4]);
            case "deconv":
                return (new Sequential(
                    new ConvTranspose2d(4, 6, 3, stride: 3, padding: 2, outputPadding: 2, groups: 2, generator: g),
                    new ConvTranspose2d(6, 2, (3, 5), stride: (2, 1), padding: (1, 3), outputPadding: (1, 0), dilation: (1, 2), generator: g),
                    new ConvTranspose2d(2, 1, 9, stride: 2, padding: 4, outputPadding: 1, generator: g)), [1, 4, 5, 6]);
            default: throw new ArgumentException(name);
        }
    }

    /// <summary>The example input of <paramref name="name"/>, deterministic (the PyTorch script reads it from the JSON).</summary>
    public static Tensor Input(int[] shape) => Torch.Uniform(shape, -1, 1, new Generator(99));
}
