using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Nn;

namespace MiniTorch.Tests.IO;

/// <summary>
/// One random configuration of an exportable module: the table row, the configuration in words
/// (printed on failure), how to build the module (float32, weights from <see cref="Seed"/>) and the
/// input's shape.
/// </summary>
public sealed record OnnxModuleCase(string Row, string Config, Func<Module> Build, int[] InputShape, int Seed)
{
    /// <summary>A random input of <see cref="InputShape"/>, uniform in [−2, 2].</summary>
    public Tensor Input() => Torch.Uniform(InputShape, -2, 2, new Generator(Seed + 1));

    /// <inheritdoc />
    public override string ToString() => $"{Row} {Config} on input {Shape.Format(InputShape)} (seed {Seed})";
}

/// <summary>One configuration of every row of <see cref="OnnxModuleTable"/>, drawn together.</summary>
public sealed record OnnxModuleCases(OnnxModuleCase[] Cases)
{
    /// <inheritdoc />
    public override string ToString() => string.Join(Environment.NewLine, Cases.Select(c => c.ToString()));
}

/// <summary>
/// The table of exportable modules for the ONNX Runtime tests: one row per module, each a generator
/// of random configurations that covers every parameter the exporter maps. To check a newly
/// exportable module, add a row.
/// </summary>
public static class OnnxModuleTable
{
    /// <summary>The rows, by module name.</summary>
    public static readonly (string Name, Gen<OnnxModuleCase> Cases)[] Rows =
    [
        ("Conv2d", Conv2dCases),
        ("ConvTranspose2d", ConvTranspose2dCases),
        ("Conv1d", ConvNdCases(1)),
        ("Conv3d", ConvNdCases(3)),
        ("ConvTranspose1d", ConvTransposeNdCases(1)),
        ("ConvTranspose3d", ConvTransposeNdCases(3)),
        ("BatchNorm2d", BatchNorm2dCases),
        ("ReLU", Activation("ReLU", _ => new ReLU())),
        ("LeakyReLU", Gen.Choose(-50, 200).SelectMany(s => Activation($"LeakyReLU({s / 100.0})", _ => new LeakyReLU(s / 100.0)))),
        ("PReLU", PReLUCases),
        ("Tanh", Activation("Tanh", _ => new Tanh())),
        ("Sigmoid", Activation("Sigmoid", _ => new Sigmoid())),
        ("Upsample", UpsampleCases),
        ("ZeroPad2d", ZeroPad2dCases),
        ("Linear", LinearCases),
        ("Flatten", FlattenCases),
        ("Dropout", Activation("Dropout(0.5) in eval mode", _ => new Dropout(0.5))),
    ];

    /// <summary>The FsCheck Arbitrary that draws one configuration of every row.</summary>
    public static class Arbitraries
    {
        /// <summary>One case per row, in table order.</summary>
        public static Arbitrary<OnnxModuleCases> Cases() =>
            Rows.Aggregate(Gen.Constant(Array.Empty<OnnxModuleCase>()),
                           (all, row) => all.SelectMany(done => row.Cases.Select(c => (OnnxModuleCase[])[.. done, c])))
                .Select(cases => new OnnxModuleCases(cases)).ToArbitrary();
    }

    private static Gen<int> Seeds => Gen.Choose(0, int.MaxValue - 2);

    private static Gen<bool> Bools => Gen.Elements(true, false);

    private static string Pair(int h, int w) => h == w ? $"{h}" : $"({h}, {w})";

