using MiniTorch.Autograd;
using MiniTorch.Tests.Generators;

namespace MiniTorch.Tests.Functions;

/// <summary>First and second derivatives of an op checked numerically on view-made operands.</summary>
internal static class GradAssert
{
    /// <summary>
    /// GradCheck.Check and GradCheck.GradGradCheck (float64, default tolerances) of
    /// <paramref name="op"/> applied to the views of <paramref name="cases"/>.
    /// </summary>
    public static void Both(Func<Tensor[], Tensor> op, params TensorCase[] cases)
    {
        Tensor F(Tensor[] leaves) => op(leaves.Select((l, i) => cases[i].View(l)).ToArray());
        Assert.True(GradCheck.Check(F, cases.Select(c => c.Leaf()).ToArray()));
        Assert.True(GradCheck.GradGradCheck(F, cases.Select(c => c.Leaf()).ToArray()));
    }
}
