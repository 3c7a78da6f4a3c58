using System.Globalization;
using System.Text;

namespace MiniTorch.IO;

/// <summary>
/// The header dictionary of a .npy file, e.g. <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>,
/// parsed with a tiny recursive-descent reader for exactly this subset of Python literals
/// (strings, True/False, tuples of integers), never with an evaluator.
/// </summary>
internal sealed record NpyHeader(string Descr, bool FortranOrder, long[] Shape)
{
    public static NpyHeader Parse(string text)
    {
        var p = new Parser(text);
        var header = p.ParseDict();
        p.SkipSpace();
        if (!p.AtEnd) throw new InvalidDataException($"npy header has trailing characters after the dictionary at position {p.Position}");
        return header;
    }

    /// <summary>The header as numpy writes it: keys sorted, <c>repr</c> values, a trailing ", " before the brace.</summary>
    public string Format()
    {
        string shape = Shape.Length switch
        {
            0 => "()",
            1 => $"({Shape[0]},)",
            _ => "(" + string.Join(", ", Shape) + ")",
        };
        return $"{{'descr': '{Descr}', 'fortran_order': {(FortranOrder ? "True" : "False")}, 'shape': {shape}, }}";
    }

    private sealed class Parser(string s)
    {
        private int _i;
        public int Position => _i;
        public bool AtEnd => _i >= s.Length;

        public void SkipSpace() { while (_i < s.Length && char.IsWhiteSpace(s[_i])) _i++; }

        private InvalidDataException Error(string what) => new($"npy header is malformed: {what} at position {_i} in {Quote(s)}");

        private static string Quote(string text) => text.Length <= 200 ? $"\"{text}\"" : $"\"{text[..200]}…\"";

        private bool TryEat(char c)
        {
            SkipSpace();
            if (_i < s.Length && s[_i] == c) { _i++; return true; }
            return false;
        }

        private void Expect(char c) { if (!TryEat(c)) throw Error($"expected '{c}'"); }

        public NpyHeader ParseDict()
        {
            Expect('{');
            string? descr = null; bool? fortran = null; long[]? shape = null;
            while (!TryEat('}'))
            {
                string key = ParseString();
                Expect(':');
                switch (key)
                {
                    case "descr" when descr is null:
                        SkipSpace();
                        if (_i < s.Length && s[_i] is '[' or '(') throw new InvalidDataException("npy file holds a structured dtype; MiniTorch loads only '<f4' and '<f8'");
                        descr = ParseString();
                        break;
                    case "fortran_order" when fortran is null: fortran = ParseBool(); break;
                    case "shape" when shape is null: shape = ParseTuple(); break;
                    default: throw Error($"unexpected or repeated key '{key}'");
                }
                if (!TryEat(',')) { Expect('}'); break; }
            }
            if (descr is null || fortran is null || shape is null)
                throw new InvalidDataException("npy header must name 'descr', 'fortran_order' and 'shape'");
            return new NpyHeader(descr, fortran.Value, shape);
        }

        private string ParseString()
        {
            SkipSpace();
            if (_i >= s.Length || s[_i] is not ('\'' or '"')) throw Error("expected a quoted string");
            char quote = s[_i++];
            var sb = new StringBuilder();
            while (_i < s.Length && s[_i] != quote)
            {
                if (s[_i] == '\\') throw Error("escape sequences are not supported");
                sb.Append(s[_i++]);
            }
            if (_i >= s.Length) throw Error("unterminated string");
            _i++;
            return sb.ToString();
        }

        private bool ParseBool()
        {
            SkipSpace();
            if (string.CompareOrdinal(s, _i, "True", 0, 4) == 0) { _i += 4; return true; }
            if (string.CompareOrdinal(s, _i, "False", 0, 5) == 0) { _i += 5; return false; }
            throw Error("expected True or False");
        }

        private long[] ParseTuple()
        {
            Expect('(');
            var dims = new List<long>();
            while (!TryEat(')'))
            {
                dims.Add(ParseInt());
                if (dims.Count > 64) throw Error("more than 64 dimensions");
                if (!TryEat(',')) { Expect(')'); break; }
            }
            return dims.ToArray();
        }

        private long ParseInt()
        {
            SkipSpace();
            int start = _i;
            while (_i < s.Length && char.IsAsciiDigit(s[_i])) _i++;
            if (_i == start) throw Error("expected a non-negative integer");
            if (!long.TryParse(s.AsSpan(start, _i - start), NumberStyles.None, CultureInfo.InvariantCulture, out long v)) throw Error("integer too large");
            if (_i < s.Length && s[_i] is 'L' or 'l') _i++; // Python 2 long suffix, seen in old files
            return v;
        }
    }
}
