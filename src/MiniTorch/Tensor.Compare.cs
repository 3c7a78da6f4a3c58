using MiniTorch.Functions;
using MiniTorch.Kernels;

namespace MiniTorch;

public sealed partial class Tensor
{
    // A number compared with an int64 tensor stays an integer when it is whole, so large values compare exactly.
    private Tensor CompareScalar(double value) => Scalar(value, integral: value == Math.Floor(value) && Math.Abs(value) < 9.2e18);

    /// <summary>a == b element-wise as a bool tensor, like <c>torch.eq</c> (broadcast; NaN is unequal to everything).</summary>
    public Tensor Eq(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return IntegerOps.Compare(this, other, CompareOp.Eq);
    }
    /// <summary>a == b against a number, as a bool tensor.</summary>
    public Tensor Eq(double other) => IntegerOps.Compare(this, CompareScalar(other), CompareOp.Eq);
    /// <summary>a != b element-wise as a bool tensor, like <c>torch.ne</c>.</summary>
    public Tensor Ne(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return IntegerOps.Compare(this, other, CompareOp.Ne);
    }
    /// <summary>a != b against a number, as a bool tensor.</summary>
    public Tensor Ne(double other) => IntegerOps.Compare(this, CompareScalar(other), CompareOp.Ne);
    /// <summary>a &lt; b element-wise as a bool tensor, like <c>torch.lt</c>.</summary>
    public Tensor Lt(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return IntegerOps.Compare(this, other, CompareOp.Lt);
    }
    /// <summary>a &lt; b against a number, as a bool tensor.</summary>
    public Tensor Lt(double other) => IntegerOps.Compare(this, CompareScalar(other), CompareOp.Lt);
    /// <summary>a ≤ b element-wise as a bool tensor, like <c>torch.le</c>.</summary>
    public Tensor Le(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return IntegerOps.Compare(this, other, CompareOp.Le);
    }
    /// <summary>a ≤ b against a number, as a bool tensor.</summary>
    public Tensor Le(double other) => IntegerOps.Compare(this, CompareScalar(other), CompareOp.Le);
    /// <summary>a &gt; b element-wise as a bool tensor, like <c>torch.gt</c>.</summary>
    public Tensor Gt(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return IntegerOps.Compare(this, other, CompareOp.Gt);
    }
    /// <summary>a &gt; b against a number, as a bool tensor.</summary>
    public Tensor Gt(double other) => IntegerOps.Compare(this, CompareScalar(other), CompareOp.Gt);
    /// <summary>a ≥ b element-wise as a bool tensor, like <c>torch.ge</c>.</summary>
    public Tensor Ge(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return IntegerOps.Compare(this, other, CompareOp.Ge);
    }
    /// <summary>a ≥ b against a number, as a bool tensor.</summary>
    public Tensor Ge(double other) => IntegerOps.Compare(this, CompareScalar(other), CompareOp.Ge);

    /// <summary>a &lt; b as a bool tensor (<see cref="Lt(Tensor)"/>).</summary>
    public static Tensor operator <(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Lt(b);
    }
    /// <summary>a &gt; b as a bool tensor (<see cref="Gt(Tensor)"/>).</summary>
    public static Tensor operator >(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Gt(b);
    }
    /// <summary>a ≤ b as a bool tensor (<see cref="Le(Tensor)"/>).</summary>
    public static Tensor operator <=(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Le(b);
    }
    /// <summary>a ≥ b as a bool tensor (<see cref="Ge(Tensor)"/>).</summary>
    public static Tensor operator >=(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Ge(b);
    }
    /// <summary>a &lt; b as a bool tensor.</summary>
    public static Tensor operator <(Tensor a, double b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.Lt(b);
    }
    /// <summary>a &gt; b as a bool tensor.</summary>
    public static Tensor operator >(Tensor a, double b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.Gt(b);
    }
    /// <summary>a ≤ b as a bool tensor.</summary>
    public static Tensor operator <=(Tensor a, double b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.Le(b);
    }
    /// <summary>a ≥ b as a bool tensor.</summary>
    public static Tensor operator >=(Tensor a, double b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.Ge(b);
    }
    /// <summary>a &lt; b as a bool tensor.</summary>
    public static Tensor operator <(double a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return b.Gt(a);
    }
    /// <summary>a &gt; b as a bool tensor.</summary>
    public static Tensor operator >(double a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return b.Lt(a);
    }
    /// <summary>a ≤ b as a bool tensor.</summary>
    public static Tensor operator <=(double a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return b.Ge(a);
    }
    /// <summary>a ≥ b as a bool tensor.</summary>
    public static Tensor operator >=(double a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return b.Le(a);
    }

