using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>
/// The seed notebooks' golden values (issue 3): the scatter view, ones inputs, the Keras and d2l
/// examples. Small integers are exact in float32 (every partial sum is an integer below 2²⁴), so
/// those are compared exactly; the scatter case has decimal weights and gets a float32 tolerance
/// (and is repeated in float64, where the only error is the decimal weights' representation).
/// </summary>
public class ConvGoldenSeedTests
{
    private static Tensor T(double[,] v, DType dtype = DType.Float32)
    {
        int h = v.GetLength(0), w = v.GetLength(1);
        var flat = new double[h * w];
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) flat[i * w + j] = v[i, j];
        return Torch.FromArray(flat, 1, 1, h, w).To(dtype);
    }

    private static double[,] Plane(Tensor t, int n = 0, int c = 0)
    {
        int h = t.Size(2), w = t.Size(3);
        var all = t.ToDoubleArray();
        var r = new double[h, w];
        int off = (n * t.Size(1) + c) * h * w;
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) r[i, j] = all[off + i * w + j];
        return r;
    }

    private static void AssertExact(double[,] expected, Tensor actual, int c = 0)
    {
        Assert.Equal(expected.GetLength(0), actual.Size(2));
        Assert.Equal(expected.GetLength(1), actual.Size(3));
        Assert.Equal(expected, Plane(actual, 0, c));
    }

    private static void AssertClose(double[,] expected, double[,] actual, double tol)
    {
        Assert.Equal(expected.GetLength(0), actual.GetLength(0));
        Assert.Equal(expected.GetLength(1), actual.GetLength(1));
        for (int i = 0; i < expected.GetLength(0); i++)
            for (int j = 0; j < expected.GetLength(1); j++)
                Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= tol,
                    $"[{i},{j}]: expected {expected[i, j]}, got {actual[i, j]:R} (tolerance {tol})");
    }

    private static double[,] Outer(double[] a) => Outer(a, a);

    private static double[,] Outer(double[] a, double[] b)
    {
        var r = new double[a.Length, b.Length];
        for (int i = 0; i < a.Length; i++) for (int j = 0; j < b.Length; j++) r[i, j] = a[i] * b[j];
        return r;
    }

    // ---------- Scatter view ----------

    private static readonly double[,] ScatterChannel0 =
    {
        { 0.1, 0.4, 1.0, 1.6, 1.7, 1.2 },
        { 0.9, 2.9, 6.2, 8.3, 7.5, 4.8 },
        { 2.9, 7.7, 14.6, 16.7, 13.9, 8.4 },
        { 4.9, 12.5, 23.0, 25.1, 20.3, 12.0 },
        { 5.2, 12.1, 20.8, 22.3, 17.0, 9.6 },
    };

    private static readonly double[] ScatterChannel1Row0 = [1.7, 5.2, 10.6, 11.2, 9.7, 6.0];

    [Fact]
    public void ConvTranspose2d_ScatterView_Module_MatchesSeed()
    {
        // ConvTranspose2d(1, 3, 4, 1, 0, bias: false): each input element scales the 4×4 kernel,
        // the copies are summed. Every output is a ≤16-term float32 sum of magnitude ≤ 26, so
        // rounding stays below 16·2⁻²⁴·26 ≈ 2.5e-5, plus the float32 representation error of the
        // decimal weights (≤ 2.4e-7 relative, ≤ 6e-6 here): 1e-4 is a safe, tight tolerance.
        var m = new ConvTranspose2d(1, 3, 4, 1, 0, bias: false);
        Assert.Null(m.Bias);
        Assert.Equal(new[] { 1, 3, 4, 4 }, m.Weight.Shape);
        m.Weight.CopyFrom(Torch.Linspace(0.1, 4.8, 48).View(1, 3, 4, 4));
        var x = T(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var y = m.Forward(x);
        Assert.Equal(new[] { 1, 3, 5, 6 }, y.Shape);
        AssertClose(ScatterChannel0, Plane(y, 0, 0), 1e-4);
        var ch1 = Plane(y, 0, 1);
        for (int j = 0; j < 6; j++) Assert.True(Math.Abs(ScatterChannel1Row0[j] - ch1[0, j]) <= 1e-4, $"channel 1 [0,{j}] = {ch1[0, j]}");
    }

    [Fact]
    public void ConvTranspose2d_ScatterView_Float64_MatchesSeed()
    {
        // In float64 the only error is that of the decimals 0.1 … 4.8 themselves (~1e-16 relative).
        var w = Torch.Linspace(0.1, 4.8, 48, DType.Float64).View(1, 3, 4, 4);
        var x = T(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }, DType.Float64);
        var y = F.ConvTranspose2d(x, w, stride: 1, padding: 0);
        Assert.Equal(new[] { 1, 3, 5, 6 }, y.Shape);
        AssertClose(ScatterChannel0, Plane(y, 0, 0), 1e-12);
        var ch1 = Plane(y, 0, 1);
        for (int j = 0; j < 6; j++) Assert.True(Math.Abs(ScatterChannel1Row0[j] - ch1[0, j]) <= 1e-12);
    }

    // ---------- Ones input, ones weights (4×4) ----------

    private static Tensor Ones4 => Torch.Ones(1, 1, 4, 4);
    private static Tensor OnesK(int k) => Torch.Ones(1, 1, k, k);

    [Fact]
    public void Conv2d_OnesK3Padding1_MatchesSeed()
    {
        var y = F.Conv2d(Ones4, OnesK(3), padding: new Padding2d(1, 1));
        AssertExact(new double[,] { { 4, 6, 6, 4 }, { 6, 9, 9, 6 }, { 6, 9, 9, 6 }, { 4, 6, 6, 4 } }, y);
    }

    [Fact]
    public void Conv2d_OnesK3Padding2_MatchesSeed()
    {
        var y = F.Conv2d(Ones4, OnesK(3), padding: new Padding2d(2, 2));
        Assert.Equal(new[] { 1, 1, 6, 6 }, y.Shape);
        Assert.Equal(new double[] { 3, 6, 9, 9, 6, 3 }, Enumerable.Range(0, 6).Select(j => Plane(y)[2, j]));
        // The whole map: each output counts the ones under the window, per axis 1,2,3,3,2,1.
        AssertExact(Outer([1, 2, 3, 3, 2, 1]), y);
    }

    [Fact]
    public void ConvTranspose2d_OnesK2Stride1Padding0_MatchesSeed()
    {
        var y = F.ConvTranspose2d(Ones4, OnesK(2), stride: 1, padding: 0);
        Assert.Equal(new[] { 1, 1, 5, 5 }, y.Shape);
        Assert.Equal(new double[] { 1, 2, 2, 2, 1 }, Enumerable.Range(0, 5).Select(j => Plane(y)[0, j]));
        Assert.Equal(new double[] { 2, 4, 4, 4, 2 }, Enumerable.Range(0, 5).Select(j => Plane(y)[1, j]));
        AssertExact(Outer([1, 2, 2, 2, 1]), y);
    }

    [Fact]
    public void ConvTranspose2d_OnesK2Padding1_MatchesSeed()
    {
        var y = F.ConvTranspose2d(Ones4, OnesK(2), padding: 1);
        AssertExact(new double[,] { { 4, 4, 4 }, { 4, 4, 4 }, { 4, 4, 4 } }, y);
    }

    [Fact]
    public void ConvTranspose2d_OnesK3Padding2_MatchesSeed()
    {
        var y = F.ConvTranspose2d(Ones4, OnesK(3), padding: 2);
        AssertExact(new double[,] { { 9, 9 }, { 9, 9 } }, y);
    }

    [Fact]
    public void ConvTranspose2d_OnesK3Stride2Padding2_MatchesSeed()
    {
        var y = F.ConvTranspose2d(Ones4, OnesK(3), stride: 2, padding: 2);
        AssertExact(new double[,]
        {
            { 4, 2, 4, 2, 4 }, { 2, 1, 2, 1, 2 }, { 4, 2, 4, 2, 4 }, { 2, 1, 2, 1, 2 }, { 4, 2, 4, 2, 4 },
        }, y);
    }

    // ---------- Keras ----------

    private static readonly double[,] KerasX = { { 3, 5, 2, 7 }, { 4, 1, 3, 8 }, { 6, 3, 8, 2 }, { 9, 6, 1, 5 } };
    private static readonly double[,] KerasK = { { 1, 2, 1 }, { 2, 1, 2 }, { 1, 1, 2 } };
    private static readonly double[,] KerasY = { { 55, 52 }, { 57, 50 } };

    /// <summary>The 3×3 kernel as a Keras Conv2DTranspose user holds it: (kh, kw, out, in), converted.</summary>
    private static Tensor KerasTransposeKernel()
    {
        var keras = T(KerasK).View(3, 3, 1, 1);
        var w = KerasInterop.ConvTransposeKernel(keras);
        Assert.Equal(new[] { 1, 1, 3, 3 }, w.Shape);
        return w;
    }

    [Fact]
    public void Conv2d_KerasValid_MatchesSeed()
    {
        // Keras Conv2D and PyTorch both compute cross-correlation: the Keras (kh, kw, in, out)
        // kernel only changes axes.
        var w = KerasInterop.Conv2dKernel(T(KerasK).View(3, 3, 1, 1));
        Assert.Equal(new[] { 1, 1, 3, 3 }, w.Shape);
        var y = F.Conv2d(T(KerasX), w, padding: Padding2d.Valid);
        AssertExact(KerasY, y);
    }

    [Fact]
    public void ConvTranspose2d_KerasValidStride1_MatchesSeed()
    {
        var y = F.ConvTranspose2d(T(KerasY), KerasTransposeKernel(), stride: 1, padding: Padding2d.Valid);
        AssertExact(new double[,]
        {
            { 55, 162, 159, 52 }, { 167, 323, 319, 154 }, { 169, 264, 326, 204 }, { 57, 107, 164, 100 },
        }, y);
    }

    [Fact]
    public void ConvTranspose2d_KerasValidStride2_MatchesSeed()
    {
        // 'valid': (i − 1)·s + max(k, s) = 1·2 + 3 = 5.
        var y = F.ConvTranspose2d(T(KerasY), KerasTransposeKernel(), stride: 2, padding: Padding2d.Valid);
        AssertExact(new double[,]
        {
            { 55, 110, 107, 104, 52 }, { 110, 55, 214, 52, 104 }, { 112, 169, 269, 152, 154 },
            { 114, 57, 214, 50, 100 }, { 57, 57, 164, 50, 100 },
        }, y);
    }

    [Fact]
    public void ConvTranspose2d_KerasSameStride1_MatchesSeed()
    {
        // 'same': output = input·stride = 2; the centre of the 4×4 'valid' result.
        var y = F.ConvTranspose2d(T(KerasY), KerasTransposeKernel(), stride: 1, padding: Padding2d.Same);
        AssertExact(new double[,] { { 323, 319 }, { 264, 326 } }, y);
    }

    [Fact]
    public void KerasInterop_ConvTransposeKernel_MovesAxesWithoutFlipping()
    {
        // Keras Conv2DTranspose kernel (kh, kw, out, in) → MiniTorch [in, out, kh, kw]: element
        // [i, o, h, w] is Keras' [h, w, o, i], no spatial flip.
        var keras = Torch.Arange(2 * 3 * 4 * 5, DType.Float64).View(2, 3, 4, 5);
        var w = KerasInterop.ConvTransposeKernel(keras);
        Assert.Equal(new[] { 5, 4, 2, 3 }, w.Shape);
        var k = keras.ToDoubleArray();
        var m = w.ToDoubleArray();
        for (int i = 0; i < 5; i++) for (int o = 0; o < 4; o++) for (int h = 0; h < 2; h++) for (int x = 0; x < 3; x++)
            Assert.Equal(k[((h * 3 + x) * 4 + o) * 5 + i], m[((i * 4 + o) * 2 + h) * 3 + x]);
    }

    [Fact]
    public void KerasInterop_Conv2dKernel_MovesAxesWithoutFlipping()
    {
        // Keras Conv2D kernel (kh, kw, in, out) → MiniTorch [out, in, kh, kw].
        var keras = Torch.Arange(2 * 3 * 4 * 5, DType.Float64).View(2, 3, 4, 5);
        var w = KerasInterop.Conv2dKernel(keras);
        Assert.Equal(new[] { 5, 4, 2, 3 }, w.Shape);
        var k = keras.ToDoubleArray();
        var m = w.ToDoubleArray();
        for (int o = 0; o < 5; o++) for (int i = 0; i < 4; i++) for (int h = 0; h < 2; h++) for (int x = 0; x < 3; x++)
            Assert.Equal(k[((h * 3 + x) * 4 + i) * 5 + o], m[((o * 4 + i) * 2 + h) * 3 + x]);
    }

    // ---------- d2l ----------

    private static readonly double[,] D2l = { { 0, 1 }, { 2, 3 } };

    [Fact]
    public void ConvTranspose2d_D2lK2_MatchesSeed()
    {
        var y = F.ConvTranspose2d(T(D2l), T(D2l));
        AssertExact(new double[,] { { 0, 0, 1 }, { 0, 4, 6 }, { 4, 12, 9 } }, y);
    }

    [Fact]
    public void ConvTranspose2d_D2lK2Padding1_MatchesSeed()
    {
        var y = F.ConvTranspose2d(T(D2l), T(D2l), padding: 1);
        AssertExact(new double[,] { { 4 } }, y);
    }

    [Fact]
    public void ConvTranspose2d_D2lK2Stride3_MatchesSeed()
    {
        var y = F.ConvTranspose2d(T(D2l), T(D2l), stride: 3);
        AssertExact(new double[,]
        {
            { 0, 0, 0, 0, 1 }, { 0, 0, 0, 2, 3 }, { 0, 0, 0, 0, 0 }, { 0, 2, 0, 0, 3 }, { 4, 6, 0, 6, 9 },
        }, y);
    }
}
