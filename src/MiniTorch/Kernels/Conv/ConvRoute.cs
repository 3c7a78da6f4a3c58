namespace MiniTorch.Kernels;

/// <summary>
/// The three passes of a convolution geometry, named from the convolution's side: the transposed
/// convolution's forward is the <see cref="InputGrad"/> pass, and its input gradient the <see cref="Forward"/> pass.
/// </summary>
internal enum ConvPass
{
    /// <summary>Big → small: the convolution's forward, the transposed convolution's input gradient.</summary>
    Forward,
    /// <summary>Small → big: the convolution's input gradient, the transposed convolution's forward.</summary>
    InputGrad,
    /// <summary>(big, small) → weight: the weight gradient of both.</summary>
    WeightGrad,
}

/// <summary>The vector instructions a route may use (the planner's third input).</summary>
internal enum ConvIsa
{
    /// <summary>No hardware vectors: the scalar fallbacks.</summary>
    Scalar,
    /// <summary>Vector256 (AVX2 with FMA).</summary>
    Vector256,
    /// <summary>Vector512 (AVX-512).</summary>
    Vector512,
}

/// <summary>
/// Every way the convolution kernels can compute a pass, one name each (like PyTorch's ConvBackend).
/// <see cref="ConvPlanner.Choose"/> picks one; <see cref="ConvKernels.Run{T}"/> runs it. Each route's
/// code sits in its own file of Kernels/Conv/.
/// </summary>
internal enum ConvRoute
{
    /// <summary>Scalar loops over the definition, every pass and rank (Reference.cs): the oracle and last resort.</summary>
    Reference,

    // Forward (big → small)
    /// <summary>Register-blocked direct convolution along output rows, no im2col (ConvDirect.Conv2d.cs); any rank, Vector512.</summary>
    DirectRows,
    /// <summary>The kernel covers the whole unpadded image: one GEMM over the batch (Conv.cs).</summary>
    WholeImageGemm,
    /// <summary>1×1, unit stride: the image is the column matrix, GEMM per pixel tile (Conv.cs).</summary>
    PointwiseGemm,
    /// <summary>Im2col (vol2col in 3-d) over bounded pixel tiles of one image × GEMM (Conv.cs).</summary>
    Im2colTiles,
    /// <summary>Im2col of whole small images side by side in one tile × GEMM (Conv.cs).</summary>
    Im2colImages,

    // Input gradient (small → big)
    /// <summary>Each output phase as a dense direct convolution with its sub-kernel (ConvDirect.Transposed.cs); 2-d, Vector512.</summary>
    DirectPhases,
    /// <summary>
    /// Each output phase as a dense direct convolution whose vectors run over whole phase planes (rows
    /// folded into vectors, read from column-shifted copies of the input) (ConvDirect.PhasePlanes.cs); any rank, Vector512.
    /// </summary>
    DirectPhasePlanes,
    /// <summary>1×1, unit stride: wᵀ·z per pixel tile (ConvTranspose.cs).</summary>
    PointwiseTransposedGemm,
    /// <summary>One input pixel whose kernel copy is the whole output: one GEMM (ConvTranspose.cs).</summary>
    OnePixelGemm,
    /// <summary>One output channel per group, up to four phases fused with masked taps (ConvTransposeOneChannel.Fused.cs); 2-d, vectors.</summary>
    OneChannelFused,
    /// <summary>One output channel per group, phase by phase (ConvTransposeOneChannel.General.cs); 2-d.</summary>
    OneChannelGeneral,
    /// <summary>Each output phase's sub-kernel × phase column tiles, GEMM (ConvTranspose.cs); 2-d.</summary>
    PhaseGemm,
    /// <summary>Transposed weight × input tiles (GEMM), then scatter-add into the output (Col2vol.cs); any rank.</summary>
    Col2volGemm,

    // Weight gradient
    /// <summary>Output-gradient tiles × im2col (vol2col) tiles, chunked pixel sum (ConvWeightGrad.cs); any rank.</summary>
    WeightGradIm2col,
    /// <summary>1×1, unit stride: output-gradient tiles × the input itself (ConvWeightGrad.cs).</summary>
    WeightGradPointwise,
    /// <summary>Pixel-major columns from a channels-last copy, so GEMM packs contiguously (ConvWeightGradChannelsLast.cs); any rank.</summary>
    WeightGradChannelsLast,
}
