using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Teaching;

/// <summary>
/// A random, valid ConvTranspose2d configuration in the transposed op's own terms: input
/// [N, C_in, H, W], weight [C_in, C_out/groups, kH, kW]. Padding goes up to d(k−1) + 2 so the
/// zero-insertion view's negative padding (a crop) is exercised too.
/// </summary>
public sealed record TransposedCase(int N, int Groups, int CinG, int CoutG, int H, int W, int KH, int KW,
                                    int SH, int SW, int PH, int PW, int OPH, int OPW, int DH, int DW, int Seed)
{
    public int Cin => Groups * CinG;
    public int Cout => Groups * CoutG;
    public int OH => Shape.ConvTransposeOutputSize(H, KH, SH, PH, OPH, DH);
    public int OW => Shape.ConvTransposeOutputSize(W, KW, SW, PW, OPW, DW);
    public int[] XShape => [N, Cin, H, W];
    public int[] WShape => [Cin, CoutG, KH, KW];
    public Size2 Stride => (SH, SW);
    public Size2 Padding => (PH, PW);
    public Size2 OutputPadding => (OPH, OPW);
    public Size2 Dilation => (DH, DW);

    /// <summary>The fast op on this configuration.</summary>
    public Tensor Reference(Tensor x, Tensor w) => F.ConvTranspose2d(x, w, null, Stride, Padding, OutputPadding, Groups, Dilation);

    /// <summary>Random float64 input and weight for this case.</summary>
    public (Tensor X, Tensor W) Operands()
    {
        var g = new Generator(Seed);
        return (Torch.Randn(XShape, g, DType.Float64), Torch.Randn(WShape, g, DType.Float64));
    }

    public static Gen<TransposedCase> Cases(int maxSize = 4, int maxChannels = 3, int maxKernel = 4) =>
        (from n in Gen.Choose(1, 2)
         from groups in Gen.Choose(1, 3)
         from cin in Gen.Choose(1, maxChannels)
         from cout in Gen.Choose(1, maxChannels)
         from h in Gen.Choose(1, maxSize)
         from w in Gen.Choose(1, maxSize)
         from kh in Gen.Choose(1, maxKernel)
         from kw in Gen.Choose(1, maxKernel)
         from sh in Gen.Choose(1, 3)
         from sw in Gen.Choose(1, 3)
         from dh in Gen.Choose(1, 3)
         from dw in Gen.Choose(1, 3)
         from ph in Gen.Choose(0, dh * (kh - 1) + 2)
         from pw in Gen.Choose(0, dw * (kw - 1) + 2)
         from oph in Gen.Choose(0, Math.Max(sh, dh) - 1)
         from opw in Gen.Choose(0, Math.Max(sw, dw) - 1)
         from seed in Gen.Choose(0, int.MaxValue - 1)
         select new TransposedCase(n, groups, cin, cout, h, w, kh, kw, sh, sw, ph, pw, oph, opw, dh, dw, seed))
        .Where(c => c.OH > 0 && c.OW > 0);

    /// <summary>The assembly's default FsCheck Arbitrary for <see cref="TransposedCase"/>: <see cref="Cases"/> with its defaults.</summary>
    public static class Arbitraries
    {
        /// <summary>Random valid configurations.</summary>
        public static Arbitrary<TransposedCase> Cases() => TransposedCase.Cases().ToArbitrary();
    }

    /// <summary>Asserts equal shapes and every element within 1e-12.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var (e, a) = (expected.ToDoubleArray(), actual.ToDoubleArray());
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-12, $"{what}: element {i} is {a[i]:R}, expected {e[i]:R}");
    }
}
