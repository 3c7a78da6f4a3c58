namespace MiniTorch;

/// <summary>
/// The geometry shared by convolution, transposed convolution and the weight gradient in every
/// spatial rank (1, 2 or 3): one pair of index maps, with fields named by role, not by op.
/// </summary>
/// <remarks>
/// The <b>big</b> side is the convolution's input and the transposed convolution's output,
/// [N, BigC, BigD, BigH, BigW]; the <b>small</b> side is the convolution's output and the
/// transposed convolution's input, [N, SmallC, SmallD, SmallH, SmallW]; the weight is
/// [SmallC, BigC/Groups, KD, KH, KW] (PyTorch's conv layout [out, in/g, k…] and, read the other way,
/// its transposed layout [in, out/g, k…]). Small position (od, oh, ow) and tap (a, i, j) touch big
/// position (od·SD − PD + a·DD, oh·SH − PH + i·DH, ow·SW − PW + j·DW); big positions outside the
/// big side are zeros. PD/PH/PW are the leading paddings; the trailing ones follow from the sizes,
/// so asymmetric 'same' paddings and Keras' transposed crops need no special case.
/// Lower ranks are the same memory with unit leading dimensions: rank 1 has D = H = 1 (KD = KH = 1),
/// rank 2 has D = 1, so every kernel reads one layout and 1-d runs on the 2-d routes with H = 1.
/// </remarks>
internal readonly record struct ConvGeometry
{
    /// <summary>Spatial rank of the op (1, 2 or 3): it only decides the tensor shapes.</summary>
    public int Rank { get; init; }
    public int N { get; init; }
    public int Groups { get; init; }
    public int BigC { get; init; }
    public int BigD { get; init; }
    public int BigH { get; init; }
    public int BigW { get; init; }
    public int SmallC { get; init; }
    public int SmallD { get; init; }
    public int SmallH { get; init; }
    public int SmallW { get; init; }
    public int KD { get; init; }
    public int KH { get; init; }
    public int KW { get; init; }
    public int SD { get; init; }
    public int SH { get; init; }
    public int SW { get; init; }
    public int PD { get; init; }
    public int PH { get; init; }
    public int PW { get; init; }
    public int DD { get; init; }
    public int DH { get; init; }
    public int DW { get; init; }

    /// <summary>A 2-d geometry (D = 1), in the order big, small, kernel, stride, padding, dilation.</summary>
    public static ConvGeometry Planar(int n, int bigC, int bigH, int bigW, int smallC, int smallH, int smallW,
                                      int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups) =>
        new()
        {
            Rank = 2, N = n, Groups = groups, BigC = bigC, BigD = 1, BigH = bigH, BigW = bigW,
            SmallC = smallC, SmallD = 1, SmallH = smallH, SmallW = smallW,
            KD = 1, KH = kh, KW = kw, SD = 1, SH = sh, SW = sw, PD = 0, PH = ph, PW = pw, DD = 1, DH = dh, DW = dw,
        };

    /// <summary>Big-side channels per group.</summary>
    public int BigCg => BigC / Groups;
    /// <summary>Small-side channels per group.</summary>
    public int SmallCg => SmallC / Groups;
    /// <summary>Elements of one big-side channel (BigD·BigH·BigW).</summary>
    public int BigPlane => BigD * BigH * BigW;
    /// <summary>Elements of one small-side channel (SmallD·SmallH·SmallW).</summary>
    public int SmallPlane => SmallD * SmallH * SmallW;
    /// <summary>Kernel taps per channel pair (KD·KH·KW).</summary>
    public int Taps => KD * KH * KW;

    /// <summary>
    /// No depth: D = 1 on both sides with a single unpadded depth tap, so the 2-d routes (which index
    /// [N, C, H, W]) compute exactly this geometry. True for every rank-1 and rank-2 geometry.
    /// </summary>
    public bool IsPlanar => BigD == 1 && SmallD == 1 && KD == 1 && PD == 0;

    /// <summary>
    /// The 1×1 case: one tap, unit stride, no padding, equal sizes, so the big side read as a
    /// [channels, pixels] matrix is the column matrix itself (no im2col, no phases).
    /// </summary>
    public bool IsPointwise => Taps == 1 && SD == 1 && SH == 1 && SW == 1 && PD == 0 && PH == 0 && PW == 0
                               && BigD == SmallD && BigH == SmallH && BigW == SmallW;

    /// <summary>The big side's shape: [N, BigC, spatial…] in the op's rank.</summary>
    public int[] BigShape => [N, BigC, .. Spatial(BigD, BigH, BigW)];
    /// <summary>The small side's shape: [N, SmallC, spatial…] in the op's rank.</summary>
    public int[] SmallShape => [N, SmallC, .. Spatial(SmallD, SmallH, SmallW)];
    /// <summary>The weight's shape: [SmallC, BigC/Groups, kernel…] in the op's rank.</summary>
    public int[] WeightShape => [SmallC, BigCg, .. Spatial(KD, KH, KW)];

    private int[] Spatial(int d, int h, int w) => Rank switch { 1 => [w], 2 => [h, w], _ => [d, h, w] };

    /// <summary>One line for messages and <c>Describe()</c>: big → small, kernel, stride, padding, dilation, groups.</summary>
    public override string ToString() =>
        $"big {Shape.Format(BigShape)}, small {Shape.Format(SmallShape)}, kernel {Shape.Format(Spatial(KD, KH, KW))}, " +
        $"stride {Shape.Format(Spatial(SD, SH, SW))}, padding {Shape.Format(Spatial(PD, PH, PW))}, dilation {Shape.Format(Spatial(DD, DH, DW))}, groups {Groups}";
}
