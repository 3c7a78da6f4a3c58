using MiniTorch.Functions;

namespace MiniTorch;

public sealed partial class Tensor
{
    private enum Arith { Add, Sub, Mul, Div }

    /// <summary>
    /// a op b with PyTorch's type promotion: the operands meet in their common type (float32 with
    /// float64 is float64, integers with floats are floats), true division of integers is float32,
    /// and on bools + is "or" and · is "and".
    /// </summary>
    private static Tensor Arithmetic(Tensor a, Tensor b, Arith op)
    {
        if (op == Arith.Sub && (a.DType == DType.Bool || b.DType == DType.Bool))
            throw new ArgumentException(a.DType == b.DType
                ? "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead."
                : "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        var dt = DTypes.ResultType(a, b);
        if (op == Arith.Div && !dt.IsFloatingPoint()) dt = DType.Float32;
        (a, b) = (a.To(dt), b.To(dt));
        switch (dt)
        {
            case DType.Int64:
                return IntegerOps.Binary(a, b, op switch { Arith.Add => Kernels.IntegerOp.Add, Arith.Sub => Kernels.IntegerOp.Sub, _ => Kernels.IntegerOp.Mul });
            case DType.Bool:
                return IntegerOps.Binary(a, b, op == Arith.Add ? Kernels.IntegerOp.BitOr : Kernels.IntegerOp.BitAnd);
            default:
                return op switch
                {
                    Arith.Add => AddBackward0.Apply(a, b),
                    Arith.Sub => SubBackward0.Apply(a, b),
                    Arith.Mul => MulBackward0.Apply(a, b),
                    _ => DivBackward0.Apply(a, b),
                };
        }
    }

    /// <summary>A number as a 0-d tensor of the type it takes next to this tensor (PyTorch's scalar promotion).</summary>
    private Tensor Scalar(double value, bool integral = false) => Torch.Scalar(value, DTypes.PromoteWithScalar(DType, integral));

    /// <summary>Element-wise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Arithmetic(a, b, Arith.Add);
    }
    /// <summary>Adds a number.</summary>
    public static Tensor operator +(Tensor a, double b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return Arithmetic(a, a.Scalar(b), Arith.Add);
    }
    /// <summary>Adds a number.</summary>
    public static Tensor operator +(double a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return Arithmetic(b.Scalar(a), b, Arith.Add);
    }
    /// <summary>Adds an integer (an int64 tensor stays int64).</summary>
    public static Tensor operator +(Tensor a, long b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return Arithmetic(a, a.Scalar(b, true), Arith.Add);
    }
    /// <summary>Adds an integer (an int64 tensor stays int64).</summary>
    public static Tensor operator +(long a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return Arithmetic(b.Scalar(a, true), b, Arith.Add);
    }
    /// <summary>Element-wise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Arithmetic(a, b, Arith.Sub);
    }
    /// <summary>Subtracts a number.</summary>
    public static Tensor operator -(Tensor a, double b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return Arithmetic(a, a.Scalar(b), Arith.Sub);
    }
    /// <summary>A number minus a tensor.</summary>
    public static Tensor operator -(double a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return Arithmetic(b.Scalar(a), b, Arith.Sub);
    }
    /// <summary>Subtracts an integer.</summary>
    public static Tensor operator -(Tensor a, long b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return Arithmetic(a, a.Scalar(b, true), Arith.Sub);
    }
    /// <summary>An integer minus a tensor.</summary>
    public static Tensor operator -(long a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return Arithmetic(b.Scalar(a, true), b, Arith.Sub);
    }
    /// <summary>Element-wise product with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Arithmetic(a, b, Arith.Mul);
    }
    /// <summary>Multiplies by a number.</summary>
    public static Tensor operator *(Tensor a, double b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return Arithmetic(a, a.Scalar(b), Arith.Mul);
    }
    /// <summary>Multiplies by a number.</summary>
    public static Tensor operator *(double a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return Arithmetic(b.Scalar(a), b, Arith.Mul);
    }
    /// <summary>Multiplies by an integer.</summary>
    public static Tensor operator *(Tensor a, long b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return Arithmetic(a, a.Scalar(b, true), Arith.Mul);
    }
    /// <summary>Multiplies by an integer.</summary>
    public static Tensor operator *(long a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return Arithmetic(b.Scalar(a, true), b, Arith.Mul);
    }
    /// <summary>Element-wise true quotient with broadcasting (integers divide to float32, as in PyTorch).</summary>
    public static Tensor operator /(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Arithmetic(a, b, Arith.Div);
    }
    /// <summary>Divides by a number.</summary>
    public static Tensor operator /(Tensor a, double b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return Arithmetic(a, a.Scalar(b), Arith.Div);
    }
    /// <summary>A number divided by a tensor.</summary>
    public static Tensor operator /(double a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return Arithmetic(b.Scalar(a), b, Arith.Div);
    }
    /// <summary>Divides by an integer.</summary>
    public static Tensor operator /(Tensor a, long b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return Arithmetic(a, a.Scalar(b, true), Arith.Div);
    }
    /// <summary>An integer divided by a tensor.</summary>
    public static Tensor operator /(long a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return Arithmetic(b.Scalar(a, true), b, Arith.Div);
    }
    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.DType switch
        {
            DType.Bool => throw new ArgumentException("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."),
            DType.Int64 => IntegerOps.Unary(a, abs: false),
            _ => NegBackward0.Apply(a),
        };
    }

    /// <summary>
    /// x raised to a floating-point number: an int64 or bool tensor is first converted to float32, as
    /// <c>x_long ** 2.0</c> in PyTorch (use <see cref="Pow(long)"/> to stay in integers).
    /// </summary>
    public Tensor Pow(double exponent) => DType.IsFloatingPoint() ? PowBackward0.Apply(this, exponent) : FloatOrDefault().Pow(exponent);

    /// <summary>x raised to an integer, like <c>x ** 2</c>: an int64 tensor stays int64 (a bool one becomes int64), a floating one keeps its type.</summary>
    public Tensor Pow(long exponent) => DType.IsFloatingPoint() ? PowBackward0.Apply(this, exponent) : Pow(Scalar(exponent, true));

    /// <summary>x raised to a tensor power, with broadcasting.</summary>
    public Tensor Pow(Tensor exponent)
    {
        ArgumentNullException.ThrowIfNull(exponent);
        var dt = DTypes.ResultType(this, exponent);
        if (dt == DType.Bool) throw DTypes.NotImplemented("pow", dt);
        var (a, b) = (To(dt), exponent.To(dt));
        return dt == DType.Int64 ? IntegerOps.Binary(a, b, Kernels.IntegerOp.Pow) : PowBackward1.Apply(a, b, integralBase: !DType.IsFloatingPoint());
    }

    private Tensor FloatOrDefault() => DTypes.FloatOrDefault(this);

    /// <summary>eˣ element-wise (integers are first converted to float32, as in PyTorch).</summary>
    public Tensor Exp() => ExpBackward0.Apply(FloatOrDefault());
    /// <summary>Natural logarithm element-wise (integers are first converted to float32).</summary>
    public Tensor Log() => LogBackward0.Apply(FloatOrDefault());
    /// <summary>Square root element-wise (integers are first converted to float32).</summary>
    public Tensor Sqrt() => SqrtBackward0.Apply(FloatOrDefault());
    /// <summary>Absolute value element-wise (int64 stays int64).</summary>
    public Tensor Abs() => DType == DType.Int64 ? IntegerOps.Unary(this, abs: true) : AbsBackward0.Apply(this.RequireFloat("abs"));
    /// <summary>Hyperbolic tangent element-wise (integers are first converted to float32).</summary>
    public Tensor Tanh() => TanhBackward0.Apply(FloatOrDefault());
    /// <summary>Logistic sigmoid element-wise (integers are first converted to float32).</summary>
    public Tensor Sigmoid() => SigmoidBackward0.Apply(FloatOrDefault());
    /// <summary>max(x, 0) element-wise (int64 stays int64).</summary>
    public Tensor Relu() => DType == DType.Int64 ? Maximum(Torch.Scalar(0, DType.Int64)) : ReluBackward0.Apply(this.RequireFloat("relu"));

    /// <summary>
    /// Clamps into [min, max]; either bound may be omitted. Floating-point bounds are Python floats: an
    /// int64 or bool tensor's result is float32, as <c>torch.clamp(x_long, 0.0, 1.0)</c>.
    /// </summary>
    public Tensor Clamp(double? min = null, double? max = null)
    {
        if (!DType.IsFloatingPoint())
        {
            if (min is null && max is null) throw new ArgumentException("At least one of 'min' or 'max' must not be None");
            return ClampBackward0.Apply(this, min is { } lo ? Scalar(lo) : null, max is { } hi ? Scalar(hi) : null);
        }
        return ClampBackward1.Apply(this, min, max);
    }

    /// <summary>
    /// Clamps into [min, max] with integer bounds, like <c>torch.clamp(x, 0, 5)</c>: an int64 tensor
    /// stays int64 (a bool one becomes int64), a floating one keeps its type.
    /// </summary>
    public Tensor Clamp(long? min = null, long? max = null)
    {
        if (DType.IsFloatingPoint()) return Clamp((double?)min, (double?)max);
        if (min is null && max is null) throw new ArgumentException("At least one of 'min' or 'max' must not be None");
        return ClampBackward0.Apply(this, min is { } lo ? Scalar(lo, true) : null, max is { } hi ? Scalar(hi, true) : null);
    }

    /// <summary>
    /// Clamps into [min, max] with tensor bounds that broadcast against the input, like
    /// <c>torch.clamp(input, min=Tensor, max=Tensor)</c>; either bound may be null. Where min &gt; max
    /// the result is max, as in PyTorch.
    /// </summary>
    public Tensor Clamp(Tensor? min, Tensor? max = null) => ClampBackward0.Apply(this, min, max);

    /// <summary>The element-wise maximum with broadcasting, like <c>torch.maximum</c> (ties split the gradient evenly).</summary>
    public Tensor Maximum(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return MaximumBackward0.Apply(this, other, max: true);
    }

    /// <summary>The element-wise minimum with broadcasting, like <c>torch.minimum</c> (ties split the gradient evenly).</summary>
    public Tensor Minimum(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return MaximumBackward0.Apply(this, other, max: false);
    }

    /// <summary>The sum of all elements (a 0-dimensional tensor; int64 for integer and bool tensors).</summary>
    public Tensor Sum() => SumOver(null, false);
    /// <summary>The sum over <paramref name="dims"/>.</summary>
    public Tensor Sum(int[] dims, bool keepdim = false)
    {
        ArgumentNullException.ThrowIfNull(dims);
        return SumOver(dims, keepdim);
    }
    /// <summary>The sum over one dimension.</summary>
    public Tensor Sum(int dim, bool keepdim = false) => SumOver([dim], keepdim);
    private Tensor SumOver(int[]? dims, bool keepdim) => DType.IsFloatingPoint() ? SumBackward.Apply(this, dims, keepdim) : IntegerOps.Sum(this, dims, keepdim);
    /// <summary>The mean of all elements.</summary>
    public Tensor Mean() => MeanBackward.Apply(MeanInput(), null, false);
    /// <summary>The mean over <paramref name="dims"/>.</summary>
    public Tensor Mean(int[] dims, bool keepdim = false)
    {
        ArgumentNullException.ThrowIfNull(dims);
        return MeanBackward.Apply(MeanInput(), dims, keepdim);
    }
    /// <summary>The mean over one dimension.</summary>
    public Tensor Mean(int dim, bool keepdim = false) => MeanBackward.Apply(MeanInput(), [dim], keepdim);
    private Tensor MeanInput() => DType.IsFloatingPoint() ? this
        : throw new ArgumentException($"mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {DType.ScalarTypeName()}");
    /// <summary>The largest element (ties share the gradient evenly).</summary>
    public Tensor Max() => MaxBackward1.Apply(this);
    /// <summary>The largest values along <paramref name="dim"/> and the index of the first maximum.</summary>
    public (Tensor Values, int[] Indices) Max(int dim, bool keepdim = false) => MaxDim.Apply(this, dim, keepdim);

    /// <summary>Matrix product (2-D, or batched with broadcasting; 1-D operands are treated as vectors).</summary>
    public Tensor MatMul(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var dt = DTypes.Promote(DType, other.DType);
        return MatMulBackward.Apply(To(dt).RequireFloat("addmm_impl_cpu_"), other.To(dt));
    }

    /// <summary>Sums a broadcast gradient back to <paramref name="shape"/> (the adjoint of broadcasting).</summary>
    internal Tensor SumTo(int[] shape)
    {
        if (MiniTorch.Shape.Equal(_shape, shape)) return this;
        int lead = Dim - shape.Length;
        var dims = new List<int>();
        for (int i = 0; i < Dim; i++)
            if (i < lead || (shape[i - lead] == 1 && _shape[i] != 1)) dims.Add(i);
        var summed = dims.Count == 0 ? this : Sum([.. dims], keepdim: true);
        return summed.Reshape(shape);
    }
}

public sealed partial class Tensor
{
    /// <summary>Softmax along <paramref name="dim"/>, like <c>x.softmax(dim)</c> (<see cref="Nn.F.Softmax"/>).</summary>
    public Tensor Softmax(int dim) => Nn.F.Softmax(this, dim);

    /// <summary>Log-softmax along <paramref name="dim"/>, like <c>x.log_softmax(dim)</c> (<see cref="Nn.F.LogSoftmax"/>).</summary>
    public Tensor LogSoftmax(int dim) => Nn.F.LogSoftmax(this, dim);
}

public static partial class Torch
{
    /// <summary>x·ln y, and 0 where x = 0, like <c>torch.xlogy</c> (broadcast; integers compute in float32).</summary>
    public static Tensor Xlogy(Tensor input, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(other);
        return Functions.XlogyBackward0.Apply(input, other);
    }
}

public sealed partial class Tensor
{
    /// <summary>The error function element-wise, like <c>torch.erf</c> (integers are first converted to float32).</summary>
    public Tensor Erf() => Functions.ErfBackward0.Apply(FloatOrDefault());
}
