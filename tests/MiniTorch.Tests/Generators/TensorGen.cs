using FsCheck;
using FsCheck.Fluent;

namespace MiniTorch.Tests.Generators;

/// <summary>How a test tensor is laid out over its contiguous leaf.</summary>
public enum Layout { Contiguous, Permuted, SlicedWithStep, Expanded }

/// <summary>
/// A float64 test tensor of a target shape, made as a view of a contiguous leaf: contiguous,
/// permuted, sliced with a step, or expanded from a size-1 dimension. Gradient checks perturb the
/// leaf (GradCheck needs contiguous inputs) and apply <see cref="View"/> inside the checked
/// function, so every op is also checked on non-contiguous operands.
/// </summary>
public sealed record TensorCase(int[] Shape, Layout Layout, int[] LeafShape, double[] Data, Func<Tensor, Tensor> View)
{
    /// <summary>A fresh leaf (float64, requires grad) holding <see cref="Data"/>.</summary>
    public Tensor Leaf() => Torch.FromArray(Data, LeafShape).RequiresGrad_();

    /// <summary>The view of a fresh leaf without gradient tracking.</summary>
    public Tensor Value() => View(Torch.FromArray(Data, LeafShape));

    /// <inheritdoc />
    public override string ToString() =>
        $"{Layout} {MiniTorch.Shape.Format(Shape)} from leaf {MiniTorch.Shape.Format(LeafShape)} [{string.Join(", ", Data.Select(v => v.ToString("R")))}]";
}

/// <summary>FsCheck generators for shapes, broadcastable shape pairs and tensors.</summary>
public static class TensorGen
{
    /// <summary>Shapes of rank 0–<paramref name="maxRank"/>, sizes 1–<paramref name="maxSize"/>, at most <paramref name="maxNumel"/> elements.</summary>
    public static Gen<int[]> Shape(int maxRank = 4, int maxSize = 3, int maxNumel = 12, int minRank = 0) =>
        Gen.Choose(minRank, maxRank)
           .SelectMany(rank => Gen.ArrayOf(Gen.Choose(1, maxSize), rank))
           .Where(s => MiniTorch.Shape.Numel(s) <= maxNumel);

    /// <summary>Two shapes that broadcast: each is a suffix of the result with some sizes set to 1.</summary>
    public static Gen<(int[] A, int[] B)> BroadcastablePair(int maxRank = 3, int maxNumel = 12) =>
        Shape(maxRank, 3, maxNumel).SelectMany(result => Gen.Zip(Operand(result), Operand(result)));

    private static Gen<int[]> Operand(int[] result) =>
        Gen.Choose(0, result.Length).SelectMany(rank =>
            Gen.ArrayOf(Gen.Elements(true, false, false), rank)
               .Select(ones => result[(result.Length - rank)..].Select((s, i) => ones[i] ? 1 : s).ToArray()));

    /// <summary>Values drawn from ±[<paramref name="minAbs"/>, <paramref name="maxAbs"/>] (only positive when <paramref name="positive"/>).</summary>
    public static Gen<double> Value(double minAbs = 0.1, double maxAbs = 2.0, bool positive = false) =>
        Gen.Zip(Gen.Choose(0, 1_000_000), Gen.Elements(1.0, positive ? 1.0 : -1.0))
           .Select(p => p.Item2 * (minAbs + (maxAbs - minAbs) * p.Item1 / 1_000_000.0));

    /// <summary>Distinct values (spaced 0.25 apart, shuffled), so that max has a unique, differentiable argmax.</summary>
    public static Gen<double[]> Distinct(int n) =>
        Gen.Shuffle(Enumerable.Range(0, n).ToArray()).Select(p => p.Select(k => (k - n / 2) * 0.25 + 0.0625).ToArray());

