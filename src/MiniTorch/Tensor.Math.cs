using MiniTorch.Functions;

namespace MiniTorch;

public sealed partial class Tensor
{
    // Binary operands of different dtypes promote to float64, as in PyTorch.
    private static (Tensor, Tensor) Promote(Tensor a, Tensor b) =>
        a.DType == b.DType ? (a, b) : (a.To(DType.Float64), b.To(DType.Float64));

    private Tensor Scalar(double value) => Torch.Scalar(value, DType);

    /// <summary>Element-wise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) { (a, b) = Promote(a, b); return AddBackward0.Apply(a, b); }
    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(Tensor a, double b) => AddBackward0.Apply(a, a.Scalar(b));
    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(double a, Tensor b) => AddBackward0.Apply(b.Scalar(a), b);
    /// <summary>Element-wise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) { (a, b) = Promote(a, b); return SubBackward0.Apply(a, b); }
    /// <summary>Subtracts a scalar.</summary>
    public static Tensor operator -(Tensor a, double b) => SubBackward0.Apply(a, a.Scalar(b));
    /// <summary>A scalar minus a tensor.</summary>
    public static Tensor operator -(double a, Tensor b) => SubBackward0.Apply(b.Scalar(a), b);
    /// <summary>Element-wise product with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) { (a, b) = Promote(a, b); return MulBackward0.Apply(a, b); }
    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(Tensor a, double b) => MulBackward0.Apply(a, a.Scalar(b));
    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(double a, Tensor b) => MulBackward0.Apply(b.Scalar(a), b);
    /// <summary>Element-wise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) { (a, b) = Promote(a, b); return DivBackward0.Apply(a, b); }
    /// <summary>Divides by a scalar.</summary>
    public static Tensor operator /(Tensor a, double b) => DivBackward0.Apply(a, a.Scalar(b));
    /// <summary>A scalar divided by a tensor.</summary>
    public static Tensor operator /(double a, Tensor b) => DivBackward0.Apply(b.Scalar(a), b);
    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => NegBackward0.Apply(a);

    /// <summary>x raised to a scalar power.</summary>
    public Tensor Pow(double exponent) => PowBackward0.Apply(this, exponent);
    /// <summary>x raised to a tensor power, with broadcasting.</summary>
    public Tensor Pow(Tensor exponent) { var (a, b) = Promote(this, exponent); return PowBackward1.Apply(a, b); }
    /// <summary>eˣ element-wise.</summary>
    public Tensor Exp() => ExpBackward0.Apply(this);
    /// <summary>Natural logarithm element-wise.</summary>
    public Tensor Log() => LogBackward0.Apply(this);
    /// <summary>Square root element-wise.</summary>
    public Tensor Sqrt() => SqrtBackward0.Apply(this);
    /// <summary>Absolute value element-wise.</summary>
    public Tensor Abs() => AbsBackward0.Apply(this);
    /// <summary>Hyperbolic tangent element-wise.</summary>
    public Tensor Tanh() => TanhBackward0.Apply(this);
    /// <summary>Logistic sigmoid element-wise.</summary>
    public Tensor Sigmoid() => SigmoidBackward0.Apply(this);
    /// <summary>max(x, 0) element-wise.</summary>
    public Tensor Relu() => ReluBackward0.Apply(this);
    /// <summary>Clamps into [min, max]; either bound may be omitted.</summary>
    public Tensor Clamp(double? min = null, double? max = null) => ClampBackward1.Apply(this, min, max);

    /// <summary>The sum of all elements (a 0-dimensional tensor).</summary>
    public Tensor Sum() => SumBackward.Apply(this, null, false);
    /// <summary>The sum over <paramref name="dims"/>.</summary>
    public Tensor Sum(int[] dims, bool keepDim = false) => SumBackward.Apply(this, dims, keepDim);
    /// <summary>The sum over one dimension.</summary>
    public Tensor Sum(int dim, bool keepDim = false) => SumBackward.Apply(this, [dim], keepDim);
    /// <summary>The mean of all elements.</summary>
    public Tensor Mean() => MeanBackward.Apply(this, null, false);
    /// <summary>The mean over <paramref name="dims"/>.</summary>
    public Tensor Mean(int[] dims, bool keepDim = false) => MeanBackward.Apply(this, dims, keepDim);
    /// <summary>The mean over one dimension.</summary>
    public Tensor Mean(int dim, bool keepDim = false) => MeanBackward.Apply(this, [dim], keepDim);
    /// <summary>The largest element (ties share the gradient evenly).</summary>
    public Tensor Max() => MaxBackward1.Apply(this);
    /// <summary>The largest values along <paramref name="dim"/> and the index of the first maximum.</summary>
    public (Tensor Values, int[] Indices) Max(int dim, bool keepDim = false) => MaxDim.Apply(this, dim, keepDim);

    /// <summary>Matrix product (2-D, or batched with broadcasting; 1-D operands are treated as vectors).</summary>
    public Tensor MatMul(Tensor other) { var (a, b) = Promote(this, other); return MatMulBackward.Apply(a, b); }

    /// <summary>Sums a broadcast gradient back to <paramref name="shape"/> (the adjoint of broadcasting).</summary>
    internal Tensor SumTo(int[] shape)
    {
        if (MiniTorch.Shape.Equal(_shape, shape)) return this;
        int lead = Dim - shape.Length;
        var dims = new List<int>();
        for (int i = 0; i < Dim; i++)
            if (i < lead || (shape[i - lead] == 1 && _shape[i] != 1)) dims.Add(i);
        var summed = dims.Count == 0 ? this : Sum([.. dims], keepDim: true);
        return summed.Reshape(shape);
    }
}
