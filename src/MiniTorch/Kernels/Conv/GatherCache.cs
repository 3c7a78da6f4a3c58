using System.Collections.Concurrent;

namespace MiniTorch.Kernels;

/// <summary>What a planar geometry's gather tables depend on, plus one more number (a phase's start, or a panel width).</summary>
internal readonly record struct GatherKey(int BigH, int BigW, int SmallH, int SmallW, int KH, int KW, int SH, int SW, int PH, int PW, int DH, int DW, int Extra)
{
    public static GatherKey Of(in ConvGeometry g, int extra) =>
        new(g.BigH, g.BigW, g.SmallH, g.SmallW, g.KH, g.KW, g.SH, g.SW, g.PH, g.PW, g.DH, g.DW, extra);
}

/// <summary>
/// Immutable gather tables (lane indices, masks, offsets) by geometry, so that the per-call and per-item gathers of a
/// training step (the same few layers every step) do not build them again: rebuilt per call they were 0.2 MB of
/// allocations a step in the example. Bounded: past <see cref="Capacity"/> geometries new tables are built and not kept.
/// </summary>
internal sealed class GatherCache<TValue> where TValue : class
{
    private const int Capacity = 256;
    private readonly ConcurrentDictionary<GatherKey, TValue> _tables = new();

    public bool TryGet(GatherKey key, out TValue value) => _tables.TryGetValue(key, out value!);

    /// <summary>Keeps <paramref name="value"/> for <paramref name="key"/> while there is room (another thread's equal tables may win) and returns it.</summary>
    public TValue Add(GatherKey key, TValue value)
    {
        if (_tables.Count < Capacity) _tables.TryAdd(key, value);
        return value;
    }
}
