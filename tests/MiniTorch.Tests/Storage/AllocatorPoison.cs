using System.Runtime.CompilerServices;
using MiniTorch.Storage;

namespace MiniTorch.Tests.Storage;

/// <summary>
/// The whole test suite runs with the caching allocator's poison on: an array handed out again for an
/// uninitialised storage is filled with NaN (−1 for int64) first, so a kernel that relies on fresh
/// memory being zero, or that skips an element, fails a test instead of passing by luck.
/// </summary>
internal static class AllocatorPoison
{
    [ModuleInitializer]
    internal static void TurnOn() => CachingAllocator.Poison = true;
}
