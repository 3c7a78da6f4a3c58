using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Tests.Generators;
using MiniTorch.Tests.Nn;
using MiniTorch.Tests.Teaching;

// Every [Property] here runs on a fixed seed (see FixedSeedPropertiesAttribute), with these default arbitraries.
[assembly: FixedSeedProperties(typeof(TensorArbitraries), typeof(ConvArbitraries.UpTo7), typeof(TransposedCase.Arbitraries))]

namespace MiniTorch.Tests.Generators;

/// <summary>
/// The default FsCheck Arbitrary for <see cref="TensorCase"/>: a random shape of rank 0–4 with at most
/// 12 elements, in any layout (contiguous, permuted, sliced with a step, expanded), values in ±[0.1, 2].
/// A property that takes a <c>TensorCase</c> parameter gets these; other profiles are the nested classes.
/// </summary>
public static class TensorArbitraries
{
    /// <summary>Any small tensor (<see cref="TensorGen.AnyTensor"/> with its defaults).</summary>
    public static Arbitrary<TensorCase> TensorCase() => TensorGen.AnyTensor().ToArbitrary();

    /// <summary>Tensors of rank 0–3.</summary>
    public static class UpToRank3
    {
        /// <summary>Any tensor of rank at most 3.</summary>
        public static Arbitrary<TensorCase> TensorCase() => TensorGen.AnyTensor(maxRank: 3).ToArbitrary();
    }

    /// <summary>Tensors of up to 36 elements (reductions over several SIMD widths and loop shapes).</summary>
    public static class UpTo36
    {
        /// <summary>Any tensor of at most 36 elements.</summary>
        public static Arbitrary<TensorCase> TensorCase() => TensorGen.AnyTensor(maxNumel: 36).ToArbitrary();
    }
}
