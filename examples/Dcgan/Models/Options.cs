namespace Dcgan.Models;

/// <summary>How the generator doubles its resolution.</summary>
public enum UpsampleMode
{
    /// <summary>Stride-2, kernel-4 ConvTranspose2d, as in the DCGAN paper.</summary>
    Transposed,

    /// <summary>Nearest-neighbour ×2 interpolation then a 3×3 Conv2d (Odena et al., 2016): no checkerboard artifacts.</summary>
    Resize,
}

/// <summary>The adversarial objective.</summary>
public enum LossMode
{
    /// <summary>The original GAN loss with BCEWithLogits (non-saturating generator loss).</summary>
    Bce,

    /// <summary>Wasserstein loss with gradient penalty (Gulrajani et al., 2017).</summary>
    WganGp,

    /// <summary>Hinge loss (Lim and Ye, 2017; Miyato et al., 2018); modern recipe only.</summary>
    Hinge,
}

/// <summary>Sizes of the two networks.</summary>
/// <param name="Nz">Latent size.</param>
/// <param name="Ngf">Generator feature maps in its last hidden layer.</param>
/// <param name="Ndf">Discriminator feature maps in its first layer.</param>
/// <param name="Nc">Image channels.</param>
public sealed record ModelConfig(int Nz = 64, int Ngf = 32, int Ndf = 16, int Nc = 1);