    /// <summary>Zeros, reflect or replicate padding; explicit, 'same' (stride 1) or 'valid'; any groups, dilation, stride, bias.</summary>
    private static Gen<OnnxModuleCase> Conv2dCases =>
        from n in Gen.Choose(1, 2)
        from groups in Gen.Choose(1, 3)
        from cinG in Gen.Choose(1, 3)
        from coutG in Gen.Choose(1, 3)
        from kh in Gen.Choose(1, 4)
        from kw in Gen.Choose(1, 4)
        from dh in Gen.Choose(1, 3)
        from dw in Gen.Choose(1, 3)
        from kind in Gen.Elements("explicit", "explicit", "same", "valid")
        from sh in kind == "same" ? Gen.Constant(1) : Gen.Choose(1, 3)
        from sw in kind == "same" ? Gen.Constant(1) : Gen.Choose(1, 3)
        from ph in Gen.Choose(0, Math.Min(dh * (kh - 1), 3))
        from pw in Gen.Choose(0, Math.Min(dw * (kw - 1), 3))
        from mode in Gen.Elements(PaddingMode.Zeros, PaddingMode.Reflect, PaddingMode.Replicate)
        from bias in Bools
        from eh in Gen.Choose(0, 5)
        from ew in Gen.Choose(0, 5)
        from seed in Seeds
        let padding = kind switch { "same" => Padding2d.Same, "valid" => Padding2d.Valid, _ => new Padding2d(ph, pw) }
        // Tall enough for the dilated kernel (so every padding kind gives a non-empty output) and for reflect padding.
        let h = dh * (kh - 1) + 1 + eh
        let w = dw * (kw - 1) + 1 + ew
        select new OnnxModuleCase("Conv2d",
            $"({groups * cinG}, {groups * coutG}, kernel {Pair(kh, kw)}, stride {Pair(sh, sw)}, padding {padding}, dilation {Pair(dh, dw)}, groups {groups}, bias {bias}, {mode})",
            () => new Conv2d(groups * cinG, groups * coutG, (kh, kw), (sh, sw), padding, (dh, dw), groups, bias, mode, new Generator(seed)),
            [n, groups * cinG, h, w], seed);

    /// <summary>Any groups, dilation, stride and output padding (below stride or dilation), explicit, 'same' or 'valid' padding, bias.</summary>
    private static Gen<OnnxModuleCase> ConvTranspose2dCases =>
        (from n in Gen.Choose(1, 2)
         from groups in Gen.Choose(1, 3)
         from cinG in Gen.Choose(1, 3)
         from coutG in Gen.Choose(1, 3)
         from kh in Gen.Choose(1, 4)
         from kw in Gen.Choose(1, 4)
         from sh in Gen.Choose(1, 3)
         from sw in Gen.Choose(1, 3)
         from dh in Gen.Choose(1, 3)
         from dw in Gen.Choose(1, 3)
         from kind in Gen.Elements("explicit", "explicit", "explicit", "same", "valid")
         from ph in Gen.Choose(0, dh * (kh - 1) + 1)
         from pw in Gen.Choose(0, dw * (kw - 1) + 1)
         from oph in kind == "explicit" ? Gen.Choose(0, Math.Max(sh, dh) - 1) : Gen.Constant(0)
         from opw in kind == "explicit" ? Gen.Choose(0, Math.Max(sw, dw) - 1) : Gen.Constant(0)
         from bias in Bools
         from h in Gen.Choose(1, 5)
         from w in Gen.Choose(1, 5)
         from seed in Seeds
         let padding = kind switch { "same" => Padding2d.Same, "valid" => Padding2d.Valid, _ => new Padding2d(ph, pw) }
         where kind != "explicit" || (Shape.ConvTransposeOutputSize(h, kh, sh, ph, oph, dh) >= 1 && Shape.ConvTransposeOutputSize(w, kw, sw, pw, opw, dw) >= 1)
         select new OnnxModuleCase("ConvTranspose2d",
             $"({groups * cinG}, {groups * coutG}, kernel {Pair(kh, kw)}, stride {Pair(sh, sw)}, padding {padding}, outputPadding {Pair(oph, opw)}, groups {groups}, bias {bias}, dilation {Pair(dh, dw)})",
             () => new ConvTranspose2d(groups * cinG, groups * coutG, (kh, kw), (sh, sw), padding, (oph, opw), groups, bias, (dh, dw), generator: new Generator(seed)),
             [n, groups * cinG, h, w], seed));

