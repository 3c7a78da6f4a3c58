using System.Globalization;
using MiniTorch.Nn;

namespace MiniTorch.IO;

/// <summary>
/// Loading weights written by other tools into a module by name: one .npy file per state-dict key,
/// or per-channel text kernels in the layout <c>np.savetxt</c>/<c>np.loadtxt</c> use.
/// </summary>
public static class WeightFolders
{
    /// <summary>
    /// Loads <c>dir/&lt;key&gt;.npy</c> for every state-dict key (for example <c>first_part.0.weight.npy</c>),
    /// the layout <c>for k, v in model.state_dict().items(): np.save(f"{dir}/{k}.npy", v.numpy())</c> writes.
    /// Every .npy file in the folder counts as a key, so with <paramref name="strict"/> extra files and
    /// missing files are errors; all problems are reported together and nothing changes unless all pass.
    /// Symbolic links to files are followed; a device, FIFO or socket named <c>*.npy</c> is refused
    /// without being read, and the files together may hold at most <see cref="ReadLimits.MaxBytes"/>.
    /// </summary>
    /// <param name="module">The module to load into.</param>
    /// <param name="dir">The folder.</param>
    /// <param name="strict">Whether missing and unexpected keys are errors.</param>
    /// <param name="limits">The byte budget for all the files together (default <see cref="ReadLimits.Default"/>).</param>
    public static void LoadNpyFolder(this Module module, string dir, bool strict = true, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(module);
        limits ??= ReadLimits.Default;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"LoadNpyFolder: no such directory '{dir}'");
        var files = Directory.EnumerateFiles(dir, "*.npy").Order(StringComparer.Ordinal).ToList();
        foreach (var file in files) RegularFile.Check(file);
        limits.CheckBytes($"the .npy files of '{dir}' together", files.Sum(f => new FileInfo(f).Length));
        var tensors = new Dictionary<string, Tensor>();
        foreach (var file in files) tensors[Path.GetFileNameWithoutExtension(file)] = Npy.Load(file, limits);
        module.LoadStateDict(tensors, strict);
    }

    /// <summary>
    /// Fills parameter (or buffer) <paramref name="name"/> from text files, one per leading index pair,
    /// as the seed of this project stored FSRCNN's kernels: for a weight [A, B, kH, kW], the file
    /// <c>string.Format(pattern, a, b)</c> holds a kH×kW matrix (rows on lines, values separated by
    /// whitespace or commas, '#' starting a comment: what <c>np.savetxt</c> writes); for a vector [A],
    /// the file <c>string.Format(pattern, a, 0)</c> holds one value.
    /// </summary>
    /// <param name="module">The module that owns the tensor.</param>
    /// <param name="name">The dotted state-dict name, for example <c>last_part.weight</c>.</param>
    /// <param name="dir">The folder holding the files.</param>
    /// <param name="pattern">A composite format with {0} = a and {1} = b, for example <c>kernel{0}_{1}.txt</c>.</param>
    /// <remarks>The tensor is changed only after every file has been read and checked.</remarks>
    public static void LoadTxtKernels(this Module module, string name, string dir, string pattern)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(module);
        var state = module.StateDict();
        if (!state.TryGetValue(name, out var target))
            throw new ArgumentException($"LoadTxtKernels: {module.GetType().Name} has no parameter or buffer '{name}'; it has {string.Join(", ", state.Keys)}");
        int[] shape = target.Shape;
        Shape.CheckTxtKernelTarget(name, shape);
        int a = shape[0], b = shape.Length == 4 ? shape[1] : 1, per = shape.Length == 4 ? shape[2] * shape[3] : 1;
        var values = new double[a * b * per];
        for (int i = 0; i < a; i++)
            for (int j = 0; j < b; j++)
            {
                string file = Path.Combine(dir, string.Format(CultureInfo.InvariantCulture, pattern, i, j));
                if (!File.Exists(file)) throw new FileNotFoundException($"LoadTxtKernels: missing file '{file}' for {name}[{i}, {j}]", file);
                var numbers = ReadNumbers(file, per);
                Shape.CheckTxtKernelFile(file, numbers.Count, shape);
                numbers.CopyTo(values, (i * b + j) * per);
            }
        target.CopyFrom(Torch.FromArray(values, shape));
    }

    // A number takes at least two bytes with its separator, and np.savetxt's '%.18e' about 25: a file
    // far longer than its kernel's values need is refused before it is read.
    private const int MaxBytesPerValue = 64, TxtSlack = 4096;

    private static List<double> ReadNumbers(string file, int expected)
    {
        long limit = TxtSlack + (long)MaxBytesPerValue * expected;
        var text = RegularFile.ReadAllBytes(file, limit, $"text kernel with {expected} values");
        var numbers = new List<double>();
        int lineNumber = 0;
        using var reader = new StreamReader(new MemoryStream(text), System.Text.Encoding.UTF8);
        for (string? raw; (raw = reader.ReadLine()) is not null;)
        {
            lineNumber++;
            int hash = raw.IndexOf('#');
            var line = hash >= 0 ? raw[..hash] : raw;
            foreach (var token in line.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries))
            {
                if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    throw new InvalidDataException($"LoadTxtKernels: '{file}' line {lineNumber}: '{(token.Length <= 40 ? token : token[..40] + "…")}' is not a number");
                numbers.Add(v);
            }
        }
        return numbers;
    }
}
