namespace MiniTorch.Nn;

/// <summary>Pads the last two dimensions with zeros, like <c>torch.nn.ZeroPad2d</c>; negative amounts crop.</summary>
public sealed class ZeroPad2d : Module
{
    /// <summary>The same padding on all four sides.</summary>
    public ZeroPad2d(int padding) : this((padding, padding, padding, padding)) { }

    /// <summary>Padding (left, right, top, bottom).</summary>
    public ZeroPad2d((int Left, int Right, int Top, int Bottom) padding) => Padding = padding;

    /// <summary>The padding (left, right, top, bottom).</summary>
    public (int Left, int Right, int Top, int Bottom) Padding { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Pad(input, [Padding.Left, Padding.Right, Padding.Top, Padding.Bottom]);
    }
}
