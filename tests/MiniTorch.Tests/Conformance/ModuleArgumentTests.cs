using MiniTorch.Nn;
using Module = MiniTorch.Nn.Module;

namespace MiniTorch.Tests.Conformance;

/// <summary>
/// Constructor arguments the signature check (<see cref="ConformanceSignatureTests"/>) found missing,
/// now taken as PyTorch takes them: the convolution modules' <c>dtype</c>, and <c>inplace</c> on
/// Dropout and LeakyReLU (accepted and printed as PyTorch prints it; the result is still a new tensor).
/// </summary>
public class ModuleArgumentTests
{
    public static TheoryData<string> ConvModules => new(["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"]);

    private static Module Conv(string name, DType dtype) => name switch
    {
        "Conv1d" => new Conv1d(2, 4, 3, dtype: dtype),
        "Conv2d" => new Conv2d(2, 4, 3, dtype: dtype),
        "Conv3d" => new Conv3d(2, 4, 3, dtype: dtype),
        "ConvTranspose1d" => new ConvTranspose1d(2, 4, 3, dtype: dtype),
        "ConvTranspose2d" => new ConvTranspose2d(2, 4, 3, dtype: dtype),
        _ => new ConvTranspose3d(2, 4, 3, dtype: dtype),
    };

    [Theory]
    [MemberData(nameof(ConvModules))]
    public void ConvModule_Dtype_MakesWeightAndBiasOfThatType_AsNnConvDtype(string name)
    {
        // nn.Conv2d(2, 4, 3, dtype=torch.float64): weight and bias float64; the default stays float32.
        var m = Conv(name, DType.Float64);
        Assert.All(m.Parameters(), p => Assert.Equal(DType.Float64, p.DType));
        Assert.All(Conv(name, DType.Float32).Parameters(), p => Assert.Equal(DType.Float32, p.DType));
        int rank = name[^2] - '0';
        var x = Torch.Randn([1, 2, .. Enumerable.Repeat(5, rank)], dtype: DType.Float64);
        Assert.Equal(DType.Float64, m.Forward(x).DType);
    }

    [Theory]
    [MemberData(nameof(ConvModules))]
    public void ConvModule_IntegerDtype_IsRefusedNamingDtype(string name)
    {
        // PyTorch: "Only Tensors of floating point and complex dtype can require gradients".
        var e = Assert.Throws<ArgumentException>(() => Conv(name, DType.Int64));
        Assert.Equal("dtype", e.ParamName);
        Assert.Contains("floating point", e.Message);
    }

    [Fact]
    public void Inplace_IsAcceptedAndPrintedAsPyTorch_AndLeavesTheInputAlone()
    {
        // str(nn.Dropout()), str(nn.Dropout(0.3, True)), str(nn.LeakyReLU()), str(nn.LeakyReLU(0.2, True)) in PyTorch 1.13.
        Assert.Equal("Dropout(p=0.5, inplace=False)", new Dropout().ToString());
        Assert.Equal("Dropout(p=0.3, inplace=True)", new Dropout(0.3, inplace: true).ToString());
        Assert.Equal("LeakyReLU(negative_slope=0.01)", new LeakyReLU().ToString());
        Assert.Equal("LeakyReLU(negative_slope=0.2, inplace=True)", new LeakyReLU(0.2, inplace: true).ToString());
        var x = Torch.FromArray(new float[] { -1, 2 }, 2);
        var y = new LeakyReLU(0.2, inplace: true).Forward(x);
        Assert.Equal([-0.2f, 2f], y.ToArray());
        Assert.Equal([-1f, 2f], x.ToArray());
    }

    [Fact]
    public void ModulesWithoutArguments_AndContainers_PrintAsPyTorch()
    {
        // print(nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Sequential(nn.Tanh(), nn.MSELoss()), nn.L1Loss(), nn.BCELoss())) in PyTorch 1.13.
        const string expected = """
            Sequential(
              (0): Linear(in_features=2, out_features=3, bias=True)
              (1): ReLU()
              (2): Sequential(
                (0): Tanh()
                (1): MSELoss()
              )
              (3): L1Loss()
              (4): BCELoss()
            )
            """;
        var m = new Sequential(new Linear(2, 3), new ReLU(), new Sequential(new Tanh(), new MSELoss()), new L1Loss(), new BCELoss());
        Assert.Equal(expected.ReplaceLineEndings("\n"), m.ToString());
        Assert.Equal("BCEWithLogitsLoss()", new BCEWithLogitsLoss().ToString());
        Assert.Equal("Sequential()", new Sequential().ToString());
    }
}
