using MiniTorch.Autograd;
using MiniTorch.Storage;

namespace MiniTorch;

/// <summary>
/// An n-dimensional array of float32, float64, int64 or bool values with reverse-mode automatic
/// differentiation (of floating point tensors). A tensor is a view (shape, strides, offset) of a <see cref="TensorStorage"/>;
/// views share memory with the tensor they were taken from.
/// </summary>
/// <remarks>
/// The public surface is split over partial files: creation lives in <see cref="Torch"/>,
/// views in <c>Tensor.Views.cs</c>, arithmetic in <c>Tensor.Math.cs</c>, printing in
/// <c>Tensor.Printing.cs</c>.
/// </remarks>
public sealed partial class Tensor
{
    private readonly int[] _shape;
    private readonly int[] _strides;
    private Function? _gradFn;
    private bool _requiresGrad;
    private Tensor? _grad;

    // A view made by a view op (View, Reshape, Permute, Expand, Narrow, Slice, Select, …) knows the
    // tensor it views (the first non-view one, as PyTorch's _base), the storage version its history
    // was made at, and whether grad mode was off when it was made.
    private Tensor? _base;
    private int _viewVersion;
    private bool _viewMadeWithoutGrad;

    internal Tensor(TensorStorage storage, int[] shape, int[] strides, int offset)
    {
        Storage = storage;
        _shape = shape;
        _strides = strides;
        Offset = offset;
    }

    internal Tensor(TensorStorage storage, int[] shape) : this(storage, shape, MiniTorch.Shape.ContiguousStrides(shape), 0) { }

    /// <summary>The storage this tensor is a view of.</summary>
    public TensorStorage Storage { get; }

    /// <summary>The offset of the first element in <see cref="Storage"/>.</summary>
    public int Offset { get; }

    /// <summary>A copy of the sizes of each dimension.</summary>
    public int[] Shape => (int[])_shape.Clone();

    /// <summary>A copy of the strides (in elements) of each dimension.</summary>
    public int[] Strides => (int[])_strides.Clone();

    internal int[] ShapeRef => _shape;
    internal int[] StridesRef => _strides;

    /// <summary>The number of dimensions.</summary>
    public int Dim => _shape.Length;

    /// <summary>The number of elements.</summary>
    public int Numel => MiniTorch.Shape.Numel(_shape);

    /// <summary>The element type.</summary>
    public DType DType => Storage.DType;

    /// <summary>The size of one dimension (negative indices count from the end).</summary>
    public int Size(int dim) => _shape[MiniTorch.Shape.WrapDim(dim, Dim)];

    /// <summary>Whether the elements are laid out densely in row-major order.</summary>
    public bool IsContiguous
    {
        get
        {
            // An empty tensor has no element out of place, whatever its strides (as in PyTorch).
            if (Array.IndexOf(_shape, 0) >= 0) return true;
            int expected = 1;
            for (int i = _shape.Length - 1; i >= 0; i--)
            {
                if (_shape[i] == 1) continue;
                if (_strides[i] != expected) return false;
                expected *= _shape[i];
            }
            return true;
        }
    }

    /// <summary>
    /// How many in-place writes this tensor's storage has received (PyTorch's <c>tensor._version</c>),
    /// shared with every view of the same storage.
    /// </summary>
    public int Version => Storage.Version;

    /// <summary>The operation that produced this tensor, or null for a leaf.</summary>
    /// <remarks>
    /// For a view whose storage was written in place since it was made, this is regenerated (as
    /// PyTorch does) as <c>AsStridedBackward0</c> of the tensor it views, so its gradient follows
    /// that tensor's new history.
    /// </remarks>
    public Function? GradFn
    {
        get
        {
            RefreshView();
            return _gradFn;
        }
    }

    /// <summary>True for tensors created by the user rather than by a recorded operation.</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>The accumulated gradient of a leaf after <see cref="Backward"/>.</summary>
    /// <remarks>A gradient held here outlives the <see cref="Storage.MemoryScope"/> it was made in; once replaced or cleared inside a scope, it goes back with that scope.</remarks>
    public Tensor? Grad
    {
        get => _grad;
        set
        {
            var old = _grad;
            value?.Storage.Pin();
            _grad = value;
            old?.Storage.Unpin();
        }
    }

