using MiniTorch.Kernels;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// <see cref="ConvModule.Describe"/>: the layer's passes mapped to the geometry's (a transposed layer's
/// forward is the input-gradient pass), the route each runs on this machine as the planner picks it,
/// forced routes named as forced, unbatched inputs and padding modes, and bad shapes refused with the
/// forward's own message.
/// </summary>
public class ConvDescribeTests
{
    private static string[] Lines(string text) => text.Split('\n');

    private static string Route(string line) => line[(line.IndexOf(':') + 2)..line.IndexOf(" (")];

    [Fact]
    public void ConvTranspose3d_NamesEachPassesRoute_AsThePlannerChoosesIt()
    {
        var layer = new ConvTranspose3d(64, 32, 4, stride: 2, padding: 1, generator: new Generator(1));
        var lines = Lines(layer.Describe(4, 64, 8, 8, 8));
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("ConvTranspose3d on input [4, 64, 8, 8, 8] -> [4, 32, 16, 16, 16]", lines[0]);
        var g = Shape.ConvTranspose([4, 64, 8, 8, 8], [64, 32, 4, 4, 4], [32], [2, 2, 2], new ConvPadding(ConvPaddingKind.Explicit, [1, 1, 1]), [0, 0, 0], 1, [1, 1, 1]);
        var isa = ConvPlanner.Isa;
        Assert.Equal($"  forward: {ConvPlanner.Choose(g, ConvPass.InputGrad, isa)} (planner, {isa})", lines[1]);
        Assert.Equal($"  input gradient: {ConvPlanner.Choose(g, ConvPass.Forward, isa)} (planner, {isa})", lines[2]);
        Assert.Equal($"  weight gradient: {ConvPlanner.Choose(g, ConvPass.WeightGrad, isa)} (planner, {isa})", lines[3]);
        if (isa == ConvIsa.Vector512)
            Assert.Equal(["DirectPhasePlanes", "DirectPlanes", "WeightGradChannelsLast"], lines[1..].Select(Route));
    }

    [Fact]
    public void Conv3d_ForwardIsTheForwardPass_UnbatchedInputDropsTheBatch()
    {
        var layer = new Conv3d(32, 32, 3, padding: 1, generator: new Generator(2));
        var batched = Lines(layer.Describe(4, 32, 32, 32, 32));
        var g = Shape.Conv([4, 32, 32, 32, 32], [32, 32, 3, 3, 3], [32], [1, 1, 1], new ConvPadding(ConvPaddingKind.Explicit, [1, 1, 1]), [1, 1, 1], 1);
        Assert.Equal(ConvPlanner.Choose(g, ConvPass.Forward, ConvPlanner.Isa).ToString(), Route(batched[1]));
        Assert.Equal(ConvPlanner.Choose(g, ConvPass.InputGrad, ConvPlanner.Isa).ToString(), Route(batched[2]));
        var unbatched = Lines(layer.Describe(32, 32, 32, 32));
        Assert.StartsWith("Conv3d on input [32, 32, 32, 32] -> [32, 32, 32, 32] (big [1, 32, 32, 32, 32]", unbatched[0]);
    }

    [Fact]
    public void PaddingMode_DescribesThePaddedInputConvolvedWithoutPadding()
    {
        var layer = new Conv2d(3, 8, 3, padding: 2, paddingMode: PaddingMode.Reflect, generator: new Generator(3));
        string head = Lines(layer.Describe(2, 3, 10, 12))[0];
        Assert.Contains("-> [2, 8, 12, 14] (big [2, 3, 14, 16], small [2, 8, 12, 14], kernel [3, 3], stride [1, 1], padding [0, 0]", head);
        // The same layer with zeros pads inside the geometry.
        var zeros = new Conv2d(3, 8, 3, padding: 2, generator: new Generator(3));
        Assert.Contains("(big [2, 3, 10, 12], small [2, 8, 12, 14], kernel [3, 3], stride [1, 1], padding [2, 2]", Lines(zeros.Describe(2, 3, 10, 12))[0]);
    }

    [Fact]
    public void ConvTranspose1d_UsesItsOutputPadding()
    {
        var layer = new ConvTranspose1d(4, 2, 3, stride: 2, outputPadding: 1, generator: new Generator(4));
        Assert.StartsWith("ConvTranspose1d on input [1, 4, 5] -> [1, 2, 12]", layer.Describe(1, 4, 5));
        Assert.Equal([1, 2, 12], layer.Forward(Torch.Zeros([1, 4, 5])).Shape);
    }

    public static TheoryData<string> Layers() => ["conv1d same k4", "conv2d same k4 circular", "conv3d s2 d2", "convT2d keras same s3", "convT3d op1 groups 2", "convT1d valid"];

    private static (ConvModule Layer, int[] Input) Make(string name) => name switch
    {
        "conv1d same k4" => (new Conv1d(3, 5, 4, padding: "same", generator: new Generator(1)), [2, 3, 11]),
        "conv2d same k4 circular" => (new Conv2d(3, 4, 4, padding: "same", paddingMode: PaddingMode.Circular, generator: new Generator(2)), [3, 9, 10]),
        "conv3d s2 d2" => (new Conv3d(2, 4, 3, stride: 2, padding: 1, dilation: 2, generator: new Generator(3)), [1, 2, 9, 8, 7]),
        "convT2d keras same s3" => (new ConvTranspose2d(4, 2, 5, stride: 3, padding: "same", generator: new Generator(4)), [1, 4, 3, 5]),
        "convT3d op1 groups 2" => (new ConvTranspose3d(4, 6, 3, stride: 2, padding: 1, outputPadding: 1, groups: 2, generator: new Generator(5)), [4, 3, 2, 4]),
        _ => (new ConvTranspose1d(2, 3, 3, stride: 2, padding: "valid", generator: new Generator(6)), [1, 2, 7]),
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void DescribedOutputShape_IsTheForwardsOutputShape(string name)
    {
        var (layer, input) = Make(name);
        string head = Lines(layer.Describe(input))[0];
        var output = layer.Forward(Torch.Zeros(input)).Shape;
        Assert.StartsWith($"{layer.GetType().Name} on input [{string.Join(", ", input)}] -> [{string.Join(", ", output)}] (big ", head);
    }

    [Fact]
    public void ForcedRoute_IsNamedAsForced()
    {
        var layer = new Conv1d(8, 8, 9, padding: 4, generator: new Generator(5));
        using (ConvPlanner.Force(ConvRoute.Reference))
            foreach (var line in Lines(layer.Describe(2, 8, 64))[1..])
                Assert.EndsWith(": Reference (forced by ConvPlanner.Force)", line);
        Assert.DoesNotContain("forced", layer.Describe(2, 8, 64));
    }

    [Fact]
    public void BadShape_GivesTheForwardsMessage()
    {
        var layer = new Conv2d(3, 8, 3, generator: new Generator(6));
        foreach (var shape in new[] { new[] { 2, 4, 10, 10 }, [2, 3, 10], [2, 3, 2, 2] })
        {
            var fromForward = Assert.ThrowsAny<ArgumentException>(() => layer.Forward(Torch.Zeros(shape)));
            var fromDescribe = Assert.ThrowsAny<ArgumentException>(() => layer.Describe(shape));
            Assert.Equal(fromForward.Message, fromDescribe.Message);
        }
        Assert.Throws<ArgumentNullException>(() => layer.Describe(null!));
    }
}
