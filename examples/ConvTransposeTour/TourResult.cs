namespace ConvTransposeTour;

/// <summary>The tour's key numbers, so a test can check what the tour printed.</summary>
public sealed record TourResult
{
    /// <summary>Step 1: F.ConvTranspose2d of the seed input [[1,2,3],[4,5,6]] with linspace(0.1, 4.8) weights, [1, 3, 5, 6].</summary>
    public required Tensor SeedOutput { get; init; }
    /// <summary>Step 1: the sum of the six scaled kernel copies.</summary>
    public required Tensor SumOfCopies { get; init; }
    /// <summary>Step 1: number of kernel copies shown.</summary>
    public required int CopyCount { get; init; }
    /// <summary>Step 2: the zero-insertion view of the same configuration.</summary>
    public required Tensor ZeroInsertionOutput { get; init; }
    /// <summary>Step 2: the seed's ones-input case k3 s2 p2 by zero insertion.</summary>
    public required Tensor StridedOnesOutput { get; init; }
    /// <summary>Step 3: the larger of max |Cᵀy − ConvTranspose2d(y)| and max |Conv2d input gradient − Cᵀy|.</summary>
    public required double MatrixError { get; init; }
    /// <summary>Step 3: the shape of C.</summary>
    public required (int Rows, int Columns) MatrixShape { get; init; }
    /// <summary>Step 4: each output-size case as (label, formula value, size the op produced).</summary>
    public required IReadOnlyList<(string Case, int Formula, int Actual)> Sizes { get; init; }
    /// <summary>Step 5: Keras Conv2D 'valid', Conv2DTranspose 'valid' (s = 1, 2) and 'same' (s = 1).</summary>
    public required Tensor KerasConv { get; init; }
    /// <summary>Step 5: Conv2DTranspose 'valid', stride 1.</summary>
    public required Tensor KerasValid { get; init; }
    /// <summary>Step 5: Conv2DTranspose 'valid', stride 2.</summary>
    public required Tensor KerasValidStride2 { get; init; }
    /// <summary>Step 5: Conv2DTranspose 'same', stride 1.</summary>
    public required Tensor KerasSame { get; init; }
    /// <summary>Step 6: ⟨conv(x), y⟩.</summary>
    public required double AdjointLeft { get; init; }
    /// <summary>Step 6: ⟨x, convᵀ(y)⟩.</summary>
    public required double AdjointRight { get; init; }
    /// <summary>Step 6: max |∂L/∂x − ConvTranspose2d(∂L/∂y)|.</summary>
    public required double GradientError { get; init; }
    /// <summary>Step 7: the 1-D overlap counts for k3 s2, k4 s2 and k9 s2 over 8 inputs.</summary>
    public required IReadOnlyDictionary<string, int[]> Overlaps { get; init; }
    /// <summary>Step 7: the printed 2-D overlap counts for k3 s2 on an 8×8 input, the grid drawn in overlap_k3s2.svg.</summary>
    public required Tensor OverlapGrid { get; init; }
    /// <summary>Step 7: standard deviation of the central 16×16 of the strided generator's output.</summary>
    public required double StridedInteriorStd { get; init; }
    /// <summary>Step 7: the same for the resize-convolution generator.</summary>
    public required double ResizeInteriorStd { get; init; }
    /// <summary>Step 7: the SVG pictures written.</summary>
    public required IReadOnlyList<string> Pictures { get; init; }
}