    /// <summary>Logical not of a bool tensor, bitwise not of an int64 tensor, like PyTorch's <c>~</c>.</summary>
    public static Tensor operator ~(Tensor a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.DType switch
        {
            DType.Bool => IntegerOps.Binary(a, Torch.Scalar(1, DType.Bool), IntegerOp.BitXor),
            DType.Int64 => IntegerOps.Binary(a, Torch.Scalar(-1, DType.Int64), IntegerOp.BitXor),
            _ => throw DTypes.NotImplemented("bitwise_not_cpu", a.DType),
        };
    }
    /// <summary>Element-wise and of two bool (or bitwise and of two int64) tensors, like PyTorch's <c>&amp;</c>.</summary>
    public static Tensor operator &(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Bitwise(a, b, IntegerOp.BitAnd, "bitwise_and_cpu");
    }
    /// <summary>Element-wise or of two bool (or bitwise or of two int64) tensors, like PyTorch's <c>|</c>.</summary>
    public static Tensor operator |(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Bitwise(a, b, IntegerOp.BitOr, "bitwise_or_cpu");
    }
    /// <summary>Element-wise exclusive or of two bool (or int64) tensors, like PyTorch's <c>^</c>.</summary>
    public static Tensor operator ^(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Bitwise(a, b, IntegerOp.BitXor, "bitwise_xor_cpu");
    }

    private static Tensor Bitwise(Tensor a, Tensor b, IntegerOp op, string name)
    {
        var dt = DTypes.ResultType(a, b);
        if (dt.IsFloatingPoint()) throw DTypes.NotImplemented(name, dt);
        return IntegerOps.Binary(a.To(dt), b.To(dt), op);
    }

    /// <summary>Logical not (any dtype: true where the element is zero), like <c>torch.logical_not</c>.</summary>
    public Tensor LogicalNot() => ~To(DType.Bool);
    /// <summary>Logical and (any dtypes, non-zero is true), like <c>torch.logical_and</c>.</summary>
    public Tensor LogicalAnd(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return To(DType.Bool) & other.To(DType.Bool);
    }
    /// <summary>Logical or (any dtypes, non-zero is true), like <c>torch.logical_or</c>.</summary>
    public Tensor LogicalOr(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return To(DType.Bool) | other.To(DType.Bool);
    }
    /// <summary>Logical exclusive or (any dtypes, non-zero is true), like <c>torch.logical_xor</c>.</summary>
    public Tensor LogicalXor(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return To(DType.Bool) ^ other.To(DType.Bool);
    }

    /// <summary>
    /// The index of the first largest element along <paramref name="dim"/> (of the flattened tensor
    /// when null), as an int64 tensor, like <c>torch.argmax</c>; a NaN counts as the largest.
    /// </summary>
    public Tensor Argmax(int? dim = null, bool keepdim = false) => IntegerOps.ArgExtreme(this, dim, keepdim, max: true);

    /// <summary>The index of the first smallest element along <paramref name="dim"/> (flattened when null), as int64, like <c>torch.argmin</c>.</summary>
    public Tensor Argmin(int? dim = null, bool keepdim = false) => IntegerOps.ArgExtreme(this, dim, keepdim, max: false);

