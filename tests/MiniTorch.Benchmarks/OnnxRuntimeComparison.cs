using MiniTorch.IO;
using MiniTorch.Nn;

namespace MiniTorch.Benchmarks;

/// <summary>
/// Writes the speed issue's layers as ONNX files (MiniTorch's own exporter), for timing the same
/// work in ONNX Runtime with compare_onnxruntime.mjs. Bias is off, as in the kernel rows.
/// </summary>
internal static class OnnxRuntimeComparison
{
    public static void Export(string dir)
    {
        Directory.CreateDirectory(dir);
        var g = new Generator(7);
        var small = Torch.Zeros(1, 64, 8, 8);
        Onnx.Export(new Conv2d(64, 64, 3, padding: 1, bias: false, generator: g), small, Path.Combine(dir, "conv3x3.onnx"));
        Onnx.Export(new ConvTranspose2d(64, 32, 4, stride: 2, padding: 1, bias: false, generator: g), small, Path.Combine(dir, "convt4x4.onnx"));
        Onnx.Export(new ConvTranspose2d(56, 1, 9, stride: 2, padding: 4, outputPadding: 1, bias: false, generator: g),
                    Torch.Zeros(1, 56, 8, 8), Path.Combine(dir, "fsrcnn_last.onnx"));
        Console.WriteLine($"wrote conv3x3.onnx, convt4x4.onnx, fsrcnn_last.onnx to {dir}");
    }
}
