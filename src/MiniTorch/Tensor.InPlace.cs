using MiniTorch.Autograd;
using MiniTorch.Functions;

namespace MiniTorch;

/// <summary>
/// In-place writes. Every one bumps the storage's <see cref="Version"/>, refuses to write into a
/// tensor whose elements share memory (an expanded view), and follows PyTorch's autograd rules: a
/// leaf that requires grad (or a view of one) cannot be written while grad mode is on; otherwise,
/// when something requires grad, the op is recorded and the tensor takes the op as its history
/// (through a view, the viewed tensor takes a <c>CopySlices</c> history).
/// </summary>
public sealed partial class Tensor
{
    /// <summary>
    /// Overwrites this tensor's elements with <paramref name="source"/>'s (same shape, converted to
    /// this dtype), in place and outside the graph, like <c>with torch.no_grad(): t.copy_(src)</c>.
    /// </summary>
    /// <remarks>
    /// The write is counted in <see cref="Version"/>, so a backward that needs this tensor's old
    /// values raises instead of using the new ones. Use <see cref="Copy_"/> for a recorded copy.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    /// <exception cref="InvalidOperationException">This tensor's elements share memory, or overlap
    /// <paramref name="source"/>'s in part.</exception>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!MiniTorch.Shape.Equal(source.ShapeRef, _shape))
            throw new ArgumentException($"copy: expected a tensor of shape {MiniTorch.Shape.Format(_shape)}, got {MiniTorch.Shape.Format(source.ShapeRef)}");
        CheckWritable(source);
        WriteValues(source);
    }

    /// <summary>Copies <paramref name="src"/> (broadcast to this shape, converted to this dtype) into this tensor, like <c>copy_</c>.</summary>
    /// <remarks>Recorded for autograd (grad_fn <c>CopyBackwards</c>): the gradient flows to <paramref name="src"/>, none to the old values.</remarks>
    public Tensor Copy_(Tensor src)
    {
        ArgumentNullException.ThrowIfNull(src);
        return InPlace((old, o) => CopyBackwards.Apply(old, o[0]), [src], anyCast: true);
    }

    /// <summary>Fills this tensor with zeros, like <c>zero_</c> (grad_fn <c>ZeroBackward0</c>).</summary>
    public Tensor Zero_() => InPlace((old, _) => FillBackward.Apply(old, 0, "ZeroBackward0"), constantFill: true);

    /// <summary>Fills this tensor with <paramref name="value"/>, like <c>fill_</c> (grad_fn <c>FillBackward2</c>).</summary>
    public Tensor Fill_(double value) => InPlace((old, _) => FillBackward.Apply(old, value, "FillBackward2"), constantFill: true);

    /// <summary>this += <paramref name="other"/> (broadcast to this shape), like <c>add_</c>.</summary>
    public Tensor Add_(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return InPlace((a, o) => a + o[0], other);
    }
    /// <summary>this += <paramref name="other"/>, like <c>add_</c>.</summary>
    public Tensor Add_(double other) => InPlace((a, _) => a + other);
    /// <summary>this −= <paramref name="other"/> (broadcast to this shape), like <c>sub_</c>.</summary>
    public Tensor Sub_(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return InPlace((a, o) => a - o[0], other);
    }
    /// <summary>this −= <paramref name="other"/>, like <c>sub_</c>.</summary>
    public Tensor Sub_(double other) => InPlace((a, _) => a - other);
    /// <summary>this ·= <paramref name="other"/> (broadcast to this shape), like <c>mul_</c>.</summary>
    public Tensor Mul_(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return InPlace((a, o) => a * o[0], other);
    }
    /// <summary>this ·= <paramref name="other"/>, like <c>mul_</c>.</summary>
    public Tensor Mul_(double other) => InPlace((a, _) => a * other);
    /// <summary>this /= <paramref name="other"/> (broadcast to this shape), like <c>div_</c>.</summary>
    public Tensor Div_(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return InPlace((a, o) => a / o[0], other);
    }
    /// <summary>this /= <paramref name="other"/>, like <c>div_</c>.</summary>
    public Tensor Div_(double other) => InPlace((a, _) => a / other);
    /// <summary>Raises each element to <paramref name="exponent"/> in place, like <c>pow_</c>.</summary>
    public Tensor Pow_(double exponent) => InPlace((a, _) => a.Pow(exponent));
    /// <summary>Clamps into [min, max] in place, like <c>clamp_</c>; either bound may be omitted.</summary>
    public Tensor Clamp_(double? min = null, double? max = null) => InPlace((a, _) => a.Clamp(min, max));
    /// <summary>Negates in place, like <c>neg_</c>.</summary>
    public Tensor Neg_() => InPlace((a, _) => -a);
    /// <summary>|x| in place, like <c>abs_</c>.</summary>
    public Tensor Abs_() => InPlace((a, _) => a.Abs());
    /// <summary>eˣ in place, like <c>exp_</c>.</summary>
    public Tensor Exp_() => InPlace((a, _) => a.Exp());
    /// <summary>ln x in place, like <c>log_</c>.</summary>
    public Tensor Log_() => InPlace((a, _) => a.Log());
    /// <summary>√x in place, like <c>sqrt_</c>.</summary>
    public Tensor Sqrt_() => InPlace((a, _) => a.Sqrt());
    /// <summary>tanh x in place, like <c>tanh_</c>.</summary>
    public Tensor Tanh_() => InPlace((a, _) => a.Tanh());
    /// <summary>σ(x) in place, like <c>sigmoid_</c>.</summary>
    public Tensor Sigmoid_() => InPlace((a, _) => a.Sigmoid());
    /// <summary>max(x, 0) in place, like <c>relu_</c>.</summary>
    public Tensor Relu_() => InPlace((a, _) => a.Relu());

    /// <summary>
    /// The one path of every in-place op: checks, then writes <paramref name="op"/>(this, others) into
    /// this tensor and, when autograd must see the write, gives this tensor (or the tensor it views)
    /// the op's node as its history. <paramref name="op"/> is an out-of-place op whose input 0 is the
    /// tensor's old value; it is computed before anything is written, so an error leaves the tensor
    /// as it was and operands that share its memory are read before they change.
    /// </summary>
    /// <param name="op">The out-of-place op, taking (old value, others converted to this dtype).</param>
    /// <param name="others">The other tensor operands (null entries are refused).</param>
    /// <param name="direct">Optional: writes the result straight into this tensor when nothing is
    /// recorded (for kernels that can work in place); returns false to fall back to <paramref name="op"/>.</param>
    /// <param name="constantFill">The op writes one value everywhere, so a tensor whose elements
    /// share memory may be written (as PyTorch allows for fill_ and zero_).</param>
    /// <param name="anyCast">The result may be converted to this dtype whatever its type (copy_);
    /// otherwise, as PyTorch, a result of a higher category (a float into an int64 tensor) is refused.</param>
    internal Tensor InPlace(Func<Tensor, Tensor[], Tensor> op, Tensor[] others, Func<Tensor, Tensor[], bool>? direct = null,
                            bool constantFill = false, bool anyCast = false)
    {
        for (int i = 0; i < others.Length; i++)
            if (others[i] is null) throw new ArgumentNullException(nameof(others), $"operand {i} of an in-place op is null");
        if (!constantFill) CheckWritable(others);
        bool grad = GradMode.IsEnabled;
        bool record = grad && (RequiresGrad || Array.Exists(others, o => o.RequiresGrad));
        CheckAutograd(grad, record);
        // Operands meet this tensor's type: always for copy_, else float64 into float32 (the result
        // keeps this dtype); other mixes go through the op's own promotion and the check below.
        Tensor Meet(Tensor o) => anyCast || (o.DType.IsFloatingPoint() && DType.IsFloatingPoint()) ? o.To(DType) : o;
        if (!record)
        {
            Tensor values;
            using (Torch.NoGrad())
            {
                var same = Array.ConvertAll(others, Meet);
                if (direct is not null && direct(this, same)) { Storage.BumpVersion(); return this; }
                values = op(this, same);
            }
            if (!anyCast) CheckCast(values);
            WriteValues(values);
            return this;
        }

        // The old values, as the op's input 0. Not a view: a copy carrying this tensor's history, so
        // the op's node sends the old values' gradient where this tensor's went. A view: a recorded
        // clone (CopySlices routes its gradient into the viewed tensor instead; the clone's history
        // keeps what the op saves of it differentiable, for gradients of gradients).
        Tensor old;
        if (_base is null)
        {
            old = Map.Copy(this);
            (old._gradFn, old._requiresGrad) = (GradFn, RequiresGrad);
        }
        else old = Clone();
        var result = op(old, Array.ConvertAll(others, Meet));
        if (!anyCast) CheckCast(result);
        var node = result.GradFn;
        if (node is null || node.Inputs.Count == 0 || !ReferenceEquals(node.Inputs[0], old))
            throw new InvalidOperationException("internal error: an in-place op must record one node whose input 0 is the old value");
        if (_base is not { } b)
        {
            WriteValues(result);
            SetHistory(node);
            return this;
        }
        var map = ElementMap.Of(b, this);
        var before = new Tensor(b.Storage, b._shape, b._strides, b.Offset) { _gradFn = b.GradFn, _requiresGrad = b.RequiresGrad };
        WriteValues(result);
        CopySlices.Rebase(b, before, node, map, _shape);
        // The op's node now lives inside CopySlices only: what it saved of its output (exp, tanh, …)
        // must lead where this view's values now come from, the viewed tensor's new history.
        if (GradFn is { } now) result.SetHistory(now);
        return this;
    }

    /// <inheritdoc cref="InPlace(Func{Tensor, Tensor[], Tensor}, Tensor[], Func{Tensor, Tensor[], bool}?, bool, bool)"/>
    private Tensor InPlace(Func<Tensor, Tensor[], Tensor> op, params Tensor[] others) => InPlace(op, others, null);

    private Tensor InPlace(Func<Tensor, Tensor[], Tensor> op, bool constantFill) => InPlace(op, [], null, constantFill);

    /// <summary>PyTorch's rule for writing a result into this tensor: no float into an integer or bool, no integer into a bool.</summary>
    private void CheckCast(Tensor result)
    {
        static int Category(DType d) => d switch { DType.Bool => 0, DType.Int64 => 1, _ => 2 };
        if (Category(result.DType) > Category(DType))
            throw new ArgumentException($"result type {result.DType.ScalarTypeName()} can't be cast to the desired output type {DType.ScalarTypeName()}");
    }

    /// <summary>
    /// Refuses to write into this tensor when two of its elements share memory, or when an input
    /// overlaps it in part (both as PyTorch: a full overlap, x op= x, is fine).
    /// </summary>
    private void CheckWritable(params Tensor[] inputs)
    {
        if (MiniTorch.Shape.HasInternalOverlap(_shape, _strides)) throw new InvalidOperationException(MiniTorch.Shape.InternalOverlapMessage);
        foreach (var t in inputs)
        {
            if (!ReferenceEquals(t.Storage, Storage) || t.Numel == 0 || Numel == 0) continue;
            if (t.Offset == Offset && MiniTorch.Shape.Equal(t._shape, _shape) && MiniTorch.Shape.Equal(t._strides, _strides)) continue;
            // PyTorch only decides for two dense layouts (else "too hard" and allowed; MiniTorch reads
            // every input before writing, so the result is right either way).
            if (!MiniTorch.Shape.IsNonOverlappingAndDense(_shape, _strides) || !MiniTorch.Shape.IsNonOverlappingAndDense(t._shape, t._strides)) continue;
            if (t.Offset < Offset + Numel && Offset < t.Offset + t.Numel) throw new InvalidOperationException(MiniTorch.Shape.PartialOverlapMessage);
        }
    }

    /// <summary>PyTorch's checks before an in-place op that autograd may have to record.</summary>
    private void CheckAutograd(bool grad, bool record)
    {
        if (!grad) return;
        if (_base is { } b && _viewMadeWithoutGrad && (record || b.RequiresGrad))
            throw new InvalidOperationException(
                "A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden. " +
                "You can clarify your code by moving both the view and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).");
        if (!record) return;
        if (_base is { } v && v.IsLeaf && v.RequiresGrad)
            throw new InvalidOperationException("a view of a leaf Variable that requires grad is being used in an in-place operation.");
        if (IsLeaf && RequiresGrad)
            throw new InvalidOperationException("a leaf Variable that requires grad is being used in an in-place operation.");
    }

    /// <summary>Writes <paramref name="values"/> (this shape; any dtype, layout or storage) into this tensor's elements and counts the write.</summary>
    private void WriteValues(Tensor values)
    {
        if (!MiniTorch.Shape.Equal(values.ShapeRef, _shape))
            throw new ArgumentException($"output with shape {MiniTorch.Shape.Format(_shape)} doesn't match the broadcast shape {MiniTorch.Shape.Format(values.ShapeRef)}");
        Tensor src;
        using (Torch.NoGrad())
        {
            src = values.Detach().To(DType);
            src = ReferenceEquals(src.Storage, Storage) ? Map.Copy(src) : src.Contiguous();
        }
        Map.Scatter(src, this, Offset, _shape, _strides);
        Storage.BumpVersion();
    }
}
