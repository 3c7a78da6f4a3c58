using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Autograd;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>
/// Gradients of F.Interpolate: numerical checks of first and second derivatives for every mode
/// (both corner alignments where they apply), sizes up and down and non-integer scales, plus
/// property tests over random shapes and configurations.
/// </summary>
public class InterpolateGradTests
{
    public static TheoryData<InterpolationMode, bool?> Modes => new()
    {
        { InterpolationMode.Nearest, null },
        { InterpolationMode.NearestExact, null },
        { InterpolationMode.Bilinear, false },
        { InterpolationMode.Bilinear, true },
        { InterpolationMode.Bicubic, false },
        { InterpolationMode.Bicubic, true },
        { InterpolationMode.Area, null },
    };

    private static Tensor Input(int seed, params int[] shape) =>
        Torch.Randn(shape, new Generator(seed), DType.Float64).RequiresGrad_();

    private static IEnumerable<Func<Tensor, Tensor>> Resamplings(InterpolationMode mode, bool? alignCorners)
    {
        yield return x => F.Interpolate(x, size: (5, 7), mode: mode, alignCorners: alignCorners);
        yield return x => F.Interpolate(x, size: (2, 3), mode: mode, alignCorners: alignCorners);
        yield return x => F.Interpolate(x, scaleFactor: (1.7, 0.8), mode: mode, alignCorners: alignCorners);
        yield return x => F.Interpolate(x, scaleFactor: 1.5, mode: mode, alignCorners: alignCorners, recomputeScaleFactor: true);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Interpolate_GradCheck(InterpolationMode mode, bool? alignCorners)
    {
        foreach (var f in Resamplings(mode, alignCorners))
            Assert.True(GradCheck.Check(t => f(t[0]), [Input(1, 2, 2, 3, 4)]));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Interpolate_GradGradCheck(InterpolationMode mode, bool? alignCorners)
    {
        foreach (var f in Resamplings(mode, alignCorners))
            Assert.True(GradCheck.GradGradCheck(t => f(t[0]), [Input(2, 1, 2, 3, 4)]));
    }

    [Fact]
    public void Upsample_GradCheck()
    {
        var up = new Upsample(scaleFactor: 2, mode: InterpolationMode.Bilinear);
        Assert.True(GradCheck.Check(t => up.Forward(t[0]), [Input(3, 1, 2, 3, 3)]));
    }

    public sealed record Config(InterpolationMode Mode, bool? AlignCorners, int N, int C, int InH, int InW,
                                 int? OutH, int? OutW, double ScaleH, double ScaleW, bool? Recompute, int Seed)
    {
        public Tensor Apply(Tensor x) => OutH is { } h
            ? F.Interpolate(x, size: (h, OutW!.Value), mode: Mode, alignCorners: AlignCorners)
            : F.Interpolate(x, scaleFactor: (ScaleH, ScaleW), mode: Mode, alignCorners: AlignCorners, recomputeScaleFactor: Recompute);
    }

    private static Gen<Config> Configs(int maxIn, int maxOut) =>
        from mode in Gen.Elements(Enum.GetValues<InterpolationMode>())
        from ac in mode is InterpolationMode.Bilinear or InterpolationMode.Bicubic ? Gen.Elements<bool?>(false, true) : Gen.Constant<bool?>(null)
        from n in Gen.Choose(1, 2)
        from c in Gen.Choose(1, 2)
        from inH in Gen.Choose(1, maxIn)
        from inW in Gen.Choose(1, maxIn)
        from bySize in Gen.Elements(true, false)
        from outH in Gen.Choose(1, maxOut)
        from outW in Gen.Choose(1, maxOut)
        // Scales from 0.5 to 3 in steps of 0.05, keeping outputs non-empty.
        from sh in Gen.Choose(10, 60)
        from sw in Gen.Choose(10, 60)
        from recompute in Gen.Elements<bool?>(null, true)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Config(mode, ac, n, c, inH, inW, bySize ? outH : null, bySize ? outW : null,
                          Math.Max(sh / 20.0, 1.0 / inH), Math.Max(sw / 20.0, 1.0 / inW), recompute, seed);

    /// <summary>Configurations small enough for numerical gradients: inputs up to 4, outputs up to 6.</summary>
    public static class SmallConfigs
    {
        /// <summary>The profile's configurations.</summary>
        public static Arbitrary<Config> Configs() => InterpolateGradTests.Configs(4, 6).ToArbitrary();
    }

    /// <summary>Larger configurations for the adjoint identity: inputs up to 17, outputs up to 23.</summary>
    public static class LargeConfigs
    {
        /// <summary>The profile's configurations.</summary>
        public static Arbitrary<Config> Configs() => InterpolateGradTests.Configs(17, 23).ToArbitrary();
    }

    [Property(MaxTest = 60, Arbitrary = [typeof(SmallConfigs)])]
    public bool Interpolate_RandomConfigurations_PassGradCheck(Config cfg)
    {
        var x = Input(cfg.Seed, cfg.N, cfg.C, cfg.InH, cfg.InW);
        return GradCheck.Check(t => cfg.Apply(t[0]), [x]);
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(LargeConfigs)])]
    public bool Interpolate_RandomConfigurations_BackwardIsAdjointOfForward(Config cfg)
    {
        // ⟨R·x, g⟩ = ⟨x, Rᵀ·g⟩ for the forward R and the gradient Rᵀ, on larger shapes than GradCheck affords.
        var gen = new Generator(cfg.Seed);
        var x = Torch.Randn([cfg.N, cfg.C, cfg.InH, cfg.InW], gen, DType.Float64).RequiresGrad_();
        var y = cfg.Apply(x);
        var g = Torch.Randn(y.Shape, gen, DType.Float64);
        var gx = Torch.Grad(y, x, g);
        double lhs = (y * g).Sum().Item(), rhs = (x * gx).Sum().Item();
        return Math.Abs(lhs - rhs) <= 1e-10 * (1 + Math.Abs(lhs));
    }
}
