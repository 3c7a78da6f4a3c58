namespace MiniTorch.Kernels;

/// <summary>
/// Per-core data-cache sizes in bytes, read once from Linux sysfs, with fallbacks typical of a
/// current x64 server core when they cannot be read (other OSes, containers hiding sysfs).
/// </summary>
internal static class CacheInfo
{
    public static readonly int L1 = Read(1, 32 << 10);
    public static readonly int L2 = Read(2, 512 << 10);
    /// <summary>The last-level cache (usually shared by all cores).</summary>
    public static readonly int L3 = Read(3, 8 << 20);

    private static int Read(int level, int fallback)
    {
        try
        {
            const string root = "/sys/devices/system/cpu/cpu0/cache";
            if (!Directory.Exists(root)) return fallback;
            foreach (var dir in Directory.EnumerateDirectories(root, "index*"))
            {
                if (File.ReadAllText(Path.Combine(dir, "level")).Trim() != level.ToString()) continue;
                if (File.ReadAllText(Path.Combine(dir, "type")).Trim() == "Instruction") continue;
                var size = File.ReadAllText(Path.Combine(dir, "size")).Trim();
                int factor = size.EndsWith('K') ? 1 << 10 : size.EndsWith('M') ? 1 << 20 : 1;
                if (int.TryParse(size.TrimEnd('K', 'M'), out int v) && v > 0) return v * factor;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return fallback;
    }
}
