using MiniTorch.Autograd;
using MiniTorch.Nn;

namespace MiniTorch.Functions;

/// <summary>Padding (or cropping) of trailing dimensions by index maps: constant, reflect, replicate or circular.</summary>
/// <remarks>y[…, o] = x[…, map(o)] (or the fill value); ∂/∂x = Σ_{o : map(o) = i} g[…, o], <see cref="PadAdjoint"/>.</remarks>
internal sealed class PadBackward : Function
{
    private int[] _inShape = [];
    private int[][] _maps = [];
    private string _name = "";
    public override string Name => _name;

    public static Tensor Apply(Tensor x, int[][] maps, double value, string name)
    {
        int k = maps.Length;
        var inTail = x.ShapeRef[^k..];
        var outShape = x.Shape;
        for (int j = 0; j < k; j++) outShape[x.Dim - k + j] = maps[j].Length;
        var y = Torch.Zeros(outShape, x.DType);
        var xc = x.Detach().Contiguous();
        switch (x.DType)
        {
            case DType.Float32: Kernels.Pad.Gather<float>(xc.Span<float>(), inTail, maps, (float)value, y.Span<float>()); break;
            case DType.Float64: Kernels.Pad.Gather<double>(xc.Span<double>(), inTail, maps, value, y.Span<double>()); break;
            // Integer and bool tensors take the fill value as PyTorch's cast does (1.5 -> 1, non-zero -> true); no gradient.
            case DType.Int64: Kernels.Pad.Gather<long>(xc.Span<long>(), inTail, maps, (long)value, y.Span<long>()); return y;
            default: Kernels.Pad.Gather<bool>(xc.Span<bool>(), inTail, maps, value != 0, y.Span<bool>()); return y;
        }
        return new PadBackward { _inShape = x.ShapeRef, _maps = maps, _name = name }.Record(y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [PadAdjoint.Apply(g, _inShape, _maps, _name)];
}

/// <summary>The adjoint of <see cref="PadBackward"/>: scatter-add back through the index maps.</summary>
/// <remarks>x[…, i] = Σ_{o : map(o) = i} g[…, o]; its own gradient is the zero-filled gather.</remarks>
internal sealed class PadAdjoint : Function
{
    private int[][] _maps = [];
    private string _name = "";
    public override string Name => _name + "Backward0";

    public static Tensor Apply(Tensor g, int[] inShape, int[][] maps, string forwardName)
    {
        var x = Torch.Zeros(inShape, g.DType);
        var inTail = inShape[^maps.Length..];
        var gc = g.Detach().Contiguous();
        if (g.DType == DType.Float32) Kernels.Pad.ScatterAdd<float>(gc.Span<float>(), inTail, maps, x.Span<float>());
        else Kernels.Pad.ScatterAdd<double>(gc.Span<double>(), inTail, maps, x.Span<double>());
        return new PadAdjoint { _maps = maps, _name = forwardName.Replace("Backward0", "") }.Record(x, g);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [PadBackward.Apply(g, _maps, 0, _name + "Backward0")];
}
