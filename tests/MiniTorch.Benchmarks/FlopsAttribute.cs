namespace MiniTorch.Benchmarks;

/// <summary>
/// Names a public static double field or property of the benchmark class holding the floating-point
/// operations one invocation performs (2 per multiply-add). The report turns it into GFLOP/s and a
/// fraction of the FMA peak.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FlopsAttribute(string member) : Attribute
{
    public string Member { get; } = member;
}
