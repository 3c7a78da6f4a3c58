namespace MiniTorch.Tests.Tensors;

/// <summary>Bad input is reported in PyTorch's words and leaves the tensors untouched.</summary>
public class ErrorTests
{
    [Fact]
    public void Item_OnManyElements_Throws()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Torch.Zeros(2, 3).Item());
        Assert.Equal("a Tensor with 6 elements cannot be converted to Scalar", e.Message);
    }

    [Fact]
    public void View_OfNonContiguous_Throws_ReshapeCopies()
    {
        var x = Torch.Arange(6).View(2, 3);
        var e = Assert.Throws<InvalidOperationException>(() => x.T.View(6));
        Assert.StartsWith("view size is not compatible with input tensor's size and stride", e.Message);
        Assert.Equal(new[] { 0f, 3, 1, 4, 2, 5 }, x.T.Reshape(-1).ToArray());
    }

    [Fact]
    public void Reshape_Invalid_NamesShapeAndSize()
    {
        var x = Torch.Zeros(2, 3);
        Assert.Equal("shape '[4, 4]' is invalid for input of size 6", Assert.Throws<ArgumentException>(() => x.Reshape(4, 4)).Message);
        Assert.Equal("shape '[4, -1]' is invalid for input of size 6", Assert.Throws<ArgumentException>(() => x.Reshape(4, -1)).Message);
        Assert.Equal("only one dimension can be inferred", Assert.Throws<ArgumentException>(() => x.View(-1, -1)).Message);
        Assert.Equal([2, 3], x.Shape);
    }

    [Fact]
    public void Dim_OutOfRange_NamesTheRange()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Torch.Zeros(2, 3).Sum(2));
        Assert.Contains("Dimension out of range (expected to be in range of [-2, 1], but got 2)", e.Message);
        Assert.Contains("index 2 is out of bounds for dimension 0 with size 2", Assert.Throws<IndexOutOfRangeException>(() => Torch.Zeros(2)[2]).Message);
    }

    [Fact]
    public void Cat_Mismatches_AreNamed()
    {
        var a = Torch.Zeros(2, 3);
        Assert.Equal("Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list.",
            Assert.Throws<ArgumentException>(() => Torch.Cat([a, Torch.Zeros(2, 4)])).Message);
        Assert.Equal("Tensors must have same number of dimensions: got 2 and 1",
            Assert.Throws<ArgumentException>(() => Torch.Cat([a, Torch.Zeros(3)])).Message);
        var d = Assert.Throws<ArgumentException>(() => Torch.Cat([a, Torch.Zeros([2, 3], DType.Float64)])).Message;
        Assert.Contains("Float32", d);
        Assert.Contains("Float64", d);
        Assert.Contains("non-empty", Assert.Throws<ArgumentException>(() => Torch.Cat([])).Message);
        var s = Assert.Throws<ArgumentException>(() => Torch.Stack([a, Torch.Zeros(3, 2)])).Message;
        Assert.Contains("[2, 3] at entry 0 and [3, 2] at entry 1", s);
        Assert.Equal([4, 3], Torch.Cat([a, a], 0).Shape);
        Assert.Equal([2, 2, 3], Torch.Stack([a, a]).Shape);
    }

    [Fact]
    public void MatMul_ShapeMismatch_NamesBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Torch.Zeros(2, 3).MatMul(Torch.Zeros(4, 5)));
        Assert.Equal("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", e.Message);
        var b = Assert.Throws<ArgumentException>(() => Torch.Zeros(2, 2, 3).MatMul(Torch.Zeros(3, 4, 5)));
        Assert.Equal("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", b.Message);
        Assert.Contains("0D", Assert.Throws<ArgumentException>(() => Torch.Scalar(1).MatMul(Torch.Zeros(2))).Message);
    }

    [Fact]
    public void MatMul_MixedDTypes_PromotesToFloat64()
    {
        var y = Torch.Ones(2, 3).MatMul(Torch.Ones([3, 2], DType.Float64));
        Assert.Equal(DType.Float64, y.DType);
        Assert.All(y.ToDoubleArray(), v => Assert.Equal(3.0, v));
    }

    [Fact]
    public void Expand_Incompatible_NamesBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Torch.Zeros(2, 3).Expand(2, 4));
        Assert.Contains("[2, 4]", e.Message);
        Assert.Contains("[2, 3]", e.Message);
    }

    [Fact]
    public void RequiresGrad_OnNonLeaf_Throws()
    {
        var x = Torch.Ones(2).RequiresGrad_();
        var e = Assert.Throws<InvalidOperationException>(() => (x * 2).RequiresGrad = false);
        Assert.StartsWith("you can only change requires_grad flags of leaf variables", e.Message);
    }
}
