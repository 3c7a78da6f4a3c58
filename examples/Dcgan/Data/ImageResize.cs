namespace Dcgan.Data;

/// <summary>
/// Turns an arbitrary decoded picture ([C, H, W] in [0, 1]) into a 32×32 grayscale image:
/// luma for RGB (alpha ignored), then an area-weighted resize.
/// </summary>
public static class ImageResize
{
    /// <summary>ITU-R BT.601 luma of channel-planar pixels; one channel is returned unchanged.</summary>
    public static float[] ToGray(ReadOnlySpan<float> chw, int channels, int height, int width)
    {
        int plane = height * width;
        var gray = new float[plane];
        if (channels <= 2) { chw[..plane].CopyTo(gray); return gray; } // gray or gray+alpha
        for (int i = 0; i < plane; i++)
            gray[i] = 0.299f * chw[i] + 0.587f * chw[plane + i] + 0.114f * chw[2 * plane + i];
        return gray;
    }

    /// <summary>
    /// Resizes by area averaging: each output pixel is the mean of the input over its footprint,
    /// with fractional weights at the edges. When enlarging it degenerates to nearest neighbour,
    /// which is fine for the few small inputs this sees.
    /// </summary>
    public static float[] Resize(ReadOnlySpan<float> src, int height, int width, int outH, int outW)
    {
        var dst = new float[outH * outW];
        double sy = (double)height / outH, sx = (double)width / outW;
        for (int oy = 0; oy < outH; oy++)
        {
            double y0 = oy * sy, y1 = y0 + sy;
            for (int ox = 0; ox < outW; ox++)
            {
                double x0 = ox * sx, x1 = x0 + sx, sum = 0, area = 0;
                for (int iy = (int)y0; iy < Math.Min(height, (int)Math.Ceiling(y1)); iy++)
                {
                    double wy = Math.Min(y1, iy + 1) - Math.Max(y0, iy);
                    for (int ix = (int)x0; ix < Math.Min(width, (int)Math.Ceiling(x1)); ix++)
                    {
                        double w = wy * (Math.Min(x1, ix + 1) - Math.Max(x0, ix));
                        sum += w * src[iy * width + ix];
                        area += w;
                    }
                }
                dst[oy * outW + ox] = (float)(sum / area);
            }
        }
        return dst;
    }
}