    private static string Dims(int[] values) => values.Length == 1 ? $"{values[0]}" : $"({string.Join(", ", values)})";

    /// <summary>Conv1d / Conv3d (smaller sizes): zeros, reflect or replicate padding; explicit, 'same' (stride 1) or 'valid'; groups, dilation, stride, bias.</summary>
    private static Gen<OnnxModuleCase> ConvNdCases(int rank) =>
        from n in Gen.Choose(1, 2)
        from groups in Gen.Choose(1, 2)
        from cinG in Gen.Choose(1, 2)
        from coutG in Gen.Choose(1, 3)
        from k in Gen.ArrayOf(Gen.Choose(1, rank == 1 ? 5 : 3), rank)
        from d in Gen.ArrayOf(Gen.Choose(1, 2), rank)
        from kind in Gen.Elements("explicit", "explicit", "same", "valid")
        from s in kind == "same" ? Gen.Constant(Enumerable.Repeat(1, rank).ToArray()) : Gen.ArrayOf(Gen.Choose(1, 3), rank)
        from padDraw in Gen.ArrayOf(Gen.Choose(0, 3), rank)
        from mode in Gen.Elements(PaddingMode.Zeros, PaddingMode.Reflect, PaddingMode.Replicate)
        from bias in Bools
        from extra in Gen.ArrayOf(Gen.Choose(0, rank == 1 ? 6 : 2), rank)
        from seed in Seeds
        let p = padDraw.Select((v, i) => Math.Min(v, d[i] * (k[i] - 1))).ToArray()
        // Long enough for the dilated kernel (every padding kind gives a non-empty output) and for reflect padding.
        let size = k.Select((v, i) => d[i] * (v - 1) + 1 + extra[i]).ToArray()
        let cin = groups * cinG
        let cout = groups * coutG
        select new OnnxModuleCase($"Conv{rank}d",
            $"({cin}, {cout}, kernel {Dims(k)}, stride {Dims(s)}, padding {(kind == "explicit" ? Dims(p) : $"'{kind}'")}, dilation {Dims(d)}, groups {groups}, bias {bias}, {mode})",
            () => rank == 1
                ? new Conv1d(cin, cout, k[0], s[0], kind switch { "same" => Padding1d.Same, "valid" => Padding1d.Valid, _ => p[0] }, d[0], groups, bias, mode, new Generator(seed))
                : new Conv3d(cin, cout, (k[0], k[1], k[2]), (s[0], s[1], s[2]), kind switch { "same" => Padding3d.Same, "valid" => Padding3d.Valid, _ => (p[0], p[1], p[2]) },
                             (d[0], d[1], d[2]), groups, bias, mode, new Generator(seed)),
            [n, cin, .. size], seed);

