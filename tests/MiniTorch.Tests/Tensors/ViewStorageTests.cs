using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Tests.Generators;

namespace MiniTorch.Tests.Tensors;

/// <summary>Views share memory with their base: writes through a view land in the base.</summary>
public class ViewStorageTests
{
    /// <summary>
    /// Applies one view op chosen by <paramref name="choice"/> that is valid for <paramref name="t"/>'s
    /// shape, and names it (for the failure message).
    /// </summary>
    private static (Tensor View, string Name) Step(Tensor t, int choice)
    {
        int r = t.Dim, op = choice % 8, p = choice / 8;
        switch (op)
        {
            case 0 when r >= 2:
                // Some permutation that depends on p.
                var perm = Enumerable.Range(0, r).OrderBy(i => (i * 7 + p) % r * 10 + i).ToArray();
                return (t.Permute(perm), $"Permute({string.Join(",", perm)})");
            case 1 when r >= 2: return (t.Transpose(p % r, (p / r) % r), $"Transpose({p % r},{(p / r) % r})");
            case 2 when r >= 1 && t.Size(p % r) > 1:
                int d = p % r, step = 2 + p % 2;
                return (t.Slice(d, 1, null, step), $"Slice({d}, 1, step {step})");
            case 3 when r >= 1 && t.Size(p % r) > 1:
                return (t.Narrow(p % r, 1, t.Size(p % r) - 1), $"Narrow({p % r}, 1, …)");
            case 4 when r >= 1: return (t[p % t.Size(0)], $"[{p % t.Size(0)}]");
            case 5: return (t.Unsqueeze(p % (r + 1)), $"Unsqueeze({p % (r + 1)})");
            case 6: return (t.Squeeze(), "Squeeze()");
            case 7 when t.IsContiguous: return (t.View(-1), "View(-1)");
            default: return (t, "identity");
        }
    }

    [Property(MaxTest = 100)]
    public Property CopyFromThroughViewChain_WritesIntoBase() =>
        TensorGen.ForAll(Gen.Zip(TensorGen.Shape(minRank: 1, maxNumel: 24, maxSize: 4), Gen.ArrayOf(Gen.Choose(0, 1000), 4)), p =>
        {
            var (shape, choices) = p;
            int n = MiniTorch.Shape.Numel(shape);
            // The base holds the index of each element, so a view's values say where it points.
            var @base = Torch.Arange(n, DType.Float64).View(shape);
            var view = @base;
            var names = new List<string>();
            foreach (var c in choices)
            {
                (view, var name) = Step(view, c);
                names.Add(name);
            }
            var where = view.ToDoubleArray().Select(v => (int)v).ToArray();
            var fresh = Enumerable.Range(0, where.Length).Select(i => 1000.0 + i).ToArray();
            view.CopyFrom(Torch.FromArray(fresh, view.Shape));

            Assert.Same(@base.Storage, view.Storage);
            var after = @base.ToDoubleArray();
            var expected = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
            for (int k = 0; k < where.Length; k++) expected[where[k]] = fresh[k];
            Assert.True(expected.SequenceEqual(after), $"views {string.Join(" → ", names)}: base became [{string.Join(", ", after)}]");
        });

    [Fact]
    public void ExpandedView_SharesStorageWithStrideZero()
    {
        var x = Torch.FromArray([1.0, 2.0], 2, 1);
        var e = x.Expand(2, 3);
        Assert.Same(x.Storage, e.Storage);
        Assert.Equal([1, 0], e.Strides);
        x.CopyFrom(Torch.FromArray([5.0, 6.0], 2, 1));
        Assert.Equal(new[] { 5.0, 5, 5, 6, 6, 6 }, e.ToDoubleArray());
    }

    [Fact]
    public void Contiguous_OfContiguousIsSame_OfViewIsCopy()
    {
        var x = Torch.Zeros(2, 3);
        Assert.Same(x, x.Contiguous());
        var t = x.T;
        Assert.False(t.IsContiguous);
        var c = t.Contiguous();
        Assert.NotSame(x.Storage, c.Storage);
        Assert.True(c.IsContiguous);
    }
}