    /// <summary><c>condition ? this : other</c> element-wise, like <c>x.where(condition, y)</c>.</summary>
    public Tensor Where(Tensor condition, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(other);
        return WhereBackward0.Apply(condition, this, other);
    }
}

public static partial class Torch
{
    /// <summary>
    /// Elements of <paramref name="input"/> where <paramref name="condition"/> is true and of
    /// <paramref name="other"/> elsewhere, like <c>torch.where</c>; all three broadcast, the
    /// values promote to a common type, and the gradient flows to the chosen side.
    /// </summary>
    public static Tensor Where(Tensor condition, Tensor input, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(other);
        return WhereBackward0.Apply(condition, input, other);
    }

    /// <summary>
    /// <see cref="Where(Tensor, Tensor, Tensor)"/> with a floating-point number for the false side: as a
    /// Python float, it makes an integer or bool tensor's result float32 (<c>torch.where(c, x_long, 0.0)</c>).
    /// </summary>
    public static Tensor Where(Tensor condition, Tensor input, double other)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(input);
        return WhereBackward0.Apply(condition, input, ScalarLike(input, other, integral: false));
    }

    /// <summary><see cref="Where(Tensor, Tensor, Tensor)"/> with a floating-point number for the true side.</summary>
    public static Tensor Where(Tensor condition, double input, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(other);
        return WhereBackward0.Apply(condition, ScalarLike(other, input, integral: false), other);
    }

    /// <summary>
    /// <see cref="Where(Tensor, Tensor, Tensor)"/> with an integer for the false side: an int64 tensor stays
    /// int64, a bool one becomes int64, a floating one keeps its type (<c>torch.where(c, x, 0)</c>).
    /// </summary>
    public static Tensor Where(Tensor condition, Tensor input, long other)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(input);
        return WhereBackward0.Apply(condition, input, ScalarLike(input, other, integral: true));
    }

    /// <summary><see cref="Where(Tensor, Tensor, Tensor)"/> with an integer for the true side.</summary>
    public static Tensor Where(Tensor condition, long input, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(other);
        return WhereBackward0.Apply(condition, ScalarLike(other, input, integral: true), other);
    }

    private static Tensor ScalarLike(Tensor t, double value, bool integral)
    {
        ArgumentNullException.ThrowIfNull(t);
        return Scalar(value, DTypes.PromoteWithScalar(t.DType, integral));
    }

    /// <summary>The element-wise maximum, like <c>torch.maximum</c> (ties split the gradient evenly).</summary>
    public static Tensor Maximum(Tensor input, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(other);
        return input.Maximum(other);
    }

    /// <summary>The element-wise minimum, like <c>torch.minimum</c> (ties split the gradient evenly).</summary>
    public static Tensor Minimum(Tensor input, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(other);
        return input.Minimum(other);
    }

    /// <summary>Clamps with tensor bounds, like <c>torch.clamp(input, min, max)</c>.</summary>
    public static Tensor Clamp(Tensor input, Tensor? min, Tensor? max = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Clamp(min, max);
    }

    /// <summary>Clamps with number bounds, like <c>torch.clamp(input, min, max)</c>.</summary>
    public static Tensor Clamp(Tensor input, double? min = null, double? max = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Clamp(min, max);
    }

    /// <summary><see cref="Tensor.Clamp(long?, long?)"/> as a function, like <c>torch.clamp(input, min, max)</c> with integer bounds.</summary>
    public static Tensor Clamp(Tensor input, long? min = null, long? max = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Clamp(min, max);
    }

    /// <summary>The index of the first maximum, like <c>torch.argmax</c> (int64).</summary>
    public static Tensor Argmax(Tensor input, int? dim = null, bool keepdim = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Argmax(dim, keepdim);
    }

    /// <summary>The index of the first minimum, like <c>torch.argmin</c> (int64).</summary>
    public static Tensor Argmin(Tensor input, int? dim = null, bool keepdim = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Argmin(dim, keepdim);
    }
}