    /// <summary>ConvTranspose1d / ConvTranspose3d: groups, dilation, stride, output padding below stride or dilation, explicit, 'same' or 'valid', bias.</summary>
    private static Gen<OnnxModuleCase> ConvTransposeNdCases(int rank) =>
        (from n in Gen.Choose(1, 2)
         from groups in Gen.Choose(1, 2)
         from cinG in Gen.Choose(1, 2)
         from coutG in Gen.Choose(1, 3)
         from k in Gen.ArrayOf(Gen.Choose(1, rank == 1 ? 5 : 3), rank)
         from s in Gen.ArrayOf(Gen.Choose(1, 3), rank)
         from d in Gen.ArrayOf(Gen.Choose(1, 3), rank)
         from kind in Gen.Elements("explicit", "explicit", "explicit", "same", "valid")
         from padDraw in Gen.ArrayOf(Gen.Choose(0, 4), rank)
         from opDraw in Gen.ArrayOf(Gen.Choose(0, 2), rank)
         from bias in Bools
         from size in Gen.ArrayOf(Gen.Choose(1, rank == 1 ? 6 : 3), rank)
         from seed in Seeds
         let p = padDraw.Select((v, i) => Math.Min(v, d[i] * (k[i] - 1) + 1)).ToArray()
         let op = opDraw.Select((v, i) => kind == "explicit" ? Math.Min(v, Math.Max(s[i], d[i]) - 1) : 0).ToArray()
         where kind != "explicit" || Enumerable.Range(0, rank).All(i => Shape.ConvTransposeOutputSize(size[i], k[i], s[i], p[i], op[i], d[i]) >= 1)
         let cin = groups * cinG
         let cout = groups * coutG
         select new OnnxModuleCase($"ConvTranspose{rank}d",
             $"({cin}, {cout}, kernel {Dims(k)}, stride {Dims(s)}, padding {(kind == "explicit" ? Dims(p) : $"'{kind}'")}, outputPadding {Dims(op)}, groups {groups}, bias {bias}, dilation {Dims(d)})",
             () => rank == 1
                 ? new ConvTranspose1d(cin, cout, k[0], s[0], kind switch { "same" => Padding1d.Same, "valid" => Padding1d.Valid, _ => p[0] }, op[0], groups, bias, d[0], generator: new Generator(seed))
                 : new ConvTranspose3d(cin, cout, (k[0], k[1], k[2]), (s[0], s[1], s[2]), kind switch { "same" => Padding3d.Same, "valid" => Padding3d.Valid, _ => (p[0], p[1], p[2]) },
                                       (op[0], op[1], op[2]), groups, bias, (d[0], d[1], d[2]), generator: new Generator(seed)),
             [n, cin, .. size], seed));

    /// <summary>Random running statistics, eps, with or without affine parameters.</summary>
    private static Gen<OnnxModuleCase> BatchNorm2dCases =>
        from n in Gen.Choose(1, 3)
        from c in Gen.Choose(1, 5)
        from h in Gen.Choose(1, 5)
        from w in Gen.Choose(1, 5)
        from eps in Gen.Elements(1e-5, 1e-3, 0.1)
        from affine in Bools
        from seed in Seeds
        select new OnnxModuleCase("BatchNorm2d", $"({c}, eps {eps}, affine {affine})", () =>
        {
            var g = new Generator(seed);
            var bn = new BatchNorm2d(c, eps, affine: affine);
            using var noGrad = Torch.NoGrad();   // writing parameters in place
            bn.RunningMean!.CopyFrom(Torch.Uniform([c], -1, 1, g));
            bn.RunningVar!.CopyFrom(Torch.Uniform([c], 0.1, 3, g));
            bn.Weight?.CopyFrom(Torch.Uniform([c], -2, 2, g));
            bn.Bias?.CopyFrom(Torch.Uniform([c], -1, 1, g));
            return bn;
        }, [n, c, h, w], seed);

    /// <summary>Inputs of rank 2 or 4 for an element-wise module.</summary>
    private static Gen<int[]> ActivationShapes =>
        from rank4 in Bools
        from n in Gen.Choose(1, 3)
        from c in Gen.Choose(1, 5)
        from h in Gen.Choose(1, 5)
        from w in Gen.Choose(1, 5)
        select rank4 ? new[] { n, c, h, w } : [n, c];

    private static Gen<OnnxModuleCase> Activation(string config, Func<int[], Module> build) =>
        from shape in ActivationShapes
        from seed in Seeds
        select new OnnxModuleCase(config.Split('(')[0], config, () => build(shape), shape, seed);

