using MiniTorch.Autograd;
using MiniTorch.Storage;

namespace MiniTorch;

/// <summary>
/// Tensor creation and the global functions of MiniTorch, mirroring the <c>torch</c> namespace.
/// </summary>
public static partial class Torch
{
    private static readonly Generator _default = new(0);

    /// <summary>The generator used when none is passed.</summary>
    public static Generator DefaultGenerator => _default;

    /// <summary>Seeds the default generator, like <c>torch.manual_seed</c>.</summary>
    public static Generator ManualSeed(long seed) => _default.ManualSeed(seed);

    /// <summary>A scope in which operations are not recorded, like <c>with torch.no_grad():</c>.</summary>
    public static IDisposable NoGrad() => GradMode.Set(false);

    /// <summary>A scope in which operations are recorded even inside <see cref="NoGrad"/>.</summary>
    public static IDisposable EnableGrad() => GradMode.Set(true);

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape (float32).</summary>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        return FromData(data, shape);
    }

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape (float64).</summary>
    public static Tensor FromArray(double[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        return FromData(data, shape);
    }

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape (int64), like <c>torch.tensor(data)</c> of integers.</summary>
    public static Tensor FromArray(long[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        return FromData(data, shape);
    }

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape (int64).</summary>
    public static Tensor FromArray(int[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        return FromData(Array.ConvertAll(data, v => (long)v), shape);
    }

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape (bool).</summary>
    public static Tensor FromArray(bool[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        return FromData(data, shape);
    }

    private static Tensor FromData<T>(T[] data, int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        if (shape is null || shape.Length == 0 && data.Length != 1) shape = [data.Length];
        var s = Shape.Validate(shape);
        if (Shape.Numel(s) != data.Length)
            throw new ArgumentException($"shape {Shape.Format(s)} holds {Shape.Numel(s)} elements but the data has {data.Length}");
        var storage = TensorStorage<T>.Pooled(data.Length, zeroed: false);
        data.CopyTo(storage.Data, 0);
        return new Tensor(storage, s);
    }

    /// <summary>A zero-dimensional tensor holding one value.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32)
    {
        Argument.Defined(dtype);
        return Full([], value, dtype);
    }

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(int[] shape, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Argument.Defined(dtype);
        return new(TensorStorage.Allocate(dtype, Shape.Numel(Shape.Validate(shape))), (int[])shape.Clone());
    }

    /// <summary>A tensor of zeros (float32).</summary>
    public static Tensor Zeros(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return Zeros(shape, DType.Float32);
    }

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(int[] shape, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Argument.Defined(dtype);
        return Full(shape, 1.0, dtype);
    }

    /// <summary>A tensor of ones (float32).</summary>
    public static Tensor Ones(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return Full(shape, 1.0, DType.Float32);
    }

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, double value, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Argument.Defined(dtype);
        var t = Zeros(shape, dtype);
        switch (dtype)
        {
            case DType.Float32: t.Span<float>().Fill((float)value); break;
            case DType.Float64: t.Span<double>().Fill(value); break;
            case DType.Int64: t.Span<long>().Fill((long)value); break; // truncates, as torch.full(…, 1.5, dtype=torch.int64)
            default: t.Span<bool>().Fill(value != 0); break;
        }
        return t;
    }

    /// <summary>Zeros with the shape and dtype of <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like)
    {
        ArgumentNullException.ThrowIfNull(like);
        return Zeros(like.ShapeRef, like.DType);
    }

    /// <summary>Ones with the shape and dtype of <paramref name="like"/>.</summary>
    public static Tensor OnesLike(Tensor like)
    {
        ArgumentNullException.ThrowIfNull(like);
        return Full(like.ShapeRef, 1.0, like.DType);
    }

    /// <summary>Values <c>start, start+step, …</c> below <paramref name="end"/>, like <c>torch.arange</c>.</summary>
    /// <remarks>
    /// Bit for bit like PyTorch's AVX2 CPU kernel: start and step in double; blocks of one SIMD
    /// register (8 floats or 4 doubles) start at fma(step, i, start) rounded to the dtype and
    /// continue with base + j·step (fused by the compiler), the tail is fma(step, i, start). For
    /// int64 the bounds and step are truncated first, as PyTorch converts them. Bounds that are NaN
    /// or infinite, a zero or NaN step, a step of the wrong sign and more than 2³¹ − 1 values raise
    /// <see cref="ArgumentException"/> before anything is allocated.
    /// </remarks>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Float32)
    {
        Argument.Defined(dtype);
        if (dtype == DType.Bool) throw new ArgumentException("\"arange_cpu\" not implemented for 'Bool'");
        if (dtype == DType.Int64)
        {
            // PyTorch converts the bounds and the step to the integer type first.
            if (double.IsNaN(step) || step == 0) throw new ArgumentException("step must be nonzero");
            CheckRange(start, end);
            (start, end, step) = (Math.Truncate(start), Math.Truncate(end), Math.Truncate(step));
        }
        if (double.IsNaN(step) || step == 0) throw new ArgumentException("step must be nonzero");
        CheckRange(start, end);
        if ((end - start) / step < 0) throw new ArgumentException("upper bound and larger bound inconsistent with step sign");
        double count = Math.Ceiling((end - start) / step);
        if (!(count <= int.MaxValue))
            throw new ArgumentException(
                $"arange: [{Numbers.Cpp(start)}, {Numbers.Cpp(end)}) in steps of {Numbers.Cpp(step)} has {Numbers.Cpp(count)} elements, more than the {int.MaxValue} a tensor can hold");
        int n = (int)count;
        return dtype switch
        {
            DType.Float32 => new Tensor(new TensorStorage<float>(ArangeValues<float>(start, step, n, 8)), [n]),
            DType.Float64 => new Tensor(new TensorStorage<double>(ArangeValues<double>(start, step, n, 4)), [n]),
            _ => new Tensor(new TensorStorage<long>(ArangeLongs((long)start, (long)step, n)), [n]),
        };
    }

    private static void CheckRange(double start, double end)
    {
        if (!double.IsFinite(start) || !double.IsFinite(end))
            throw new ArgumentException($"unsupported range: {Numbers.Cpp(start)} -> {Numbers.Cpp(end)}");
    }

    // Bit for bit PyTorch's AVX2 kernel: blocks of one SIMD register (8 floats or 4 doubles) start at
    // fma(step, i, start) rounded to the type and continue with base + j·step (fused), the tail is
    // fma(step, i, start); every value is computed in double and rounded once when stored.
    private static T[] ArangeValues<T>(double start, double step, int n, int width) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var values = GC.AllocateUninitializedArray<T>(n);
        int i = 0;
        // The vectorised loop runs two blocks per iteration while two whole blocks remain.
        for (; i <= n - 2 * width; i += 2 * width)
            for (int k = i; k < i + 2 * width; k += width)
            {
                double b = double.CreateTruncating(T.CreateTruncating(Math.FusedMultiplyAdd(step, k, start)));
                for (int j = 0; j < width; j++) values[k + j] = T.CreateTruncating(Math.FusedMultiplyAdd(j, step, b));
            }
        for (; i < n; i++) values[i] = T.CreateTruncating(Math.FusedMultiplyAdd(step, i, start));
        return values;
    }

    private static long[] ArangeLongs(long start, long step, int n)
    {
        var values = GC.AllocateUninitializedArray<long>(n);
        for (int i = 0; i < n; i++) values[i] = start + i * step;
        return values;
    }

    /// <summary>Values 0, 1, …, <paramref name="end"/> − 1.</summary>
    public static Tensor Arange(int end, DType dtype = DType.Float32)
    {
        Argument.Defined(dtype);
        return Arange(0, end, 1, dtype);
    }

    /// <summary>
    /// <paramref name="steps"/> evenly spaced values from <paramref name="start"/> to <paramref name="end"/>,
    /// computed as PyTorch does: the first half counts up from start, the second half down from end.
    /// </summary>
    /// <remarks>
    /// Bit for bit like PyTorch's AVX2 CPU kernel (a user's first tensor is often a linspace, and
    /// printing it must match): in the dtype, step = (end − start)/(steps − 1); pairs of SIMD
    /// blocks (8 floats or 4 doubles) start at the fused start + step·i (or end − step·(steps−1−i)
    /// from the block's first index on) and continue with base + j·step unfused; the tail is scalar.
    /// </remarks>
    public static Tensor Linspace(double start, double end, int steps, DType dtype = DType.Float32)
    {
        Argument.Defined(dtype);
        if (dtype == DType.Bool) throw new ArgumentException("\"linspace_cpu\" not implemented for 'Bool'");
        if (steps < 0) throw new ArgumentException("number of steps must be non-negative");
        var t = Zeros([steps], dtype);
        if (dtype == DType.Float32) LinspaceFill(t.Span<float>(), (float)start, (float)end, 8);
        else if (dtype == DType.Float64) LinspaceFill(t.Span<double>(), start, end, 4);
        else
        {
            // PyTorch converts the bounds to int64 first (and cannot for NaN or infinities).
            if (!double.IsFinite(start) || !double.IsFinite(end) || Math.Abs(start) >= 9.2233720368547758e18 || Math.Abs(end) >= 9.2233720368547758e18)
                throw new ArgumentException($"linspace: bounds {Numbers.Cpp(start)} and {Numbers.Cpp(end)} cannot be converted to int64");
            LinspaceLongs(t.Span<long>(), (long)start, (long)end);
        }
        return t;
    }

    // PyTorch's int64 kernel: the step in double, blocks of four (AVX2's int64 width) starting at the
    // truncated fma(step, i, start) (or end − step·(steps−1−i) from halfway on) and continuing with
    // base + j·step truncated; the tail truncates each value. Exact while PyTorch runs it as one chunk
    // (up to 32768 steps); beyond, its result depends on how at::parallel_for splits the range.
    private static void LinspaceLongs(Span<long> y, long start, long end)
    {
        const int width = 4;
        int steps = y.Length;
        if (steps == 0) return;
        if (steps == 1) { y[0] = start; return; }
        double step = ((double)end - start) / (steps - 1);
        int half = steps / 2, i = 0;
        double At(int k) => k < half ? Math.FusedMultiplyAdd(step, k, start) : Math.FusedMultiplyAdd(-step, steps - k - 1, end);
        for (; i <= steps - 2 * width; i += 2 * width)
            for (int k = i; k < i + 2 * width; k += width)
            {
                long b = (long)At(k);
                for (int j = 0; j < width; j++) y[k + j] = (long)Math.FusedMultiplyAdd(j, step, b);
            }
        for (; i < steps; i++) y[i] = (long)At(i);
    }

    private static void LinspaceFill<T>(Span<T> y, T start, T end, int width) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int steps = y.Length;
        if (steps == 0) return;
        if (steps == 1) { y[0] = start; return; }
        T step = (end - start) / T.CreateChecked(steps - 1);
        int half = steps / 2, i = 0;
        T At(int k) => k < half ? T.FusedMultiplyAdd(step, T.CreateChecked(k), start)
                                : T.FusedMultiplyAdd(-step, T.CreateChecked(steps - k - 1), end);
        // The vectorised loop runs two blocks per iteration while two whole blocks remain.
        for (; i <= steps - 2 * width; i += 2 * width)
            for (int k = i; k < i + 2 * width; k += width)
            {
                T b = At(k);
                for (int j = 0; j < width; j++) y[k + j] = b + T.CreateChecked(j) * step;
            }
        for (; i < steps; i++) y[i] = At(i);
    }

    /// <summary>Uniform samples in [0, 1).</summary>
    public static Tensor Rand(int[] shape, Generator? generator = null, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Argument.Defined(dtype);
        return Uniform(shape, 0, 1, generator, dtype);
    }

    /// <summary>Standard normal samples.</summary>
    public static Tensor Randn(int[] shape, Generator? generator = null, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Argument.Defined(dtype);
        return Normal(shape, 0, 1, generator, dtype);
    }

    /// <summary>Samples of N(<paramref name="mean"/>, <paramref name="std"/>²), drawn with MathNet.Numerics.</summary>
    public static Tensor Normal(int[] shape, double mean, double std, Generator? generator = null, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Argument.Defined(dtype);
        if (!dtype.IsFloatingPoint()) throw DTypes.NotImplemented("normal_kernel_cpu", dtype);
        if (!(std >= 0)) throw new ArgumentException($"normal expects std >= 0.0, but found std {Numbers.Cpp(std)}");
        var values = CachingAllocator.Rent<double>(Shape.Numel(Shape.Validate(shape)), zeroed: false);
        if (std == 0) Array.Fill(values, mean);
        else (generator ?? _default).Draw(r => MathNet.Numerics.Distributions.Normal.Samples(r, values, mean, std));
        return FromRented(values, shape, dtype);
    }

    /// <summary>Samples of U(<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static Tensor Uniform(int[] shape, double low, double high, Generator? generator = null, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Argument.Defined(dtype);
        CheckUniformBounds(low, high, dtype);
        var values = CachingAllocator.Rent<double>(Shape.Numel(Shape.Validate(shape)), zeroed: false);
        (generator ?? _default).Draw(r =>
        {
            for (int i = 0; i < values.Length; i++) values[i] = low + (high - low) * r.NextDouble();
        });
        return FromRented(values, shape, dtype);
    }

    /// <summary>A tensor of <paramref name="values"/> (an exact-length array of the caching allocator, which this takes over).</summary>
    private static Tensor FromRented(double[] values, int[] shape, DType dtype)
    {
        if (dtype == DType.Float64) return new Tensor(TensorStorage<double>.Pooled(values), (int[])shape.Clone());
        var doubles = new Tensor(TensorStorage<double>.Pooled(values), (int[])shape.Clone());
        var result = doubles.To(dtype);
        CachingAllocator.Return(doubles.Storage);
        return result;
    }

    /// <summary>PyTorch's <c>check_uniform_bounds</c>: finite bounds inside the dtype's range, low ≤ high, and a representable width.</summary>
    private static void CheckUniformBounds(double low, double high, DType dtype)
    {
        if (!dtype.IsFloatingPoint()) throw DTypes.NotImplemented("check_uniform_bounds", dtype);
        double max = dtype == DType.Float32 ? float.MaxValue : double.MaxValue;
        string type = dtype == DType.Float32 ? "float" : "double";
        if (!(Math.Abs(low) <= max)) throw new ArgumentException($"from is out of bounds for {type}");
        if (!(Math.Abs(high) <= max)) throw new ArgumentException($"to is out of bounds for {type}");
        if (low > high)
            throw new ArgumentException($"uniform_ expects to return a [from, to) range, but found from={Numbers.Cpp(low)} > to={Numbers.Cpp(high)}");
        if (!(high - low <= max))
            throw new ArgumentException(
                $"uniform_ expects to-from <= std::numeric_limits<{dtype.ScalarTypeName()}>::max(), but found to={Numbers.Cpp(high)} and from={Numbers.Cpp(low)} which result in to-from to exceed the limit");
    }

    internal static Tensor FromDoubles(double[] values, int[] shape, DType dtype) => dtype switch
    {
        DType.Float64 => new Tensor(new TensorStorage<double>(values), (int[])shape.Clone()),
        DType.Float32 => new Tensor(new TensorStorage<float>(Array.ConvertAll(values, v => (float)v)), (int[])shape.Clone()),
        _ => new Tensor(new TensorStorage<double>(values), (int[])shape.Clone()).To(dtype),
    };

    /// <summary>
    /// The gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>, like
    /// <c>torch.autograd.grad</c>. Nothing is accumulated into <see cref="Tensor.Grad"/>.
    /// </summary>
    /// <param name="outputs">Tensors to differentiate.</param>
    /// <param name="inputs">Tensors to differentiate with respect to.</param>
    /// <param name="gradOutputs">The vector in the vector-Jacobian product; may be null for scalar outputs.</param>
    /// <param name="retainGraph">Keep the graph; defaults to <paramref name="createGraph"/>.</param>
    /// <param name="createGraph">Record the backward pass so the result can be differentiated.</param>
    /// <param name="allowUnused">Return null for inputs the outputs do not depend on, instead of throwing.</param>
    public static Tensor?[] Grad(Tensor[] outputs, Tensor[] inputs, Tensor?[]? gradOutputs = null,
                                 bool? retainGraph = null, bool createGraph = false, bool allowUnused = false)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        Argument.NoNullElements(outputs);
        Argument.NoNullElements(inputs);
        for (int i = 0; i < inputs.Length; i++)
            if (!inputs[i].RequiresGrad)
                throw new ArgumentException($"One of the differentiated Tensors (input {i}) does not require grad");
        var result = Engine.Run(outputs, gradOutputs, inputs, retainGraph ?? createGraph, createGraph, accumulate: false);
        for (int i = 0; i < result.Length; i++)
            if (result[i] is null && !allowUnused)
                throw new InvalidOperationException(
                    $"One of the differentiated Tensors (input {i}) appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.");
        return result;
    }

    /// <summary>Single-output, single-input form of <see cref="Grad(Tensor[], Tensor[], Tensor?[], bool?, bool, bool)"/>.</summary>
    public static Tensor Grad(Tensor output, Tensor input, Tensor? gradOutput = null, bool createGraph = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(input);
        return Grad([output], [input], gradOutput is null ? null : [gradOutput], null, createGraph)[0]!;
    }
}

public static partial class Torch
{
    /// <summary>Concatenates tensors along an existing dimension.</summary>
    public static Tensor Cat(Tensor[] tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Argument.NoNullElements(tensors);
        return Functions.CatBackward0.Apply(tensors, dim);
    }

    /// <summary>Stacks tensors of equal shape along a new dimension.</summary>
    public static Tensor Stack(Tensor[] tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Argument.NoNullElements(tensors);
        if (tensors.Length == 0) throw new ArgumentException("stack expects a non-empty TensorList");
        for (int i = 1; i < tensors.Length; i++)
            if (!Shape.Equal(tensors[i].ShapeRef, tensors[0].ShapeRef))
                throw new ArgumentException($"stack expects each tensor to be equal size, but got {Shape.Format(tensors[0].ShapeRef)} at entry 0 and {Shape.Format(tensors[i].ShapeRef)} at entry {i}");
        int d = Shape.WrapDim(dim, tensors[0].Dim + 1);
        return Cat(Array.ConvertAll(tensors, t => t.Unsqueeze(d)), d);
    }
}
