using System.Text.Json;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>
/// The seed notebook's "Transpose Prac" cell: leaky_relu, nearest ×2 interpolation, then a 7×7
/// ConvTranspose2d — the upsampling pattern of a generator. Golden values from PyTorch 1.13
/// (Golden/Conv/gen_upsample_pattern.py).
/// </summary>
public class ConvUpsamplePatternTests
{
    private sealed record Golden(int[] interpolated_shape, int[] output_shape, double[] output, double[] upstream, double[] input_grad);

    private static Golden Load() => JsonSerializer.Deserialize<Golden>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "Conv", "upsample_pattern.json")))!;

    [Fact]
    public void UpsamplePattern_LeakyReluInterpolateConvTranspose_MatchesPyTorch()
    {
        var golden = Load();
        var tx = Torch.Ones([1, 2, 1, 1], DType.Float64).RequiresGrad_();
        var up = F.Interpolate(F.LeakyRelu(tx), scaleFactor: 2);
        Assert.Equal(golden.interpolated_shape, up.Shape);
        var w = Torch.Linspace(0.1, 4.8, 2 * 4 * 7 * 7, DType.Float64).Reshape(2, 4, 7, 7);
        var outp = F.ConvTranspose2d(up, w);
        Assert.Equal(new[] { 1, 4, 8, 8 }, outp.Shape);
        Assert.Equal(golden.output_shape, outp.Shape);
        var actual = outp.ToDoubleArray();
        for (int i = 0; i < actual.Length; i++)
            Assert.True(Math.Abs(actual[i] - golden.output[i]) <= 1e-12 * Math.Max(1, Math.Abs(golden.output[i])), $"output[{i}]: {actual[i]} vs {golden.output[i]}");

        var g = Torch.FromArray(golden.upstream, outp.Shape);
        (outp * g).Sum().Backward();
        var grad = tx.Grad!.ToDoubleArray();
        for (int i = 0; i < grad.Length; i++)
            Assert.True(Math.Abs(grad[i] - golden.input_grad[i]) <= 1e-10 * Math.Max(1, Math.Abs(golden.input_grad[i])), $"grad[{i}]: {grad[i]} vs {golden.input_grad[i]}");
    }
}
