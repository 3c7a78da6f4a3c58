using MiniTorch;
using MiniTorch.Nn;
using MiniTorch.Storage;

namespace SuperResolution;

/// <summary>
/// FSRCNN run over an image from top to bottom, a band of rows at a time, computing every value
/// once (but a widening 1×1's context rows): each layer with a k×k kernel keeps the last k − 1 rows
/// of its input (its context) for the next band, so activations stay a few rows high (cache-sized)
/// instead of image-sized, and the output is exactly that of one pass over the whole image.
/// </summary>
/// <remarks>
/// A 3×3 convolution with padding 1 equals a convolution without row padding applied to its input
/// with one zero row added above and below the image: the stream adds those rows itself (p zero
/// rows of context at the top, p zero rows after the last band) and runs every convolution with
/// row padding 0 (column padding unchanged, bands are full width), so each call returns exactly
/// the rows its input determines. The transposed convolution is treated the same way in input
/// rows: output rows [s·a, s·b) need input rows [a − ⌊(k−1−p)/s⌋, b + ⌊(p−1)/s⌋], so it keeps
/// c = max(⌊(k−1−p)/s⌋, ⌊(p−1)/s⌋ + 1) context rows (2 for FSRCNN ×2) and crops s·c + p output
/// rows on top instead of p, which leaves exactly s·(rows − 2c) output rows. A 1×1 layer that widens
/// (FSRCNN's 12 → 56) runs inside the next layer's stage, whose context is then kept in the narrow
/// rows (see <see cref="Stage"/>). A layer writes its output rows straight into the next layer's input,
/// after the rows that layer keeps as context (a row view of that input; see <see cref="Stage.Reserve"/>),
/// so only the context rows are copied. The network's layers
/// are called through the library's public ops (F.Conv2dInto, F.ConvTranspose2dInto, F.Prelu_: the same kernels as F.Conv2d and
/// F.ConvTranspose2d, writing into activations that are reused from band to band), so faster
/// kernels speed this up without change.
/// </remarks>
public sealed class RowStream
{
    private readonly Stage[] _stages;

