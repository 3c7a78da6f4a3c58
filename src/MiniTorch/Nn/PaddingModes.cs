namespace MiniTorch.Nn;

/// <summary>The string padding modes shared by <see cref="Padding1d"/>, <see cref="Padding2d"/> and <see cref="Padding3d"/>.</summary>
internal static class PaddingModes
{
    /// <summary>"same" or "valid", as PyTorch accepts them; anything else throws PyTorch's message.</summary>
    public static ConvPaddingKind Parse(string mode) => mode switch
    {
        "same" => ConvPaddingKind.Same,
        "valid" => ConvPaddingKind.Valid,
        _ => throw new ArgumentException($"Invalid padding string '{mode}', should be one of {{'valid', 'same'}}"),
    };
}
