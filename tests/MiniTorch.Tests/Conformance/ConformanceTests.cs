using Xunit.Abstractions;

namespace MiniTorch.Tests.Conformance;

/// <summary>
/// Randomized differential conformance against PyTorch 1.13 (Golden/Conformance/gen_conformance.py):
/// the everyday nn (pooling, softmax family, losses, activations, element-wise and indexing ops,
/// int64/bool, embedding, norms, pixel shuffle) and 1-d/2-d/3-d convolution, functional and modules.
/// </summary>
public class ConformanceTests(ITestOutputHelper output)
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Golden", "Conformance");

    private void RunFile(string path)
    {
        var root = ConformanceRunner.Load(path);
        var (count, failures, messages) = ConformanceRunner.RunWithMessages(root, ConformanceOps.Ops);
        output.WriteLine($"{Path.GetFileName(path)}: {count} cases (seed {root.GetProperty("seed")}, scale {root.GetProperty("scale")}), {failures.Count} discrepancies");
        // Both raise in every error case (asserted); the wording is reported: PyTorch's message verbatim, or how it differs.
        output.WriteLine($"error messages: {messages.Verbatim} of {messages.Total} contain PyTorch's verbatim");
        foreach (var (pytorch, minitorch) in messages.Different) output.WriteLine($"  message: PyTorch \"{pytorch}\" / MiniTorch \"{minitorch}\"");
        foreach (var f in failures) output.WriteLine(f);
        Assert.True(failures.Count == 0, $"{failures.Count} of {count} cases differ from PyTorch:\n" + string.Join("\n", failures.Take(40)));
    }

    /// <summary>
    /// The committed cases; and, when <c>MINITORCH_CONFORMANCE_SWEEP</c> names a file, the larger sweep in it
    /// (made by <c>gen_conformance.py --scale 20 --seed 7 --out /tmp/sweep.json</c>; see docs/conformance.md).
    /// </summary>
    [Fact]
    public void EveryRandomCase_MatchesPyTorch()
    {
        var sweep = Environment.GetEnvironmentVariable("MINITORCH_CONFORMANCE_SWEEP");
        RunFile(string.IsNullOrEmpty(sweep) ? Path.Combine(Folder, "conformance.json") : sweep);
    }
}
