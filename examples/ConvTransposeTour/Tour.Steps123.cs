namespace ConvTransposeTour;

public static partial class Tour
{
    /// <summary>The seed notebooks' input [1, 1, 2, 3]: [[1, 2, 3], [4, 5, 6]].</summary>
    internal static Tensor SeedInput() => Torch.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 1, 1, 2, 3);

    /// <summary>The seed notebooks' traceable weights: linspace(0.1, 4.8, 48) viewed as [1, 3, 4, 4].</summary>
    internal static Tensor SeedWeight() => Torch.Linspace(0.1, 4.8, 48).View(1, 3, 4, 4);

    private static (Tensor Output, Tensor Copies, int Count) Step1Scatter(Printer tour)
    {
        tour.Step(1, "the scatter view: six scaled kernel copies, summed");
        var x = SeedInput();
        tour.Show("test input", x);
        var model = new ConvTranspose2d(1, 3, 4, 1, 0, bias: false);
        using (Torch.NoGrad()) model.Weight.CopyFrom(SeedWeight());
        tour.Say("The weights are set to linspace(0.1, 4.8, 48) so that every product can be traced (ConvTranspose2d(1, 3, 4, 1, 0, bias=False)).");
        tour.Show("Model weight", model.Weight);
        var result = model.Call(x);
        tour.Show("Result", result);

        var scatter = TransposedConv.Scatter(x, model.Weight, stride: 1);
        tour.Say("Each input element scales the whole kernel; the copy lands at (row, column) · stride. Output channel 0 of each copy:");
        foreach (var copy in scatter.Copies)
            tour.Show($"x[{copy.Row},{copy.Col}] = {PythonStyle.Repr(copy.Value)} · w at offset ({copy.Top}, {copy.Left})", copy.Canvas[0]);
        var sum = scatter.Copies.Select(c => c.Canvas).Aggregate((a, b) => a + b).Unsqueeze(0);
        tour.Say("Their element-wise sum is the transposed convolution (all three channels):");
        tour.Show("sum of copies", sum);
        tour.Line($"max |sum of copies − ConvTranspose2d| = {Difference(sum, result.Detach())} (float32 rounding: the seed tensors are float32)");
        return (result.Detach(), sum, scatter.Copies.Count);
    }

    private static (Tensor Output, Tensor StridedOnes) Step2ZeroInsertion(Printer tour)
    {
        tour.Step(2, "the same result by zero insertion, padding and a flipped kernel");
        var x = SeedInput();
        var w = SeedWeight();
        var z = TransposedConv.ZeroInsertion(x, w, stride: 1);
        tour.Say($"With stride 1 nothing is inserted; the input is padded by d(k−1) − p = 1·(4−1) − 0 = {z.PadH.Before} on every side:");
        tour.Show("padded input", z.Padded);
        tour.Say("The kernel is flipped top-bottom and left-right, and its in/out channel axes are swapped ([1, 3, 4, 4] → [3, 1, 4, 4]); channel 0:");
        tour.Show("flipped kernel[0]", z.FlippedKernel[0]);
        tour.Say("An ordinary stride-1 convolution of the padded input with the flipped kernel gives the same numbers as step 1:");
        tour.Show("Conv2d(padded, flipped)", z.Output);
        tour.Line($"max |zero insertion − ConvTranspose2d| = {Difference(z.Output, F.ConvTranspose2d(x, w))} (float32 rounding)");

        var ones = Torch.Ones(1, 1, 4, 4);
        var k = Torch.Ones(1, 1, 3, 3);
        var s = TransposedConv.ZeroInsertion(ones, k, stride: 2, padding: 2);
        tour.Say("With stride 2 (the seed's ones input, kernel 3, padding 2), one zero goes between neighbouring elements:");
        tour.Show("stretched input", s.Stretched);
        tour.Say($"The padding is d(k−1) − p = 1·(3−1) − 2 = {s.PadH.Before}, so the stretched input is convolved as it is:");
        tour.Show("Conv2d(stretched, flipped)", s.Output);
        tour.Show("ConvTranspose2d(x, stride=2, padding=2)", F.ConvTranspose2d(ones, k, stride: 2, padding: 2));
        var fsrcnn = TransposedConv.ZeroInsertion(Torch.Ones(1, 1, 3, 3), Torch.Ones(1, 1, 9, 9), stride: 2, padding: 4, outputPadding: 1);
        tour.Say($"FSRCNN's last layer (k 9, s 2, p 4, output_padding 1) pads {fsrcnn.PadH.Before} before and {fsrcnn.PadH.After} after: " +
                 "1·(9−1) − 4 = 4, plus output_padding on the far side only.");
        return (z.Output, s.Output);
    }

    private static (double Error, (int, int) Shape) Step3Matrix(Printer tour)
    {
        tour.Step(3, "the matrix view: ConvTranspose2d is Cᵀ");
        var w = Torch.Arange(1, 10, 1, DType.Float64).View(1, 1, 3, 3);
        var m = TransposedConv.AsMatrix(w, (4, 4));
        tour.Say("Conv2d with a 3×3 kernel on a 4×4 input is a 4×16 matrix C: each row is the kernel laid over the flattened input.");
        tour.Show("kernel", w[0][0]);
        tour.Show("C", m.ToTensor());
        var y = Torch.FromArray(new double[] { 1, 2, 3, 4 }, 1, 1, 2, 2);
        var cty = m.ApplyTransposed(y);
        var direct = F.ConvTranspose2d(y, w);
        tour.Say("Multiplying Cᵀ by vec(y) and folding the 16 numbers back into 4×4 is exactly ConvTranspose2d(y):");
        tour.Show("y", y);
        tour.Show("Cᵀ·vec(y)", cty);
        tour.Show("ConvTranspose2d(y)", direct);
        double error = MaxAbsDiff(cty, direct);
        tour.Line($"max |Cᵀ·vec(y) − ConvTranspose2d(y)| = {Difference(cty, direct)}");

        var x = Torch.Zeros([1, 1, 4, 4], DType.Float64).RequiresGrad_();
        (F.Conv2d(x, w) * y).Sum().Backward();
        tour.Say("Backprop of L = Σ Conv2d(x)·y asks for Cᵀ·∂L/∂vec(Conv2d(x)) = Cᵀ·vec(y): the input gradient is the same product.");
        tour.Show("x.grad", x.Grad!);
        error = Math.Max(error, MaxAbsDiff(x.Grad!, cty));
        tour.Line($"max |x.grad − Cᵀ·vec(y)| = {Difference(x.Grad!, cty)}");
        return (error, (m.C.RowCount, m.C.ColumnCount));
    }
}