    /// <summary>
    /// Whether operations on this tensor are recorded for differentiation. Only leaves may have
    /// the flag changed, as in PyTorch.
    /// </summary>
    public bool RequiresGrad
    {
        get
        {
            RefreshView();
            return _requiresGrad;
        }
        set
        {
            if (!IsLeaf)
                throw new InvalidOperationException(
                    "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
            if (value && !DType.IsFloatingPoint())
                throw new InvalidOperationException($"only Tensors of floating point dtype can require gradients (got {DType})");
            _requiresGrad = value;
        }
    }

    /// <summary>Makes <paramref name="fn"/> this tensor's history (it then requires grad).</summary>
    internal void SetHistory(Function fn) { _gradFn = fn; _requiresGrad = true; }

    /// <summary>The tensor this one is a view of (the first non-view one), or null.</summary>
    internal Tensor? ViewBase => _base;

    /// <summary>
    /// A view of this tensor's memory, tracked as PyTorch tracks views: writes into it are seen by
    /// autograd as writes into the tensor it views. View ops make their outputs with this.
    /// </summary>
    internal Tensor AsView(int[] shape, int[] strides, int offset) =>
        new(Storage, shape, strides, offset)
        {
            _base = _base ?? this,
            _viewVersion = Storage.Version,
            _viewMadeWithoutGrad = !GradMode.IsEnabled,
        };

    // After an in-place write to the storage, a view made with grad on takes the history
    // "elements of the base", the base's history being the one that now holds.
    private void RefreshView()
    {
        if (_base is null || _viewMadeWithoutGrad) return;
        int version = Storage.Version;
        if (version == _viewVersion) return;
        _viewVersion = version;
        if (_base.RequiresGrad) Functions.AsStridedBackward0.Regenerate(this, _base);
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, like <c>requires_grad_()</c>.</summary>
    public Tensor RequiresGrad_(bool requiresGrad = true) { RequiresGrad = requiresGrad; return this; }

    /// <summary>A tensor sharing this one's storage but cut off from the graph.</summary>
    public Tensor Detach() => new(Storage, _shape, _strides, Offset);

    /// <summary>
    /// The storage's array. This is the one place where a kernel's element type meets the tensor's,
    /// so a float-only op handed an integer tensor fails here with PyTorch's "not implemented for
    /// 'Long'" rather than with a cast error.
    /// </summary>
    internal T[] Data<T>() where T : unmanaged => Storage is TensorStorage<T> s ? s.Data : throw DTypeMismatch(typeof(T));

    private ArgumentException DTypeMismatch(Type wanted) =>
        wanted == typeof(float) || wanted == typeof(double)
            ? DTypes.NotImplemented("this operation", DType)
            : new ArgumentException($"expected a tensor of {wanted.Name} elements, got dtype {DType}");

    /// <summary>The elements of a contiguous tensor as a span (no copy).</summary>
    internal Span<T> Span<T>() where T : unmanaged
    {
        if (!IsContiguous) throw new InvalidOperationException("Span() needs a contiguous tensor");
        return new Span<T>(Data<T>(), Offset, Numel);
    }

    /// <summary>The elements in row-major order as float32 (a copy; integers and booleans are converted).</summary>
    public float[] ToArray()
    {
        var c = Detach().Contiguous();
        return c.DType switch
        {
            DType.Float32 => c.Span<float>().ToArray(),
            DType.Float64 => Array.ConvertAll(c.Span<double>().ToArray(), v => (float)v),
            DType.Int64 => Array.ConvertAll(c.Span<long>().ToArray(), v => (float)v),
            _ => Array.ConvertAll(c.Span<bool>().ToArray(), v => v ? 1f : 0f),
        };
    }

    /// <summary>The elements in row-major order as float64 (a copy; integers and booleans are converted).</summary>
    public double[] ToDoubleArray()
    {
        var c = Detach().Contiguous();
        return c.DType switch
        {
            DType.Float64 => c.Span<double>().ToArray(),
            DType.Float32 => Array.ConvertAll(c.Span<float>().ToArray(), v => (double)v),
            DType.Int64 => Array.ConvertAll(c.Span<long>().ToArray(), v => (double)v),
            _ => Array.ConvertAll(c.Span<bool>().ToArray(), v => v ? 1.0 : 0.0),
        };
    }

    /// <summary>The elements in row-major order as int64 (a copy; floats are truncated toward zero, as <c>.long()</c>).</summary>
    public long[] ToInt64Array() => To(DType.Int64).Detach().Contiguous().Span<long>().ToArray();

    /// <summary>The elements in row-major order as booleans (a copy; non-zero is true, as <c>.bool()</c>).</summary>
    public bool[] ToBoolArray() => To(DType.Bool).Detach().Contiguous().Span<bool>().ToArray();

    /// <summary>The value of a one-element tensor (as a double, whatever the dtype).</summary>
    public double Item()
    {
        CheckOneElement();
        return DType switch
        {
            DType.Float32 => Data<float>()[Offset],
            DType.Float64 => Data<double>()[Offset],
            DType.Int64 => Data<long>()[Offset],
            _ => Data<bool>()[Offset] ? 1 : 0,
        };
    }

    /// <summary>The value of a one-element integer or boolean tensor as a long, like <c>item()</c> of an int64 tensor.</summary>
    public long ItemInt64()
    {
        CheckOneElement();
        return DType switch
        {
            DType.Int64 => Data<long>()[Offset],
            DType.Bool => Data<bool>()[Offset] ? 1 : 0,
            _ => throw new InvalidOperationException($"ItemInt64() reads an Int64 or Bool tensor, got {DType}; use Item()"),
        };
    }

    private void CheckOneElement()
    {
        if (Numel != 1)
            throw new InvalidOperationException($"a Tensor with {Numel} elements cannot be converted to Scalar");
    }

    /// <summary>
    /// Computes the gradient of this tensor with respect to the graph leaves and accumulates it
    /// into their <see cref="Grad"/>, like <c>tensor.backward()</c>.
    /// </summary>
    /// <param name="gradient">The gradient of some scalar with respect to this tensor; may be
    /// omitted for a one-element tensor.</param>
    /// <param name="retainGraph">Keep the graph so that backward can run through it again.</param>
    /// <param name="createGraph">Record the backward pass so gradients can be differentiated.</param>
    public void Backward(Tensor? gradient = null, bool retainGraph = false, bool createGraph = false)
        => Engine.Run([this], gradient is null ? null : [gradient], null, retainGraph || createGraph, createGraph, accumulate: true);
}
