namespace MiniTorch;

public static partial class Torch
{
    /// <summary>
    /// Sets how many threads kernels use (like <c>torch.set_num_threads</c>). The default is the
    /// processor count, or <c>MINITORCH_NUM_THREADS</c> when set. Results do not depend on it.
    /// </summary>
    public static void SetNumThreads(int n) => Kernels.Threading.NumThreads = n;

    /// <summary>The number of threads kernels use.</summary>
    public static int GetNumThreads() => Kernels.Threading.NumThreads;
}
