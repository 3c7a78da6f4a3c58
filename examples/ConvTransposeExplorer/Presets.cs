namespace ConvTransposeExplorer;

/// <summary>A named starting state: the seed notebooks' examples.</summary>
/// <param name="Name">The value of <c>?preset=</c>.</param>
/// <param name="Title">One line for the preset menu.</param>
/// <param name="Note">Where the example comes from and what to look for.</param>
/// <param name="Query">The state, in the page's query-string keys.</param>
public sealed record Preset(string Name, string Title, string Note, IReadOnlyDictionary<string, string> Query);

/// <summary>The seed notebooks' examples (000, 001, 002, the d2l stride-3 example, FSRCNN's last layer) and two 1-d checkerboards.</summary>
public static class Presets
{
    private static Preset Make(string name, string title, string note, string query) =>
        new(name, title, note, query.Split('&').Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]));

    private const string Ones44 = "rank=2&conv=pytorch&cin=1&cout=1&in=4,4&x=ones&w=ones&s=1&op=0&d=1";
    private const string D2l = "rank=2&conv=pytorch&cin=1&cout=1&in=2,2&k=2&x=0,1,2,3&w=0,1,2,3&op=0&d=1";
    private const string Keras = "rank=2&conv=keras&cin=1&cout=1&in=2,2&k=3&x=55,52,57,50&w=1,2,1,2,1,2,1,1,2&op=0&d=1";

    /// <summary>All presets, in menu order.</summary>
    public static IReadOnlyList<Preset> All { get; } =
    [
        Make("000", "000 · [[1,2,3],[4,5,6]] through ConvTranspose2d(1, 3, 4)",
             "Seed 000: nn.ConvTranspose2d(1, 3, 4, 1, 0, bias=False) with weights linspace(0.1, 4.8, 48) viewed as [1, 3, 4, 4]. Step through the six scaled kernel copies; their sum is the seed's Result.",
             "rank=2&conv=pytorch&cin=1&cout=3&in=2,3&k=4&s=1&p=0&op=0&d=1&x=1,2,3,4,5,6&w=linspace:0.1:4.8"),
        Make("001-k2p0", "001 · ones 4×4, kernel 2, padding 0 → 5×5",
             "Seed 001, In [14]: ConvTranspose2d(1, 1, kernel_size=2, padding=0) with a ones kernel; the zero-insertion view pads by 1·(2−1)−0 = 1, as the seed's ZeroPad2d((1, 1, 1, 1)).",
             Ones44 + "&k=2&p=0"),
        Make("001-k2p1", "001 · ones 4×4, kernel 2, padding 1 → 3×3",
             "Seed 001, In [18]: padding=1 crops one row and column from each side of the 5×5 scatter canvas; the zero-insertion padding is 1·(2−1)−1 = 0.",
             Ones44 + "&k=2&p=1"),
        Make("001-k3p0", "001 · ones 4×4, kernel 3, padding 0 → 6×6",
             "Seed 001, In [22]: kernel 3, padding 0; the input is padded by 1·(3−1)−0 = 2, as the seed's ZeroPad2d((2, 2, 2, 2)).",
             Ones44 + "&k=3&p=0"),
        Make("001-k3p2", "001 · ones 4×4, kernel 3, padding 2 → 2×2",
             "Seed 001, In [25]: padding=2 leaves only the four central positions, each reached by all nine taps (9.).",
             Ones44 + "&k=3&p=2"),
        Make("001-k3s2p2", "001 · ones 4×4, kernel 3, stride 2, padding 2 → 5×5",
             "Seed 001, In [28]: stride 2 inserts one zero between neighbours; the overlap map shows the 4/2/1 checkerboard of the seed's output.",
             Ones44.Replace("&s=1", "&s=2") + "&k=3&p=2"),
        Make("002-valid", "002 · Keras Conv2DTranspose 'valid', strides 1 → 4×4",
             "Seed 002, In [5]: the input is the Conv2D('valid') output [[55, 52], [57, 50]] of X = [[3,5,2,7],[4,1,3,8],[6,3,8,2],[9,6,1,5]] with the kernel [[1,2,1],[2,1,2],[1,1,2]]; the transposed layer uses the same kernel.",
             Keras + "&s=1&p=valid"),
        Make("002-valid-s2", "002 · Keras Conv2DTranspose 'valid', strides 2 → 5×5",
             "Seed 002, In [6]: strides=(2, 2) places the four kernel copies two apart; their overlaps add up to 110, 107, 214, …",
             Keras + "&s=2&p=valid"),
        Make("002-same", "002 · Keras Conv2DTranspose 'same', strides 1 → 2×2",
             "Seed 002, In [7]: 'same' makes the output input·stride = 2×2 by cropping k − s = 2 rows and columns (1 on each side): the centre of the 'valid' output.",
             Keras + "&s=1&p=same"),
        Make("d2l", "d2l · X = K = [[0,1],[2,3]], kernel 2 → 3×3",
             "Seed 002, In [14] (d2l.ai 14.10): nn.ConvTranspose2d(1, 1, kernel_size=2) with K as the weight gives [[0, 0, 1], [0, 4, 6], [4, 12, 9]].",
             D2l + "&s=1&p=0"),
        Make("d2l-p1", "d2l · padding 1 → 1×1",
             "Seed 002, In [16]: padding=1 removes the outer ring of the 3×3 result, leaving [[4.]].",
             D2l + "&s=1&p=1"),
        Make("d2l-s3", "d2l · stride 3 → 5×5 (the stride-3 example)",
             "Seed 002, In [43] (d2l.ai's stride example with stride 3): the four 2×2 copies land three apart, so they never overlap and zeros fill the gaps.",
             D2l + "&s=3&p=0"),
        Make("d2l-s3p2", "d2l · stride 3, padding 2 → 1×1",
             "Seed 002, In [18]: stride 3 and padding 2 keep only the centre of the 5×5 canvas, a gap between copies: [[0.]].",
             D2l + "&s=3&p=2"),
        Make("003-fsrcnn", "003 · FSRCNN's last layer: kernel 9, stride 2, padding 4, output_padding 1",
             "Seed 003 ports ConvTranspose2d(56, 1, kernel_size=9, stride=2, padding=4, output_padding=1) by hand: pad by 1·(9−1)−4 = 4 (and one more at the bottom/right for output_padding), flip the kernel, convolve. One channel of a 3×3 input here.",
             "rank=2&conv=pytorch&cin=1&cout=1&in=3,3&k=9&s=2&p=4&op=1&d=1&x=arange&w=ones"),
        Make("1d-k3s2", "1-d · kernel 3, stride 2: the checkerboard",
             "A 1-d transposed convolution with kernel 3 and stride 2: k is not a multiple of s, so interior outputs are reached by 2 and 1 taps in turn.",
             "rank=1&conv=pytorch&cin=1&cout=1&in=6&k=3&s=2&p=0&op=0&d=1&x=ones&w=ones"),
        Make("1d-k4s2", "1-d · kernel 4, stride 2, padding 1: even overlap",
             "Kernel 4 with stride 2: every interior output is reached by exactly 2 taps, so a flat input stays flat (DCGAN's choice).",
             "rank=1&conv=pytorch&cin=1&cout=1&in=6&k=4&s=2&p=1&op=0&d=1&x=ones&w=ones"),
    ];

    /// <summary>The preset named <paramref name="name"/>, or null.</summary>
    public static Preset? Find(string name) => All.FirstOrDefault(p => p.Name == name);
}