    /// <summary>One slope or one per channel, random slopes (negative too), on rank-2 and rank-4 inputs.</summary>
    private static Gen<OnnxModuleCase> PReLUCases =>
        from shape in ActivationShapes
        from perChannel in Bools
        from seed in Seeds
        let count = perChannel ? shape[1] : 1
        select new OnnxModuleCase("PReLU", $"({count})", () =>
        {
            var m = new PReLU(count);
            using (Torch.NoGrad()) m.Weight.CopyFrom(Torch.Uniform([count], -1, 1, new Generator(seed)));
            return m;
        }, shape, seed);

    /// <summary>
    /// Every exportable mode (nearest, nearest-exact, bilinear, bicubic), with and without
    /// alignCorners, to a size or by a scale factor (used as given or recomputed from the size).
    /// </summary>
    private static Gen<OnnxModuleCase> UpsampleCases =>
        from mode in Gen.Elements(InterpolationMode.Nearest, InterpolationMode.NearestExact, InterpolationMode.Bilinear, InterpolationMode.Bicubic)
        from alignCorners in mode is InterpolationMode.Bilinear or InterpolationMode.Bicubic ? Gen.Elements<bool?>(null, false, true) : Gen.Constant<bool?>(null)
        from bySize in Bools
        from oh in Gen.Choose(1, 12)
        from ow in Gen.Choose(1, 12)
        from scale in Gen.Elements(0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0)
        from recompute in Gen.Elements<bool?>(null, true)
        from n in Gen.Choose(1, 2)
        from c in Gen.Choose(1, 3)
        from h in Gen.Choose(1, 6)
        from w in Gen.Choose(1, 6)
        from seed in Seeds
        where bySize || (Math.Floor(h * scale) >= 1 && Math.Floor(w * scale) >= 1)
        select new OnnxModuleCase("Upsample",
            bySize ? $"(size {Pair(oh, ow)}, {mode}, alignCorners {alignCorners})" : $"(scaleFactor {scale}, {mode}, alignCorners {alignCorners}, recomputeScaleFactor {recompute})",
            () => bySize ? new Upsample(size: (oh, ow), mode: mode, alignCorners: alignCorners)
                         : new Upsample(scaleFactor: scale, mode: mode, alignCorners: alignCorners, recomputeScaleFactor: recompute),
            [n, c, h, w], seed);

    private static Gen<OnnxModuleCase> ZeroPad2dCases =>
        from left in Gen.Choose(0, 3)
        from right in Gen.Choose(0, 3)
        from top in Gen.Choose(0, 3)
        from bottom in Gen.Choose(0, 3)
        from shape in ActivationShapes.Where(s => s.Length == 4)
        from seed in Seeds
        select new OnnxModuleCase("ZeroPad2d", $"(({left}, {right}, {top}, {bottom}))", () => new ZeroPad2d((left, right, top, bottom)), shape, seed);

    /// <summary>Rank-2 input (Gemm) and rank-3/4 input (MatMul + Add), with and without bias.</summary>
    private static Gen<OnnxModuleCase> LinearCases =>
        from inF in Gen.Choose(1, 6)
        from outF in Gen.Choose(1, 5)
        from bias in Bools
        from rank in Gen.Choose(2, 4)
        from lead in Gen.ArrayOf(Gen.Choose(1, 3), rank - 1)
        from seed in Seeds
        select new OnnxModuleCase("Linear", $"({inF}, {outF}, bias {bias})", () => new Linear(inF, outF, bias, new Generator(seed)), [.. lead, inF], seed);

    /// <summary>Every (startDim, endDim) of a rank-4 input, negative dims too: Flatten for (1, −1), Reshape otherwise.</summary>
    private static Gen<OnnxModuleCase> FlattenCases =>
        from start in Gen.Choose(0, 3)
        from end in Gen.Choose(start, 3)
        from negative in Bools
        from shape in ActivationShapes.Where(s => s.Length == 4)
        from seed in Seeds
        let s = negative ? start - 4 : start
        let e = negative ? end - 4 : end
        select new OnnxModuleCase("Flatten", $"({s}, {e})", () => new Flatten(s, e), shape, seed);
}
