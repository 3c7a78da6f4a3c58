using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace MiniTorch.Benchmarks;

/// <summary>
/// GFLOP/s of a benchmark marked with <see cref="FlopsAttribute"/>, from its mean time, and that
/// rate as a fraction of the all-threads FMA peak measured in the same (joined) run.
/// </summary>
public sealed class FlopColumn(bool fractionOfPeak) : IColumn
{
    public static readonly FlopColumn Gflops = new(false), PercentOfPeak = new(true);

    public string Id => fractionOfPeak ? "PercentOfPeak" : "GFlops";
    public string ColumnName => fractionOfPeak ? "% of peak" : "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => fractionOfPeak ? 1 : 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => fractionOfPeak
        ? "GFLOP/s as a percentage of the all-threads FMA peak measured in the same run"
        : "Billions of floating-point operations per second (2 per multiply-add), from the mean time";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? rate = Rate(summary, benchmarkCase);
        if (rate is null) return "-";
        if (!fractionOfPeak) return rate.Value.ToString("F1");
        double? peak = Peak(summary);
        return peak is null ? "-" : (100 * rate.Value / peak.Value).ToString("F1");
    }

    /// <summary>GFLOP/s of one case, or null when it has no flop count or no result.</summary>
    public static double? Rate(Summary summary, BenchmarkCase benchmarkCase)
    {
        var method = benchmarkCase.Descriptor.WorkloadMethod;
        var attribute = method.GetCustomAttribute<FlopsAttribute>();
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (attribute is null || mean is null or <= 0) return null;
        var type = benchmarkCase.Descriptor.Type;
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Static;
        object? value = type.GetField(attribute.Member, flags)?.GetValue(null) ?? type.GetProperty(attribute.Member, flags)?.GetValue(null);
        return value is double flops ? flops / mean.Value : null; // flop per ns = GFLOP/s
    }

    /// <summary>The all-threads FMA peak in GFLOP/s, if the run measured it.</summary>
    public static double? Peak(Summary summary)
    {
        var probe = summary.BenchmarksCases.FirstOrDefault(c =>
            c.Descriptor.Type == typeof(FmaPeak) && c.Descriptor.WorkloadMethod.Name == nameof(FmaPeak.AllThreads));
        return probe is null ? null : Rate(summary, probe);
    }
}
