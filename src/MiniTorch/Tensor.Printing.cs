using System.Text;
using MiniTorch.Printing;

namespace MiniTorch;

public sealed partial class Tensor
{
    // PyTorch's default print options (torch.set_printoptions(profile="default")).
    private const int PrintThreshold = 1000, PrintEdgeItems = 3, PrintLineWidth = 80;

    /// <summary>
    /// The tensor as PyTorch 1.13 prints it with its default options, character for character:
    /// e.g. <c>tensor([[1., 2.],\n        [3., 4.]], dtype=torch.float64, grad_fn=&lt;MulBackward0&gt;)</c>.
    /// </summary>
    /// <remarks>
    /// A port of <c>torch/_tensor_str.py</c>: integer, fixed (4 decimals) or scientific notation
    /// chosen once for the whole tensor, columns padded to one width, rows wrapped at 80
    /// characters, more than 1000 elements summarised with <c>...</c> (3 items at each edge), and
    /// suffixes that move to a new line when the last line would grow past 80 characters.
    /// </remarks>
    public override string ToString()
    {
        const string prefix = "tensor(";
        int indent = prefix.Length;
        var suffixes = new List<string>();
        string body;
        if (Numel == 0)
        {
            // Like NumPy, an empty tensor shows its shape unless it is (0,).
            if (Dim != 1) suffixes.Add("size=" + PythonTuple(_shape));
            body = "[]";
        }
        else body = new Printer(this).Render(indent);
        // Float32, Int64 and Bool are the default types of their kind, which PyTorch infers from the values shown;
        // an empty tensor shows no values, so any type but Float32 is named.
        if (DType == DType.Float64 || (Numel == 0 && DType != DType.Float32)) suffixes.Add("dtype=" + DType.PyTorchName());
        if (GradFn is { } fn) suffixes.Add($"grad_fn=<{fn.Name}>");
        else if (RequiresGrad) suffixes.Add("requires_grad=True");
        return AddSuffixes(prefix + body, suffixes, indent);
    }

    private static string PythonTuple(int[] shape) =>
        shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";

    /// <summary>PyTorch's <c>_add_suffixes</c>, including its line-length arithmetic.</summary>
    private static string AddSuffixes(string text, List<string> suffixes, int indent)
    {
        var sb = new StringBuilder(text);
        int lastLineLength = text.Length - text.LastIndexOf('\n') + 1;
        foreach (var suffix in suffixes)
        {
            if (lastLineLength + suffix.Length + 2 > PrintLineWidth)
            {
                sb.Append(",\n").Append(' ', indent).Append(suffix);
                lastLineLength = indent + suffix.Length;
            }
            else
            {
                sb.Append(", ").Append(suffix);
                lastLineLength += suffix.Length + 2;
            }
        }
        return sb.Append(')').ToString();
    }

    /// <summary>The nested-bracket layout of <c>_tensor_str_with_formatter</c> over a dense copy of the values.</summary>
    private sealed class Printer
    {
        private readonly int[] _shape, _strides;
        private readonly bool _summarize;
        private readonly IElementFormatter _formatter;

        public Printer(Tensor t)
        {
            _shape = t.ShapeRef;
            _strides = MiniTorch.Shape.ContiguousStrides(_shape);
            _summarize = t.Numel > PrintThreshold;
            // When summarising, the format is chosen from the shown (edge) elements only.
            _formatter = t.DType switch
            {
                DType.Int64 => new IntegerFormatter<long>(t.ToInt64Array(), v => v.ToString(System.Globalization.CultureInfo.InvariantCulture), Shown),
                DType.Bool => new IntegerFormatter<bool>(t.ToBoolArray(), v => v ? "True" : "False", Shown),
                _ => new FloatFormatter(t.ToDoubleArray(), Shown, _summarize),
            };
        }

        /// <summary>Indices shown along a dimension of <paramref name="size"/>; -1 marks the ellipsis.</summary>
        private IEnumerable<int> Indices(int size)
        {
            if (!_summarize || size <= 2 * PrintEdgeItems) return Enumerable.Range(0, size);
            return Enumerable.Range(0, PrintEdgeItems).Append(-1).Concat(Enumerable.Range(size - PrintEdgeItems, PrintEdgeItems));
        }

        /// <summary>The flat positions of the elements that are shown (all, unless summarising).</summary>
        private IEnumerable<int> Shown() => Shown(0, 0);

        private IEnumerable<int> Shown(int dim, int offset) =>
            dim == _shape.Length ? [offset]
                : Indices(_shape[dim]).Where(i => i >= 0).SelectMany(i => Shown(dim + 1, offset + i * _strides[dim]));

        public string Render(int indent) => _shape.Length == 0 ? _formatter.Format(0) : Render(0, 0, indent);

        private string Render(int dim, int offset, int indent)
        {
            if (dim == _shape.Length - 1) return Vector(offset, indent);
            var slices = Indices(_shape[dim]).Select(i => i < 0 ? "..." : Render(dim + 1, offset + i * _strides[dim], indent + 1));
            var separator = "," + new string('\n', _shape.Length - dim - 1) + new string(' ', indent + 1);
            return "[" + string.Join(separator, slices) + "]";
        }

        private string Vector(int offset, int indent)
        {
            int elementLength = _formatter.Width + 2;
            int perLine = Math.Max(1, (int)Math.Floor((PrintLineWidth - indent) / (double)elementLength));
            int stride = _strides[^1];
            var items = Indices(_shape[^1]).Select(i => i < 0 ? " ..." : _formatter.Format(offset + i * stride)).ToList();
            var lines = items.Chunk(perLine).Select(line => string.Join(", ", line));
            return "[" + string.Join(",\n" + new string(' ', indent + 1), lines) + "]";
        }
    }

    private interface IElementFormatter
    {
        int Width { get; }
        string Format(int position);
    }

    /// <summary>Floating point elements: PyTorch's integer, fixed or scientific mode (<see cref="ElementFormatter"/>).</summary>
    private sealed class FloatFormatter : IElementFormatter
    {
        private readonly double[] _values;
        private readonly ElementFormatter _formatter;

        public FloatFormatter(double[] values, Func<IEnumerable<int>> shown, bool summarize)
        {
            _values = values;
            _formatter = new ElementFormatter(summarize ? shown().Select(i => values[i]) : values);
        }

        public int Width => _formatter.Width;
        public string Format(int position) => _formatter.Format(_values[position]);
    }

    /// <summary>Integer and boolean elements: <c>str(value)</c> left-padded to the widest shown value, as PyTorch's <c>_Formatter</c>.</summary>
    private sealed class IntegerFormatter<T>(T[] values, Func<T, string> text, Func<IEnumerable<int>> shown) : IElementFormatter
    {
        public int Width { get; } = shown().Select(i => text(values[i]).Length).DefaultIfEmpty(1).Max();
        public string Format(int position) => text(values[position]).PadLeft(Width);
    }
}
