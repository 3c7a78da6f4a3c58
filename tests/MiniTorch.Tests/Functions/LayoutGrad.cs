using MiniTorch.Autograd;

namespace MiniTorch.Tests.Functions;

/// <summary>
/// Deterministic gradient checks on three layouts of the same values: contiguous, permuted (a
/// reversed-dimension view) and strided (every other element of a wider leaf). GradCheck
/// perturbs the contiguous leaves and the checked function takes the views, so every op is also
/// checked on non-contiguous operands.
/// </summary>
internal static class LayoutGrad
{
    public enum Layout { Contiguous, Permuted, Strided }

    /// <summary>A leaf holding <paramref name="value"/> (float64) and the view that turns it back into <paramref name="value"/>'s shape in <paramref name="layout"/>.</summary>
    public static (Tensor Leaf, Func<Tensor, Tensor> View) Make(Tensor value, Layout layout)
    {
        var v = value.Detach().To(DType.Float64).Contiguous();
        int rank = v.Dim;
        if (layout == Layout.Permuted && rank >= 2)
        {
            var reverse = Enumerable.Range(0, rank).Reverse().ToArray();
            return (v.Permute(reverse).Contiguous().RequiresGrad_(), x => x.Permute(reverse));
        }
        if (layout == Layout.Strided && rank >= 1)
        {
            var wide = v.Shape;
            wide[^1] *= 2;
            // Odd positions hold junk that the view skips.
            var leaf = Torch.Full(wide, 1e3, DType.Float64);
            var data = v.ToDoubleArray();
            var w = leaf.ToDoubleArray();
            int inner = v.ShapeRef[^1];
            for (int i = 0; i < data.Length; i++) w[(i / inner) * 2 * inner + 2 * (i % inner)] = data[i];
            return (Torch.FromArray(w, wide).RequiresGrad_(), x => x.Slice(-1, step: 2));
        }
        return (v.Clone().Detach().RequiresGrad_(), x => x);
    }

    /// <summary>
    /// GradCheck (and, with <paramref name="gradGrad"/>, GradGradCheck) of <paramref name="f"/> at
    /// <paramref name="values"/>, in each layout.
    /// </summary>
    public static void Check(Func<Tensor[], Tensor> f, bool gradGrad, params Tensor[] values)
    {
        foreach (var layout in Enum.GetValues<Layout>())
        {
            var made = values.Select(v => Make(v, layout)).ToArray();
            Tensor F(Tensor[] leaves) => f(leaves.Select((l, i) => made[i].View(l)).ToArray());
            var leaves = made.Select(m => m.Leaf).ToArray();
            Assert.True(GradCheck.Check(F, leaves), $"gradcheck ({layout})");
            if (gradGrad) Assert.True(GradCheck.GradGradCheck(F, made.Select(m => m.Leaf).ToArray()), $"gradgradcheck ({layout})");
        }
    }
}
