using System.Text.Json;
using MiniTorch.Tests.Nn;
using Case = MiniTorch.Tests.Nn.OpGolden.Case;

namespace MiniTorch.Tests.Tensors;

/// <summary>int64 and bool tensors, type promotion, comparisons, where, maximum/minimum, tensor clamp, argmax against PyTorch (Golden/Everyday/gen_dtypes.py).</summary>
public class DTypeGoldenTests
{
    private static DType DTypeOf(string name) => name switch
    {
        "float32" => DType.Float32, "float64" => DType.Float64, "int64" => DType.Int64, "bool" => DType.Bool,
        _ => throw new ArgumentException(name),
    };

    // A number from the case's arguments, as the C# literal a user would write: long when whole in Python, else double.
    private static Tensor WithScalar(Case c, Func<Tensor, long, Tensor> whole, Func<Tensor, double, Tensor> fractional)
    {
        var v = c.Args.GetProperty("value");
        return v.TryGetInt64(out long l) && !v.GetRawText().Contains('.') ? whole(c[0], l) : fractional(c[0], v.GetDouble());
    }

    private static readonly Dictionary<string, Func<Case, Tensor[]>> Ops = new()
    {
        ["add"] = c => [c[0] + c[1]],
        ["sub"] = c => [c[0] - c[1]],
        ["mul"] = c => [c[0] * c[1]],
        ["div"] = c => [c[0] / c[1]],
        ["add_scalar"] = c => [WithScalar(c, (x, v) => x + v, (x, v) => x + v)],
        ["sub_scalar"] = c => [WithScalar(c, (x, v) => x - v, (x, v) => x - v)],
        ["mul_scalar"] = c => [WithScalar(c, (x, v) => x * v, (x, v) => x * v)],
        ["div_scalar"] = c => [WithScalar(c, (x, v) => x / v, (x, v) => x / v)],
        ["neg"] = c => [-c[0]],
        ["abs"] = c => [c[0].Abs()],
        ["relu"] = c => [c[0].Relu()],
        ["pow"] = c => [c[0].Pow(c[1])],
        ["pow_scalar"] = c => [WithScalar(c, (x, v) => x.Pow(v), (x, v) => x.Pow(v))],
        ["exp"] = c => [c[0].Exp()],
        ["log"] = c => [c[0].Log()],
        ["sqrt"] = c => [c[0].Sqrt()],
        ["tanh"] = c => [c[0].Tanh()],
        ["sigmoid"] = c => [c[0].Sigmoid()],
        ["mean"] = c => [c[0].Mean()],
        ["sum"] = c => [c[0].Sum()],
        ["sum_dim"] = c => [c[0].Sum(c.Int("dim"), c.Bool("keepdim"))],
        ["eq"] = c => [c[0].Eq(c[1])],
        ["ne"] = c => [c[0].Ne(c[1])],
        ["lt"] = c => [c[0] < c[1]],
        ["le"] = c => [c[0] <= c[1]],
        ["gt"] = c => [c[0] > c[1]],
        ["ge"] = c => [c[0] >= c[1]],
        ["eq_scalar"] = c => [c[0].Eq(c.Double("value"))],
        ["ne_scalar"] = c => [c[0].Ne(c.Double("value"))],
        ["lt_scalar"] = c => [c[0] < c.Double("value")],
        ["le_scalar"] = c => [c[0] <= c.Double("value")],
        ["gt_scalar"] = c => [c[0] > c.Double("value")],
        ["ge_scalar"] = c => [c[0] >= c.Double("value")],
        ["logical_not"] = c => [c[0].LogicalNot()],
        ["and"] = c => [c[0].LogicalAnd(c[1])],
        ["or"] = c => [c[0].LogicalOr(c[1])],
        ["xor"] = c => [c[0].LogicalXor(c[1])],
        ["bitwise_and"] = c => [c[0] & c[1]],
        ["bitwise_or"] = c => [c[0] | c[1]],
        ["bitwise_xor"] = c => [c[0] ^ c[1]],
        ["bitwise_not"] = c => [~c[0]],
        ["to"] = c => [c[0].To(DTypeOf(c.Str("dtype")))],
        ["where"] = c => [Torch.Where(c[0], c[1], c[2])],
        ["where_scalar"] = c => [Torch.Where(c[0], c[1], c.Double("other"))], // 0.5: a Python float
        ["maximum"] = c => [Torch.Maximum(c[0], c[1])],
        ["minimum"] = c => [Torch.Minimum(c[0], c[1])],
        ["clamp_tensor"] = c => [c[0].Clamp(c[1], c[2])],
        ["clamp_min_tensor"] = c => [c[0].Clamp(min: c[1])],
        ["clamp_max_tensor"] = c => [c[0].Clamp(null, c[1])],
        ["clamp_scalar"] = c => [c[0].Clamp((long)c.Double("min"), (long)c.Double("max"))], // whole bounds, Python ints
        ["argmax"] = c => [c[0].Argmax(c.IntOrNull("dim"), c.Bool("keepdim"))],
        ["argmin"] = c => [Torch.Argmin(c[0], c.IntOrNull("dim"), c.Bool("keepdim"))],
        ["requires_grad"] = c => [c[0].RequiresGrad_()],
    };

    [Fact]
    public void DTypes_EveryCase_MatchesPyTorch() => Assert.Equal(208, OpGolden.Run("dtypes.json", Ops));

    [Fact]
    public void Printing_Int64AndBool_MatchesPyTorchCharacterForCharacter()
    {
        var cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "Everyday", "prints.json"))).RootElement;
        int n = 0;
        foreach (var c in cases.EnumerateArray())
        {
            Assert.Equal(c.GetProperty("str").GetString(), OpGolden.T(c.GetProperty("tensor")).ToString());
            n++;
        }
        Assert.Equal(12, n);
    }
}
