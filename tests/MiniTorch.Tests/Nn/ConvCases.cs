using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>A random, valid Conv2d configuration (and the ConvTranspose2d that is its adjoint).</summary>
public sealed record ConvCase(int N, int Groups, int CinG, int CoutG, int H, int W, int KH, int KW,
                              int SH, int SW, int PH, int PW, int DH, int DW, int Seed)
{
    public int Cin => Groups * CinG;
    public int Cout => Groups * CoutG;
    public int OH => Shape.ConvOutputSize(H, KH, SH, PH, DH);
    public int OW => Shape.ConvOutputSize(W, KW, SW, PW, DW);
    /// <summary>The outputPadding that makes ConvTranspose2d map [OH, OW] back to [H, W].</summary>
    public Size2 A => (Shape.ConvAdjointOutputPadding(H, KH, SH, PH, DH), Shape.ConvAdjointOutputPadding(W, KW, SW, PW, DW));
    public int[] XShape => [N, Cin, H, W];
    public int[] WShape => [Cout, CinG, KH, KW];
    public int[] YShape => [N, Cout, OH, OW];

    public Tensor Conv(Tensor x, Tensor w, Tensor? b = null) => F.Conv2d(x, w, b, (SH, SW), (PH, PW), (DH, DW), Groups);
    public Tensor Transpose(Tensor y, Tensor w, Tensor? b = null) => F.ConvTranspose2d(y, w, b, (SH, SW), (PH, PW), A, Groups, (DH, DW));

    /// <summary>
    /// Random configurations with sizes up to <paramref name="maxSize"/> (rows) and
    /// <paramref name="maxExtraW"/> (columns, default maxSize) beyond what the padded kernel
    /// requires, padding up to the effective kernel; channels per group in <paramref name="cinG"/> /
    /// <paramref name="coutG"/> (default 1 … maxChannels).
    /// </summary>
    public static Gen<ConvCase> Cases(int maxSize, int maxChannels = 3, int maxKernel = 4, int maxN = 2,
                                      (int Min, int Max)? cinG = null, (int Min, int Max)? coutG = null, int maxGroups = 3,
                                      int maxDilationH = 3, int maxDilationW = 3, int maxExtraW = -1) =>
        from n in Gen.Choose(1, maxN)
        from groups in Gen.Choose(1, maxGroups)
        from cin in Gen.Choose(cinG?.Min ?? 1, cinG?.Max ?? maxChannels)
        from cout in Gen.Choose(coutG?.Min ?? 1, coutG?.Max ?? maxChannels)
        from kh in Gen.Choose(1, maxKernel)
        from kw in Gen.Choose(1, maxKernel)
        from sh in Gen.Choose(1, 3)
        from sw in Gen.Choose(1, 3)
        from dh in Gen.Choose(1, maxDilationH)
        from dw in Gen.Choose(1, maxDilationW)
        from ph in Gen.Choose(0, dh * (kh - 1))
        from pw in Gen.Choose(0, dw * (kw - 1))
        from eh in Gen.Choose(0, maxSize)
        from ew in Gen.Choose(0, maxExtraW < 0 ? maxSize : maxExtraW)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new ConvCase(n, groups, cin, cout,
                            Math.Max(1, dh * (kh - 1) + 1 - 2 * ph) + eh, Math.Max(1, dw * (kw - 1) + 1 - 2 * pw) + ew,
                            kh, kw, sh, sw, ph, pw, dh, dw, seed);

    public static Tensor Randn(int[] shape, Generator g, DType dtype = DType.Float64) => Torch.Randn(shape, g, dtype);
}

/// <summary>
/// FsCheck Arbitrary classes of <see cref="ConvCase"/> profiles: <see cref="UpTo7"/> is the assembly's
/// default; a property names another with <c>[Property(Arbitrary = [typeof(ConvArbitraries.Small)])]</c>.
/// </summary>
public static class ConvArbitraries
{
    /// <summary>Sizes up to 7 beyond the padded kernel, 1–3 channels per group, kernels up to 4, any stride, dilation and groups up to 3.</summary>
    public static class UpTo7
    {
        /// <summary>The profile's cases.</summary>
        public static Arbitrary<ConvCase> Cases() => ConvCase.Cases(maxSize: 7).ToArbitrary();
    }

    /// <summary>As <see cref="UpTo7"/> with sizes up to 6.</summary>
    public static class UpTo6
    {
        /// <summary>The profile's cases.</summary>
        public static Arbitrary<ConvCase> Cases() => ConvCase.Cases(maxSize: 6).ToArbitrary();
    }

    /// <summary>Small enough for numerical (second) derivatives: sizes up to 3, 1–2 channels per group, kernels up to 3.</summary>
    public static class Small
    {
        /// <summary>The profile's cases.</summary>
        public static Arbitrary<ConvCase> Cases() => ConvCase.Cases(maxSize: 3, maxChannels: 2, maxKernel: 3, maxN: 2).ToArbitrary();
    }
}