    /// <summary>Prepares a stream for images <paramref name="width"/> pixels wide.</summary>
    /// <param name="model">The network (evaluated as it is; nothing is recorded for autograd).</param>
    /// <param name="width">The input width.</param>
    /// <param name="profile">Where to add every layer's costs (null: no accounting).</param>
    public RowStream(FSRCNN model, int width, LayerProfile? profile = null)
    {
        if (width < 1) throw new ArgumentException($"RowStream: width must be positive, got {width}");
        Scale = model.Scale;
        var layers = model.FirstPart.Concat(model.MidPart).ToList();
        var ops = new List<Op>();
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is not Conv2d conv) throw new ArgumentException($"RowStream: expected a Conv2d at layer {i}, got {layers[i].GetType().Name}");
            var prelu = i + 1 < layers.Count ? layers[i + 1] as PReLU : null;
            if (prelu is not null) i++;
            ops.Add(ConvOp(conv, prelu, width, profile, $"{ops.Count,2} "));
        }
        ops.Add(TransposedOp(model.LastPart, width, profile, $"{ops.Count,2} "));
        var stages = new List<Stage>();
        for (int i = 0; i < ops.Count; i++)
        {
            // A 1×1 layer that widens (FSRCNN's expanding 12 → 56) runs inside the next layer's stage: that
            // stage keeps its context rows in the narrow input and recomputes their 1×1 each band (pointwise,
            // so the same values), which costs less than copying the wide rows into the next layer's input.
            if (ops[i].Pad == 0 && i + 1 < ops.Count && ops[i + 1].Pad > 0 && ops[i].Channels < ops[i].OutChannels)
            {
                stages.Add(new Stage(ops[i + 1], ops[i], profile));
                i++;
            }
            else stages.Add(new Stage(ops[i], null, profile));
        }
        _stages = [.. stages];
        for (int i = 0; i + 1 < _stages.Length; i++) _stages[i].Next = _stages[i + 1];
    }

    /// <summary>The upscaling factor: every input row eventually gives this many output rows.</summary>
    public int Scale { get; }

    /// <summary>
    /// Input rows the output lags behind: after n rows (and before the last push), the stream has
    /// returned Scale·max(0, n − Delay) output rows; the last push returns the rest.
    /// </summary>
    public int Delay => _stages.Sum(s => s.Pad);

    /// <summary>Starts a new image (the stream can be reused for any number of images of its width).</summary>
    public void Reset()
    {
        foreach (var s in _stages) s.Reset();
    }

    /// <summary>
    /// Feeds the next <c>n</c> input rows [1, 1, n, width] (after <see cref="Reset"/> or construction: the
    /// image's first rows) and returns the output rows that are now final, [1, 1, Scale·k, Scale·width],
    /// or null when there are none yet. With <paramref name="last"/> the image ends after these rows and
    /// all remaining output rows are returned. The returned tensor is reused by the next push: copy what
    /// you keep.
    /// </summary>
    public Tensor? Push(Tensor rows, bool last)
    {
        using var _ = Torch.NoGrad();
        Tensor? x = rows;
        foreach (var stage in _stages) x = stage.Push(x, last);
        if (last) Reset();
        return x;
    }

    private static Op ConvOp(Conv2d conv, PReLU? prelu, int width, LayerProfile? profile, string prefix)
    {
        var (k, p) = (conv.KernelSize, conv.Padding);
        if (conv.Stride != new Size2(1, 1) || conv.Dilation != new Size2(1, 1) || conv.Groups != 1 || p.IsSame || p.IsValid || k.H != 2 * p.H + 1)
            throw new ArgumentException($"RowStream: layer {Upscaler.LayerName(conv)} is not a stride-1, ungrouped 'same' convolution");
        string name = prefix + Upscaler.LayerName(conv), preluName = prelu is null ? "" : prefix + Upscaler.LayerName(prelu);
        Tensor Apply(Tensor x, Tensor y)
        {
            Measure(profile, name, () => F.Conv2dInto(x, conv.Weight, conv.Bias, y, padding: (0, p.W)));
            return prelu is null ? y : Measure(profile, preluName, () => F.Prelu_(y, prelu.Weight));
        }
        return new Op(p.H, conv.InChannels, width, conv.OutChannels, 1, width, Apply, prefix + "rows in");
    }

    private static Op TransposedOp(ConvTranspose2d t, int width, LayerProfile? profile, string prefix)
    {
        var (k, s, p) = (t.KernelSize.H, t.Stride.H, t.Padding.H);
        if (t.Dilation != new Size2(1, 1) || t.Groups != 1 || t.Padding.IsSame || t.Padding.IsValid || p < 1 || p > k - 1)
            throw new ArgumentException($"RowStream: layer {Upscaler.LayerName(t)} is not an ungrouped transposed convolution with padding in [1, k − 1]");
        int context = Math.Max((k - 1 - p) / s, (p - 1) / s + 1);
        string name = prefix + Upscaler.LayerName(t);
        Tensor Apply(Tensor x, Tensor y) => Measure(profile, name, () =>
            F.ConvTranspose2dInto(x, t.Weight, t.Bias, y, stride: t.Stride, padding: (s * context + p, t.Padding.W), outputPadding: t.OutputPadding));
        return new Op(context, t.InChannels, width, t.OutChannels, s, s * width, Apply, prefix + "rows in");
    }

    private static Tensor Measure(LayerProfile? profile, string name, Func<Tensor> step) => profile is null ? step() : profile.Measure(name, step);

    /// <summary>
    /// One layer: its context rows on each side (<see cref="Pad"/>), input and output channels and widths, the
    /// output rows per input row, and <see cref="Apply"/>(input, output), which writes the layer's result for
    /// input [1, Channels, rows, Width] into output [1, OutChannels, Scale·(rows − 2·Pad), OutWidth].
    /// </summary>
    private sealed record Op(int Pad, int Channels, int Width, int OutChannels, int Scale, int OutWidth, Func<Tensor, Tensor, Tensor> Apply, string CopyName);

    /// <summary>
    /// One layer over rows: keeps <see cref="Pad"/> rows of context on each side of what it computes
    /// and calls its op on [context, new rows] (plus zero rows at the image's top and bottom).
    /// </summary>
    /// <remarks>
    /// With a <paramref name="pre"/> op (a 1×1 layer, no context of its own) the stage holds its rows in the
    /// pre op's input, runs the pre op over all of them and then its own op: the pre op's output is the
    /// layer's whole input, with no copy of its (wider) rows; rows that stand for the zero padding are
    /// cleared after the pre op. Inputs and outputs are kept per row count and reused for every band, so a
    /// steady stream allocates nothing.
    /// </remarks>
    private sealed class Stage(Op op, Op? pre, LayerProfile? profile)
    {
        private readonly int pad = op.Pad, channels = pre?.Channels ?? op.Channels, width = op.Width;
        // Rows held back: the last rows of the previous input (or the top zero rows), in [0, _held); the first
        // _zeroTop of them stand for the zero padding above the image.
        private Tensor? _context;
        private int _held, _zeroTop;
        // Inputs, the pre op's outputs and outputs by row count (first band, steady state, last band), reused across bands and images.
        private readonly Dictionary<int, Tensor> _inputs = [], _mids = [], _outputs = [];
        private bool _started;

        public int Pad => pad;

        /// <summary>The stage fed by this one's output (null for the last): this one writes straight into its input rows where it can.</summary>
        public Stage? Next { get; set; }

        // The rows handed out by Reserve for the coming Push (which then finds them in place), or null.
        private Tensor? _reserved;

        /// <summary>
        /// Where the previous stage should write the next <paramref name="n"/> rows: rows [held, held + n) of
        /// the input this stage's <see cref="Push"/> will assemble (a view with contiguous rows), so only the
        /// context rows are copied; null when this stage takes them as they are (no context) or keeps them
        /// aside (fewer rows than one output row needs).
        /// </summary>
        public Tensor? Reserve(int n, bool last)
        {
            _reserved = null;
            if (pad == 0 || n == 0) return null;
            if (!_started) { Reset(); _started = true; }
            int total = _held + n + (last ? pad : 0);
            if (total <= 2 * pad) return null;
            return _reserved = Buffer(_inputs, channels, total, width).Narrow(2, _held, n);
        }

        public void Reset()
        {
            (_held, _zeroTop) = (pad, pad);
            if (_context is not null && pad > 0) ClearRows(_context, 0, pad);
        }

        public Tensor? Push(Tensor? rows, bool last)
        {
            int n = rows?.Size(2) ?? 0;
            bool inPlace = rows is not null && ReferenceEquals(rows, _reserved);
            _reserved = null;
            if (pad == 0) return n == 0 ? null : op.Apply(rows!, Target(op.Scale * n, last));
            if (!_started) { Reset(); _started = true; }
            _context ??= Torch.Zeros(1, channels, 2 * pad, width);
            int total = _held + n + (last ? pad : 0);
            if (total <= 2 * pad)
            {
                // Not enough rows for one output row yet: keep them all (only with bands thinner than the network's delay).
                if (last) throw new InvalidOperationException("RowStream: the image ended before any output row");
                if (n == 0) return null;
                var grown = Torch.Zeros(1, channels, _held + n, width);
                CopyRows(_context, 0, grown, 0, _held);
                CopyRows(rows!.Contiguous(), 0, grown, _held, n);
                (_context, _held) = (grown, _held + n);
                return null;
            }
            int zeroTop = _zeroTop;
            var input = Measure(profile, op.CopyName, () => Assemble(inPlace ? null : rows, n, total, last));
            if (pre is not null)
            {
                input = pre.Apply(input, Buffer(_mids, pre.OutChannels, total, width));
                if (zeroTop > 0) ClearRows(input, 0, zeroTop);
                if (last) ClearRows(input, total - pad, pad);
            }
            return op.Apply(input, Target(op.Scale * (total - 2 * pad), last));
        }

        // This stage's output rows: straight into the next stage's input where it takes them, else a buffer of its own.
        private Tensor Target(int rows, bool last) => Next?.Reserve(rows, last) ?? Buffer(_outputs, op.OutChannels, rows, op.OutWidth);

        // The layer's input: the held rows, the new rows (unless the previous stage wrote them in place: rows null)
        // and (at the image's end) zero rows; keeps the last 2·pad rows for next time.
        private Tensor Assemble(Tensor? rows, int n, int total, bool last)
        {
            var input = Buffer(_inputs, channels, total, width);
            var context = _context!;
            CopyRows(context, 0, input, 0, _held);
            if (n > 0 && rows is not null) CopyRows(rows.Contiguous(), 0, input, _held, n);
            if (last) ClearRows(input, total - pad, pad);
            else
            {
                if (context.Size(2) != 2 * pad) _context = context = Torch.Zeros(1, channels, 2 * pad, width);
                CopyRows(input, total - 2 * pad, context, 0, 2 * pad);
                (_held, _zeroTop) = (2 * pad, Math.Max(0, _zeroTop - (total - 2 * pad)));
            }
            return input;
        }

        private static Tensor Buffer(Dictionary<int, Tensor> cache, int channels, int rows, int width)
        {
            if (cache.TryGetValue(rows, out var t)) return t;
            if (cache.Count >= 4) cache.Clear(); // the first and steady sizes, plus the last bands of a few image heights
            cache[rows] = t = Torch.Zeros(1, channels, rows, width);
            return t;
        }

        // Rows [from, from + count) of every channel of contiguous src [1, C, ·, W] → rows [to, to + count) of contiguous dst
        // [1, C, ·, W]: one block copy per channel, no temporaries (Tensor.CopyFrom would first make the strided rows contiguous).
        private static void CopyRows(Tensor src, int from, Tensor dst, int to, int count)
        {
            if (src.DType == DType.Float32) CopyRows<float>(src, from, dst, to, count);
            else CopyRows<double>(src, from, dst, to, count);
        }

        private static void CopyRows<T>(Tensor src, int from, Tensor dst, int to, int count) where T : unmanaged
        {
            int c = src.Size(1), w = src.Size(3), srcPlane = src.Size(2) * w, dstPlane = dst.Size(2) * w;
            var (a, b) = (((TensorStorage<T>)src.Storage).Data, ((TensorStorage<T>)dst.Storage).Data);
            for (int ch = 0; ch < c; ch++)
                a.AsSpan(src.Offset + ch * srcPlane + from * w, count * w).CopyTo(b.AsSpan(dst.Offset + ch * dstPlane + to * w, count * w));
        }

        private static void ClearRows(Tensor t, int from, int count)
        {
            if (t.DType == DType.Float32) ClearRows<float>(t, from, count);
            else ClearRows<double>(t, from, count);
        }

        private static void ClearRows<T>(Tensor t, int from, int count) where T : unmanaged
        {
            int c = t.Size(1), w = t.Size(3), plane = t.Size(2) * w;
            var a = ((TensorStorage<T>)t.Storage).Data;
            for (int ch = 0; ch < c; ch++) a.AsSpan(t.Offset + ch * plane + from * w, count * w).Clear();
        }
    }
}
