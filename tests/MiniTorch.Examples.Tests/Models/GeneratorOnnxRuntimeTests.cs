using Dcgan.Models;
using FsCheck;
using FsCheck.Fluent;
using MiniTorch.IO;
using MiniTorch.Tests.IO;

namespace MiniTorch.Examples.Tests.Models;

/// <summary>The DCGAN generator, exported to ONNX, runs in ONNX Runtime (in process) and gives what its Forward gives.</summary>
public class GeneratorOnnxRuntimeTests
{
    /// <summary>A generator configuration, both upsampling modes, and a batch size.</summary>
    public sealed record GeneratorCase(ModelConfig Config, UpsampleMode Upsample, int Batch, int Seed);

    /// <summary>
    /// The FsCheck Arbitrary of <see cref="GeneratorCase"/>: small sizes of every kind, at least 4 latent
    /// and feature channels. (With one or two feature maps the last layers' outputs are ~10⁻⁴ of their
    /// O(1) inputs after BatchNorm's subtraction, so float32 rounding alone is ~10⁻⁵ of the output.)
    /// </summary>
    public static class Arbitraries
    {
        /// <summary>Random generator configurations.</summary>
        public static Arbitrary<GeneratorCase> Cases() =>
            (from nz in Gen.Choose(4, 16)
             from ngf in Gen.Choose(4, 8)
             from nc in Gen.Choose(1, 3)
             from upsample in Gen.Elements(UpsampleMode.Transposed, UpsampleMode.Resize)
             from batch in Gen.Choose(1, 3)
             from seed in Gen.Choose(0, int.MaxValue - 1)
             select new GeneratorCase(new ModelConfig(nz, ngf, 16, nc), upsample, batch, seed)).ToArbitrary();
    }

    /// <summary>
    /// A generator in eval mode whose BatchNorm running statistics have converged to its activations'
    /// (40 training-mode batches at momentum 0.1), as after training: eval-mode activations are then
    /// normalised, as they are in a trained generator.
    /// </summary>
    private static DcganGenerator Trained(GeneratorCase c)
    {
        var g = new Generator(c.Seed);
        var model = new DcganGenerator(c.Config, c.Upsample, g);
        using (Torch.NoGrad())
            for (int i = 0; i < 40; i++) model.Forward(Torch.Randn([8, c.Config.Nz, 1, 1], g));
        model.Eval();
        return model;
    }

    [Theory]
    [InlineData(UpsampleMode.Transposed)]
    [InlineData(UpsampleMode.Resize)]
    public void DcganGenerator_DefaultSizes_OnnxRuntimeEqualsForward(UpsampleMode upsample) =>
        DcganGenerator_RandomConfigurations_OnnxRuntimeEqualsForward(new GeneratorCase(new ModelConfig(), upsample, 4, 5));

    [Property(MaxTest = 12, Arbitrary = [typeof(Arbitraries)])]
    public void DcganGenerator_RandomConfigurations_OnnxRuntimeEqualsForward(GeneratorCase c)
    {
        var model = Trained(c);
        var z = Torch.Randn([c.Batch, c.Config.Nz, 1, 1], new Generator(c.Seed + 1));
        // The generator's layers are its Sequential "main"; its Forward is main's.
        var fromOrt = OnnxRuntimeRunner.Run(Onnx.ToBytes(model.Main, z), z);
        Tensor expected;
        using (Torch.NoGrad()) expected = model.Forward(z);
        Assert.Equal([c.Batch, c.Config.Nc, 32, 32], expected.Shape);
        OnnxRuntimeRunner.AssertClose(expected, fromOrt, 1e-5, c.ToString());
    }
}
