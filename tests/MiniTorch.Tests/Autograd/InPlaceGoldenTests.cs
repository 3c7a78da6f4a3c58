using System.Text.Json;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Autograd;

/// <summary>
/// In-place writes around autograd, case by case against PyTorch 1.13 (Golden/Autograd/inplace.json,
/// written by gen_inplace.py, whose functions these tests mirror): the exact error messages, or the
/// values and gradients.
/// </summary>
public class InPlaceGoldenTests
{
    private static readonly Lazy<JsonElement> Cases = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "Autograd", "inplace.json")))
            .RootElement.GetProperty("cases"));

    private static JsonElement Case(string name) => Cases.Value.GetProperty(name);

    private static string ExpectedError(string name) => Case(name).GetProperty("error").GetString()!;

    private static JsonElement Result(string name) => Case(name).GetProperty("result");

    private static double[] Data(JsonElement e) => e.GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray();

    /// <summary>Runs <paramref name="action"/>, which must throw <typeparamref name="TException"/> with PyTorch's message for the case.</summary>
    private static void AssertError<TException>(string name, Action action) where TException : Exception
    {
        var e = Assert.Throws<TException>(action);
        Assert.Equal(ExpectedError(name), e.Message);
    }

    private static void AssertModified(string name, Action action) => AssertError<InvalidOperationException>(name, action);

    private static Tensor X3(bool requiresGrad = true, DType dtype = DType.Float32) =>
        Torch.FromArray(new double[] { 1, 2, 3 }, 3).To(dtype).RequiresGrad_(requiresGrad);

    private static Tensor X23(bool requiresGrad = true, DType dtype = DType.Float64) =>
        Torch.FromArray(new double[] { 0.5, -1, 2, 1.5, -0.25, 3 }, 2, 3).To(dtype).RequiresGrad_(requiresGrad);

    [Fact]
    public void IssueExample_CopyFromIntoASavedLeaf_BackwardRaisesInsteadOfAWrongGradient()
    {
        // y = (x*x).Sum(); x.CopyFrom(5s); y.Backward() used to give 10 silently.
        var x = X3();
        var y = (x * x).Sum();
        x.CopyFrom(Torch.Full([3], 5));
        AssertModified("leaf_modified_under_no_grad", () => y.Backward());
        Assert.Null(x.Grad);
    }

    [Fact]
    public void LeafModifiedUnderNoGrad_Raises()
    {
        var x = X3();
        var y = (x * x).Sum();
        using (Torch.NoGrad()) x.Copy_(Torch.Full([3], 5));
        AssertModified("leaf_modified_under_no_grad", () => y.Backward());
    }

    [Fact]
    public void LeafThatRequiresGrad_WrittenWithGradOn_Raises_AndIsNotWritten()
    {
        var x = X3();
        AssertError<InvalidOperationException>("leaf_written_with_grad_on", () => x.Copy_(Torch.Full([3], 5)));
        AssertError<InvalidOperationException>("leaf_add_with_grad_on", () => x.Add_(1));
        AssertError<InvalidOperationException>("leaf_add_with_grad_on", () => F.Prelu_(x, Torch.Full([1], 0.25)));
        Assert.Equal(new[] { 1f, 2, 3 }, x.ToArray());
        Assert.Equal(0, x.Version);
    }

    [Fact]
    public void ViewOfLeaf_Written_Raises()
    {
        var x = X3();
        AssertError<InvalidOperationException>("view_of_leaf_written", () => x.Slice(0, 0, 2).Add_(1));
        Assert.Equal(0, x.Version);
    }

    [Fact]
    public void ViewMadeUnderNoGrad_WrittenWithGradOn_Raises()
    {
        var h = X3() * 1;
        Tensor v;
        using (Torch.NoGrad()) v = h.Slice(0, 0, 2);
        AssertError<InvalidOperationException>("view_made_under_no_grad_written", () => v.Mul_(Torch.Ones(2).RequiresGrad_()));
    }

    [Fact]
    public void SavedOutput_Modified_NamesTheNodeThatSavedIt()
    {
        var y = X3().Exp();
        y.Add_(1);
        AssertModified("saved_output_modified", () => y.Sum().Backward());
    }

    [Fact]
    public void SavedNonLeaf_ModifiedByARecordedOp_NamesItsNewHistory()
    {
        var h = X3() * 2;
        var y = h * h;
        h.Add_(1);
        Assert.Equal("AddBackward0", h.GradFn!.Name);
        AssertModified("saved_nonleaf_modified_recorded", () => y.Sum().Backward());
    }

    [Fact]
    public void SavedNonLeaf_ModifiedUnderNoGrad_Raises()
    {
        var h = X23() * 1;
        var y = (h * h).Sum();
        using (Torch.NoGrad()) h.Mul_(2);
        AssertModified("saved_nonleaf_modified_under_no_grad", () => y.Backward());
    }

    [Fact]
    public void SavedConstant_Modified_Raises()
    {
        var x = X3();
        var w = X3(false);
        var y = (x * w).Sum();
        w.Add_(1);
        AssertModified("saved_constant_modified", () => y.Backward());
    }

    [Fact]
    public void InputTheBackwardDoesNotNeed_Modified_IsFine()
    {
        var x = X3();
        var y = (x * X3(false)).Sum();
        using (Torch.NoGrad()) x.Add_(1);
        y.Backward();
        Assert.Equal(Data(Result("unsaved_input_modified").GetProperty("x.grad")), x.Grad!.ToDoubleArray());

        var a = X23();
        var b = Torch.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 3, 2);
        var z = a.MatMul(b).Sum();
        using (Torch.NoGrad()) a.Add_(1);
        z.Backward();
        Assert.Equal(Data(Result("matmul_unsaved_operand_modified").GetProperty("a.grad")), a.Grad!.ToDoubleArray());
    }

    [Fact]
    public void ZeroDimensional_Modified_PrintsEmptyShape()
    {
        var x = Torch.Scalar(3).RequiresGrad_();
        var y = x * x;
        using (Torch.NoGrad()) x.Mul_(2);
        AssertModified("scalar_modified", () => y.Backward());
    }

    [Fact]
    public void SavedOutputs_OfSigmoidAndRelu_Modified_Raise()
    {
        var y = X23().Sigmoid();
        y.Zero_();
        AssertModified("sigmoid_output_zeroed", () => y.Sum().Backward());

        var r = X23(dtype: DType.Float32).Relu();
        var z = r * 1;
        r.Mul_(2);
        AssertModified("relu_output_modified", () => z.Sum().Backward());
    }

    [Fact]
    public void SavedView_BaseModified_ViewHistoryIsRegenerated()
    {
        var h = X23() * 1;
        var v = h.View(6);
        var y = (v * v).Sum();
        using (Torch.NoGrad()) h.Add_(1);
        AssertModified("saved_view_base_modified", () => y.Backward());
    }

    [Fact]
    public void NonLeafWrittenThroughAView_NamesCopySlices()
    {
        var x = Torch.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2).RequiresGrad_();
        var h = x * 1;
        var z = (h * h).Sum();
        h[0].Mul_(2);
        AssertModified("nonleaf_view_written", () => z.Backward());
    }

    [Fact]
    public void Conv_SavesInputAndWeight()
    {
        var x = Torch.Arange(16).Reshape(1, 1, 4, 4).RequiresGrad_();
        var w = Torch.Ones(1, 1, 3, 3);
        var h = x * 1;
        var y = F.Conv2d(h, w).Sum();
        using (Torch.NoGrad()) h.Mul_(2);
        AssertModified("conv_input_modified", () => y.Backward());

        var x2 = Torch.Arange(16).Reshape(1, 1, 4, 4).RequiresGrad_();
        var y2 = F.Conv2d(x2, w).Sum();
        w.Mul_(2);
        AssertModified("conv_weight_modified", () => y2.Backward());
    }

    [Fact]
    public void BatchNormEval_WeightModified_Raises()
    {
        var x = Torch.Arange(12, DType.Float64).Reshape(2, 2, 3).RequiresGrad_();
        var w = Torch.FromArray(new double[] { 1.5, 0.5 }, 2);
        var y = F.BatchNorm(x, Torch.Zeros([2], DType.Float64), Torch.Ones([2], DType.Float64), w, null, training: false).Sum();
        w.Add_(1);
        AssertModified("batch_norm_eval_weight_modified", () => y.Backward());
    }

    [Fact]
    public void BinaryCrossEntropy_TargetModified_Raises()
    {
        var x = Torch.FromArray(new float[] { 0.2f, 0.5f, 0.9f }, 3).RequiresGrad_();
        var t = Torch.FromArray(new float[] { 0, 1, 0.5f }, 3);
        var y = F.BinaryCrossEntropy(x, t);
        t.Add_(0.01);
        AssertModified("bce_target_modified", () => y.Backward());
    }

    [Fact]
    public void ExpandedView_Written_Raises_ButZeroingIsAllowed()
    {
        var ones = Torch.Ones(1, 3);
        AssertError<InvalidOperationException>("expanded_view_written", () => ones.Expand(2, 3).Add_(1));
        Assert.Equal(new[] { 1f, 1, 1 }, ones.ToArray());
        var zeros = Torch.Zeros(3);
        AssertError<InvalidOperationException>("expanded_view_copied_into", () => zeros.Expand(2, 3).Copy_(Torch.Ones(2, 3)));
        AssertError<InvalidOperationException>("expanded_view_copied_into", () => zeros.Expand(2, 3).CopyFrom(Torch.Ones(2, 3)));
        Assert.Equal(0, zeros.Version);

        var a = Torch.Ones(3);
        a.Expand(2, 3).Zero_();
        Assert.Equal(Data(Result("expanded_view_zeroed").GetProperty("a")), a.ToDoubleArray());
    }

    [Fact]
    public void Overlaps_PartialRaises_FullAndStridedAreExact()
    {
        var a = Torch.Arange(5);
        AssertError<InvalidOperationException>("partial_overlap_copy", () => a.Slice(0, 1).Copy_(a.Slice(0, 0, -1)));
        AssertError<InvalidOperationException>("partial_overlap_copy", () => a.Slice(0, 1).CopyFrom(a.Slice(0, 0, -1)));
        Assert.Equal(new[] { 0f, 1, 2, 3, 4 }, a.ToArray());

        var b = Torch.FromArray(new float[] { 1, -2, 3 }, 3);
        b.Mul_(b);
        Assert.Equal(Data(Result("self_overlap_mul").GetProperty("a")), b.ToDoubleArray());

        var c = Torch.Arange(6);
        c.Slice(0, 0, null, 2).Copy_(c.Slice(0, 1, null, 2));
        Assert.Equal(Data(Result("strided_overlap_copy").GetProperty("a")), c.ToDoubleArray());
    }

    [Fact]
    public void ResultThatDoesNotFit_Raises_AndLeavesTheTensorAsItWas()
    {
        var h = X3() * 1;
        var fn = h.GradFn;
        AssertError<ArgumentException>("broadcast_shape_mismatch", () => h.Add_(Torch.Ones(2, 3)));
        Assert.Equal(new[] { 1f, 2, 3 }, h.ToArray());
        Assert.Same(fn, h.GradFn);
        Assert.Equal(0, h.Version);
    }

    [Fact]
    public void Copy_BroadcastsAndConverts()
    {
        var h = Torch.Zeros(2, 3);
        h.Copy_(Torch.FromArray(new double[] { 1, 2, 3 }, 3));
        var r = Result("copy_broadcast_and_dtype");
        Assert.Equal(Data(r.GetProperty("h")), h.ToDoubleArray());
        Assert.Equal(DType.Float32, h.DType);
    }

    [Fact]
    public void WriteThroughAView_GradientsMatchPyTorch()
    {
        var x = X3(dtype: DType.Float64);
        var h = x * 1;
        var v = h.Slice(0, 1);
        v.Mul_(3);
        (h * h).Sum().Backward();
        var r = Result("view_written_grad");
        Assert.Equal(Data(r.GetProperty("h")), h.ToDoubleArray());
        Assert.Equal(Data(r.GetProperty("x.grad")), x.Grad!.ToDoubleArray());
        Assert.Equal(r.GetProperty("v.grad_fn").GetString(), v.GradFn!.Name);
        Assert.Equal(r.GetProperty("h.grad_fn").GetString(), h.GradFn!.Name);
    }

    [Fact]
    public void OtherViewOfTheSameTensor_FollowsItsNewHistory()
    {
        var x = Torch.FromArray(new double[] { 0.5, -1.5, 2 }, 3).RequiresGrad_();
        var h = x * 2;
        var v = h.Slice(0, 1);
        var v2 = h.Slice(0, 0, 2);
        v.Mul_(3);
        (v2 * v2).Sum().Backward();
        var r = Result("other_view_follows_rebase");
        Assert.Equal(Data(r.GetProperty("x.grad")), x.Grad!.ToDoubleArray());
        Assert.Equal(r.GetProperty("v2.grad_fn").GetString(), v2.GradFn!.Name);
    }

    [Fact]
    public void ViewWrittenFromAnotherTensor_GradientReachesBoth()
    {
        var x = X3(dtype: DType.Float64);
        var w = Torch.FromArray(new double[] { 4, 5 }, 2).RequiresGrad_();
        var h = x * 1;
        h.Slice(0, 1).Copy_(w * 2);
        (h * Torch.FromArray(new double[] { 1, 10, 100 }, 3)).Sum().Backward();
        var r = Result("view_written_from_other");
        Assert.Equal(Data(r.GetProperty("x.grad")), x.Grad!.ToDoubleArray());
        Assert.Equal(Data(r.GetProperty("w.grad")), w.Grad!.ToDoubleArray());
        Assert.Equal(r.GetProperty("h.grad_fn").GetString(), h.GradFn!.Name);
    }

    [Fact]
    public void PlainTensor_AddingSomethingThatRequiresGrad_TakesAHistory()
    {
        var t = Torch.Zeros([3], DType.Float64);
        var w = Torch.FromArray(new double[] { 1, 2, 3 }, 3).RequiresGrad_();
        t.Add_(w * w);
        (t * 3).Sum().Backward();
        var r = Result("plain_tensor_takes_history");
        Assert.Equal(r.GetProperty("is_leaf").GetBoolean(), t.IsLeaf);
        Assert.Equal(r.GetProperty("requires_grad").GetBoolean(), t.RequiresGrad);
        Assert.Equal(r.GetProperty("grad_fn").GetString(), t.GradFn!.Name);
        Assert.Equal(Data(r.GetProperty("w.grad")), w.Grad!.ToDoubleArray());
    }

    [Fact]
    public void InPlaceOps_TakePyTorchsGradFnNames()
    {
        var ops = new Dictionary<string, Action<Tensor>>
        {
            ["add_(1)"] = h => h.Add_(1), ["sub_(1)"] = h => h.Sub_(1), ["mul_(2)"] = h => h.Mul_(2), ["div_(2)"] = h => h.Div_(2),
            ["pow_(2)"] = h => h.Pow_(2), ["clamp_(0, 2)"] = h => h.Clamp_(0, 2), ["neg_()"] = h => h.Neg_(), ["abs_()"] = h => h.Abs_(),
            ["exp_()"] = h => h.Exp_(), ["log_()"] = h => h.Log_(), ["sqrt_()"] = h => h.Sqrt_(), ["tanh_()"] = h => h.Tanh_(),
            ["sigmoid_()"] = h => h.Sigmoid_(), ["relu_()"] = h => h.Relu_(), ["zero_()"] = h => h.Zero_(), ["fill_(3)"] = h => h.Fill_(3),
            ["copy_(torch.ones(3))"] = h => h.Copy_(Torch.Ones(3)),
        };
        var expected = Result("inplace_grad_fn_names");
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name).Order(), ops.Keys.Order());
        var x = X3();
        foreach (var (op, apply) in ops)
        {
            var h = x * 1;
            apply(h);
            var name = expected.GetProperty(op).GetString()!;
            Assert.True(name == h.GradFn!.Name || name == "torch::autograd::" + h.GradFn.Name, $"{op}: PyTorch {name}, MiniTorch {h.GradFn.Name}");
        }
    }

    [Fact]
    public void Versions_CountEveryWrite_SharedByViewsAndDetach()
    {
        var seen = new List<int>();
        var x = Torch.Ones(3);
        seen.Add(x.Version);
        x.Add_(1);
        seen.Add(x.Version);
        var v = x.Slice(0, 1);
        v.Mul_(2);
        seen.AddRange([x.Version, v.Version]);
        x.Detach().Zero_();
        seen.Add(x.Version);
        x.CopyFrom(x);
        seen.Add(x.Version);
        var p = Torch.Ones(3).RequiresGrad_();
        p.Grad = Torch.Ones(3);
        var opt = new MiniTorch.Optim.SGD([p], lr: 0.1, momentum: 0.9);
        opt.Step();
        opt.Step();
        seen.Add(p.Version);
        Assert.Equal(Result("versions").GetProperty("versions").EnumerateArray().Select(e => e.GetInt32()), seen);
    }
}