    /// <summary>A tensor of <paramref name="shape"/> in one of the layouts, with values from <paramref name="values"/>.</summary>
    public static Gen<TensorCase> Tensor(int[] shape, Gen<double>? values = null, bool allowExpand = true) =>
        Gen.Elements(allowExpand ? Enum.GetValues<Layout>() : [Layout.Contiguous, Layout.Permuted, Layout.SlicedWithStep])
           .SelectMany(layout => LayoutOf(shape, layout))
           .SelectMany(l => Gen.ArrayOf(values ?? Value(), MiniTorch.Shape.Numel(l.Leaf))
                               .Select(data => new TensorCase(shape, l.Layout, l.Leaf, data, l.View)));

    /// <summary>Like <see cref="Tensor(int[], Gen{double}?, bool)"/> but with distinct values (no expanded layout).</summary>
    public static Gen<TensorCase> DistinctTensor(int[] shape) =>
        Gen.Elements(Layout.Contiguous, Layout.Permuted, Layout.SlicedWithStep)
           .SelectMany(layout => LayoutOf(shape, layout))
           .SelectMany(l => Distinct(MiniTorch.Shape.Numel(l.Leaf)).Select(data => new TensorCase(shape, l.Layout, l.Leaf, data, l.View)));

    /// <summary>A random shape and a tensor of it.</summary>
    public static Gen<TensorCase> AnyTensor(int maxRank = 4, int maxNumel = 12, Gen<double>? values = null) =>
        Shape(maxRank, 3, maxNumel).SelectMany(s => Tensor(s, values));

    private static Gen<(Layout Layout, int[] Leaf, Func<Tensor, Tensor> View)> LayoutOf(int[] shape, Layout layout)
    {
        int rank = shape.Length;
        switch (layout)
        {
            case Layout.Permuted when rank >= 2:
                return Gen.Shuffle(Enumerable.Range(0, rank).ToArray()).Select(perm =>
                {
                    // Permuting the leaf by perm must give shape: leaf[perm[i]] = shape[i].
                    var inverse = new int[rank];
                    for (int i = 0; i < rank; i++) inverse[perm[i]] = i;
                    var leaf = inverse.Select(i => shape[i]).ToArray();
                    return (layout, leaf, (Func<Tensor, Tensor>)(t => t.Permute(perm)));
                });
            case Layout.SlicedWithStep when rank >= 1:
                return Gen.Zip(Gen.Choose(0, rank - 1), Gen.Zip(Gen.Choose(2, 3), Gen.Choose(0, 1))).Select(p =>
                {
                    var (dim, (step, start)) = p;
                    var leaf = (int[])shape.Clone();
                    leaf[dim] = start + (shape[dim] - 1) * step + 1;
                    return (layout, leaf, (Func<Tensor, Tensor>)(t => t.Slice(dim, start, null, step)));
                });
            case Layout.Expanded when shape.Any(s => s > 1):
                return Gen.Elements(Enumerable.Range(0, rank).Where(i => shape[i] > 1).ToArray()).Select(dim =>
                {
                    var leaf = (int[])shape.Clone();
                    leaf[dim] = 1;
                    return (layout, leaf, (Func<Tensor, Tensor>)(t => t.Expand(shape)));
                });
            default:
                return Gen.Constant((Layout.Contiguous, (int[])shape.Clone(), (Func<Tensor, Tensor>)(t => t)));
        }
    }

    /// <summary>Three generators zipped into a triple.</summary>
    public static Gen<(TA, TB, TC)> Zip3<TA, TB, TC>(Gen<TA> a, Gen<TB> b, Gen<TC> c) =>
        Gen.Zip(a, Gen.Zip(b, c), (x, yz) => (x, yz.Item1, yz.Item2));

    /// <summary>
    /// The property that <paramref name="body"/> holds (does not throw) for every value of
    /// <paramref name="gen"/>, for a <c>[Property(MaxTest = …)]</c> method whose cases are built from
    /// other values (dependent shapes, dims, exponents); a case of one type takes a parameter instead.
    /// </summary>
    public static Property ForAll<T>(Gen<T> gen, Action<T> body) => Prop.ForAll(gen.ToArbitrary(), body);
}
