using MiniTorch.Nn;

namespace MiniTorch.Tests.Teaching;

/// <summary>The "known differences" that docs/pytorch-mapping.md states, checked.</summary>
public class MappingClaimsTests
{
    [Fact]
    public void KerasSame_KernelMinusStrideOdd_IsPyTorchPaddingShiftedByOnePixel()
    {
        // k = 3, s = 2: Keras crops k − s = 1 in total, all of it at the end; PyTorch's padding = 1,
        // output_padding = 1 has the same size i·s but crops one at the start instead.
        var x = Torch.Randn([1, 1, 4, 4], new Generator(3), DType.Float64);
        var w = Torch.Randn([1, 1, 3, 3], new Generator(4), DType.Float64);
        var same = F.ConvTranspose2d(x, w, stride: 2, padding: Padding2d.Same);
        var torch = F.ConvTranspose2d(x, w, stride: 2, padding: 1, outputPadding: 1);
        Assert.Equal(new[] { 1, 1, 8, 8 }, same.Shape);
        Assert.Equal(same.Shape, torch.Shape);
        TransposedCase.AssertClose(same.Narrow(2, 1, 7).Narrow(3, 1, 7), torch.Narrow(2, 0, 7).Narrow(3, 0, 7), "shifted by one");
        Assert.NotEqual(same.ToDoubleArray(), torch.ToDoubleArray());
        // k − s even (k = 4, s = 2): 'same' is plain padding (k − s)/2.
        var w4 = Torch.Randn([1, 1, 4, 4], new Generator(5), DType.Float64);
        TransposedCase.AssertClose(F.ConvTranspose2d(x, w4, stride: 2, padding: 1), F.ConvTranspose2d(x, w4, stride: 2, padding: Padding2d.Same), "even");
    }

    [Fact]
    public void NearestAndNearestExact_AgreeForIntegerUpsampling_DifferWhenDownsampling()
    {
        var x = Torch.Arange(0, 16, 1, DType.Float64).View(1, 1, 4, 4);
        foreach (int factor in new[] { 2, 3 })
            Assert.Equal(F.Interpolate(x, scaleFactor: factor).ToDoubleArray(),
                         F.Interpolate(x, scaleFactor: factor, mode: InterpolationMode.NearestExact).ToDoubleArray());
        Assert.Equal(new double[] { 0, 2, 8, 10 }, F.Interpolate(x, size: 2).ToDoubleArray());
        Assert.Equal(new double[] { 5, 7, 13, 15 }, F.Interpolate(x, size: 2, mode: InterpolationMode.NearestExact).ToDoubleArray());
    }
}
