using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MiniTorch.IO;
using MiniTorch.Nn;

namespace MiniTorch.Tests.IO;

/// <summary>
/// ONNX export of the 1-d and 3-d convolution modules (and 2-d through the same code), run in
/// ONNX Runtime in-process: its output equals the model's Forward within float32 rounding, for
/// explicit and 'same' padding, a reflect padding mode, strides, dilations, groups, output padding
/// and Keras' transposed 'same'/'valid'.
/// </summary>
public class OnnxConvNdTests
{
    private static float[] RunOnnx(Module model, Tensor input)
    {
        using var session = new InferenceSession(Onnx.ToBytes(model, input, 17));
        var x = new DenseTensor<float>(input.ToArray(), input.Shape);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.First(), x)]);
        return results.First().AsEnumerable<float>().ToArray();
    }

    private static void Agrees(Module model, int[] inputShape)
    {
        var input = Torch.Randn(inputShape, new Generator(11));
        float[] expected;
        using (Torch.NoGrad()) expected = model.Forward(input).ToArray();
        var actual = RunOnnx(model, input);
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(v => Math.Abs(v)) + 1;
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * scale, $"element {i}: MiniTorch {expected[i]:R}, ONNX Runtime {actual[i]:R}");
    }

    [Fact]
    public void Conv1dAndConvTranspose1d_ExportAndRunInOnnxRuntime()
    {
        var g = new Generator(1);
        Agrees(new Sequential(new Conv1d(2, 4, 3, padding: "same", dilation: 2, paddingMode: PaddingMode.Reflect, generator: g),
                              new Conv1d(4, 4, 4, stride: 2, padding: 1, groups: 2, generator: g),
                              new ConvTranspose1d(4, 3, 5, stride: 3, padding: 2, outputPadding: 1, generator: g),
                              new ConvTranspose1d(3, 2, 4, stride: 2, padding: Padding1d.Same, generator: g),
                              new ConvTranspose1d(2, 2, 1, stride: 3, padding: Padding1d.Valid, generator: g)), [2, 2, 17]);
    }

    [Fact]
    public void Conv3dAndConvTranspose3d_ExportAndRunInOnnxRuntime()
    {
        var g = new Generator(2);
        Agrees(new Sequential(new Conv3d(2, 4, (3, 2, 3), padding: "same", paddingMode: PaddingMode.Replicate, generator: g),
                              new Conv3d(4, 4, 3, stride: (1, 2, 2), padding: (1, 0, 1), dilation: (2, 1, 1), groups: 2, generator: g),
                              new ConvTranspose3d(4, 3, 4, stride: 2, padding: 1, generator: g),
                              new ConvTranspose3d(3, 2, (3, 2, 3), stride: (2, 3, 1), padding: (1, 0, 1), outputPadding: (1, 2, 0), generator: g),
                              new ConvTranspose3d(2, 2, 3, stride: 2, padding: Padding3d.Same, generator: g)), [2, 2, 6, 7, 8]);
    }

    [Fact]
    public void Conv2d_SameWithEvenKernel_ExportsUnevenPads()
    {
        var model = new Sequential(new Conv2d(1, 2, (2, 4), padding: Padding2d.Same, generator: new Generator(3)));
        Agrees(model, [1, 1, 5, 6]);
    }
}
