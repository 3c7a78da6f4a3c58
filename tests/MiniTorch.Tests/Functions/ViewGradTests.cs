using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Tests.Generators;

namespace MiniTorch.Tests.Functions;

/// <summary>Gradients and second derivatives of views, copies, Cat and Stack (multiplied by a
/// second tensor so that the second derivative is not identically zero).</summary>
public class ViewGradTests
{
    private static Gen<TensorCase> Ranked(int minRank) => TensorGen.Shape(minRank: minRank).SelectMany(s => TensorGen.Tensor(s));

    /// <summary>Checks op(x) · w for a random w of the op's output shape.</summary>
    private static void Check(TensorCase a, Func<Tensor, Tensor> op)
    {
        var shape = op(a.Value()).Shape;
        var w = new TensorCase(shape, Layout.Contiguous, shape, Enumerable.Range(0, MiniTorch.Shape.Numel(shape)).Select(i => 0.5 + 0.1 * i).ToArray(), t => t);
        GradAssert.Both(x => op(x[0]) * x[1], a, w);
    }

    [Property(MaxTest = 20)]
    public void ViewReshapeContiguousClone_PassGradCheckAndGradGradCheck(TensorCase a)
    {
        Check(a, x => x.Reshape(-1));
        Check(a, x => x.Contiguous().View(-1));
        Check(a, x => x.Reshape(1, -1));
        Check(a, x => x.Contiguous());
        Check(a, x => x.Clone());
    }

    [Property(MaxTest = 20)]
    public Property PermuteTransposeFlip_PassGradCheckAndGradGradCheck() =>
        TensorGen.ForAll(Ranked(1).SelectMany(a => TensorGen.Zip3(Gen.Constant(a), Gen.Shuffle(Enumerable.Range(0, a.Shape.Length).ToArray()),
                                                           ReductionGradTests.DimsOf(a.Shape.Length))), p =>
        {
            var (a, perm, dims) = p;
            Check(a, x => x.Permute(perm));
            Check(a, x => x.Transpose(0, -1));
            Check(a, x => x.Flip(dims));
        });

    [Property(MaxTest = 20, Arbitrary = [typeof(TensorArbitraries.UpToRank3)])]
    public void UnsqueezeSqueezeExpand_PassGradCheckAndGradGradCheck(TensorCase a)
    {
        int r = a.Shape.Length;
        Check(a, x => x.Unsqueeze(0));
        Check(a, x => x.Unsqueeze(-1));
        Check(a, x => x.Unsqueeze(r / 2).Squeeze(r / 2));
        Check(a, x => x.Unsqueeze(0).Squeeze());
        Check(a, x => x.Unsqueeze(0).Expand([2, .. a.Shape]));
        Check(a, x => x.Expand([2, .. a.Shape]));
    }

    [Property(MaxTest = 25)]
    public Property NarrowSliceIndex_PassGradCheckAndGradGradCheck() =>
        TensorGen.ForAll(Ranked(1).SelectMany(a => TensorGen.Zip3(Gen.Constant(a), Gen.Choose(0, a.Shape.Length - 1), Gen.Choose(1, 3))), p =>
        {
            var (a, dim, step) = p;
            int size = a.Shape[dim];
            Check(a, x => x.Narrow(dim, size - 1, 1));
            Check(a, x => x.Narrow(dim, 0, size));
            Check(a, x => x.Slice(dim, 0, null, step));
            Check(a, x => x.Slice(dim, -1));
            Check(a, x => x[a.Shape[0] - 1]);
            Check(a, x => x[0]);
        });

    [Property(MaxTest = 20)]
    public Property CatStack_PassGradCheckAndGradGradCheck() =>
        TensorGen.ForAll(TensorGen.Shape(maxRank: 3, maxNumel: 6, minRank: 1).SelectMany(s =>
            TensorGen.Zip3(Gen.Choose(0, s.Length - 1), Gen.Zip(TensorGen.Tensor(s), TensorGen.Tensor(s)), Gen.Choose(1, 2))
               .SelectMany(p =>
               {
                   var (dim, (a, b), extra) = p;
                   var other = (int[])s.Clone();
                   other[dim] = extra;
                   return TensorGen.Tensor(other).Select(c => (dim, a, b, c));
               })), p =>
        {
            GradAssert.Both(x => Torch.Cat([x[0], x[1], x[2]], p.dim) * Torch.Cat([x[1], x[0], x[2]], p.dim), p.a, p.b, p.c);
            GradAssert.Both(x => Torch.Stack([x[0], x[1]], p.dim) * Torch.Stack([x[1], x[0]], p.dim), p.a, p.b);
        });

    [Fact]
    public void ToDType_GradientComesBackInTheInputDType()
    {
        var x = Torch.FromArray([1.5, -2.0, 0.25], 3).RequiresGrad_();
        var y = x.To(DType.Float32);
        Assert.Equal("ToCopyBackward0", y.GradFn!.Name);
        (y * y).Sum().Backward();
        Assert.Equal(DType.Float64, x.Grad!.DType);
        Assert.Equal(new[] { 3.0, -4.0, 0.5 }, x.Grad.ToDoubleArray());
        Assert.Same(x, x.To(DType.Float64));
    }

    [Fact]
    public void ToDType_SecondOrderThroughConversion_IsExact()
    {
        var x = Torch.FromArray([1.5f, -2f], 2).RequiresGrad_();
        var g = Torch.Grad((x.To(DType.Float64).Pow(3.0)).Sum(), x, createGraph: true);
        Assert.Equal(DType.Float32, g.DType);
        Assert.Equal(new[] { 6.75f, 12f }, g.ToArray());
        var gg = Torch.Grad(g.Sum(), x);
        Assert.Equal(new[] { 9f, -12f }, gg.ToArray());
    }
}
