namespace MiniTorch.Nn;

/// <summary>
/// The functional interface, mirroring <c>torch.nn.functional</c>: stateless operations that
/// layers are built from. Each family of functions lives in its own partial file (F.Conv.cs,
/// F.Activation.cs, F.Interpolate.cs, …).
/// </summary>
public static partial class F
{
}
