using MiniTorch.Autograd;

namespace MiniTorch.Functions;

/// <summary>The values of <c>src</c> broadcast to the shape of <c>self</c>: what <c>self.copy_(src)</c> writes.</summary>
/// <remarks>
/// y = expand(src); ∂/∂self = 0 (the old values are overwritten), ∂/∂src = g summed back over the
/// broadcast dimensions. src has self's dtype already (the in-place path converts it, recorded).
/// </remarks>
internal sealed class CopyBackwards : Function
{
    private int[] _src = [];
    public override string Name => "CopyBackwards";
    internal override string MessageName => "torch::autograd::CopyBackwards";

    public static Tensor Apply(Tensor self, Tensor src)
    {
        var shape = Shape.Broadcast(self.ShapeRef, src.ShapeRef);
        if (!Shape.Equal(shape, self.ShapeRef))
            throw new ArgumentException($"output with shape {Shape.Format(self.ShapeRef)} doesn't match the broadcast shape {Shape.Format(shape)}");
        var y = Map.Copy(src.ExpandView(self.ShapeRef));
        return new CopyBackwards { _src = src.ShapeRef }.Record(y, self, src);
    }

    protected internal override Tensor?[] Backward(Tensor g) =>
        [NeedsGrad(0) ? Torch.ZerosLike(g) : null, NeedsGrad(1) ? g.SumTo(_src) : null];
}
