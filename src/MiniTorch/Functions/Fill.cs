using MiniTorch.Autograd;

namespace MiniTorch.Functions;

/// <summary>A tensor of <c>self</c>'s shape filled with one value: what <c>fill_</c> and <c>zero_</c> write.</summary>
/// <remarks>y = value everywhere; ∂/∂self = 0.</remarks>
internal sealed class FillBackward : Function
{
    private string _name = "";
    public override string Name => _name;

    public static Tensor Apply(Tensor self, double value, string name) =>
        new FillBackward { _name = name }.Record(Torch.Full(self.ShapeRef, value, self.DType), self);

    protected internal override Tensor?[] Backward(Tensor g) => [Torch.ZerosLike(g)];
}
