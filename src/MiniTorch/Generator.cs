namespace MiniTorch;

/// <summary>
/// A seedable pseudo-random generator (xoshiro256**), like <c>torch.Generator</c>. It derives from
/// <see cref="Random"/> so that MathNet.Numerics distributions can draw from it, and its whole
/// state can be saved and restored, so a training run can resume bit for bit.
/// </summary>
/// <remarks>
/// Safe to share between threads, as PyTorch's generators are (each holds a mutex): every draw —
/// one call of a method here, or one whole tensor filled by <see cref="Torch.Rand"/>,
/// <see cref="Torch.Randn"/>, <see cref="Torch.Normal"/>, <see cref="Torch.Uniform"/> or an
/// <see cref="Nn.Init"/> function — takes the generator's lock once and advances the state
/// atomically, so concurrent draws never hand out the same numbers, and each tensor is a
/// contiguous run of the stream. Which thread's draw comes first is up to the scheduler; for
/// reproducible parallel sampling give each thread its own generator. An uncontended lock costs
/// tens of nanoseconds per call or per tensor; the per-element loop of a tensor fill takes no lock.
/// </remarks>
public sealed class Generator : Random
{
    private ulong _s0, _s1, _s2, _s3;
    private readonly Lock _lock = new();
    private readonly Unlocked _unlocked;

    /// <summary>Creates a generator seeded with <paramref name="seed"/>.</summary>
    public Generator(long seed = 0)
    {
        _unlocked = new Unlocked(this);
        ManualSeed(seed);
    }

    /// <summary>Re-seeds the generator (SplitMix64 expands the seed into the state).</summary>
    public Generator ManualSeed(long seed)
    {
        ulong x = (ulong)seed;
        lock (_lock) { _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x); }
        return this;
    }

    /// <summary>The full state, four 64-bit words.</summary>
    public ulong[] GetState()
    {
        lock (_lock) return [_s0, _s1, _s2, _s3];
    }

    /// <summary>Restores a state returned by <see cref="GetState"/>.</summary>
    public void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != 4) throw new ArgumentException($"generator state must have 4 words, got {state.Length}", nameof(state));
        if ((state[0] | state[1] | state[2] | state[3]) == 0) throw new ArgumentException("generator state must not be all zero", nameof(state));
        lock (_lock) (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
    }

    /// <summary>
    /// Runs <paramref name="draw"/> holding this generator's lock, handing it a <see cref="Random"/>
    /// over the same state that takes no lock per number: one tensor fill is one atomic draw.
    /// </summary>
    internal void Draw(Action<Random> draw)
    {
        lock (_lock) draw(_unlocked);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    // The xoshiro256** step; callers hold the lock.
    private ulong Step()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    // The derived draws, shared by the locked public methods and the unlocked view.
    private static double ToDouble(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));
    private static int ToBelow(ulong bits, int maxValue) => (int)((bits >> 32) * (ulong)maxValue >> 32);
    private static int ToRange(ulong bits, int minValue, int maxValue) => minValue + (int)((bits >> 32) * (ulong)((long)maxValue - minValue) >> 32);

    private static void CheckBelow(int maxValue)
    {
        if (maxValue < 0) throw new ArgumentOutOfRangeException(nameof(maxValue), maxValue, "'maxValue' must be greater than or equal to zero.");
    }

    private static void CheckRange(int minValue, int maxValue)
    {
        if (minValue > maxValue) throw new ArgumentOutOfRangeException(nameof(minValue), minValue, "'minValue' cannot be greater than maxValue.");
    }

    private void FillBytes(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++) buffer[i] = (byte)(Step() >> 56);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        lock (_lock) return Step();
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public override double NextDouble() => ToDouble(NextUInt64());

    /// <inheritdoc />
    protected override double Sample() => NextDouble();

    /// <inheritdoc />
    public override int Next() => (int)(NextUInt64() >> 33);

    /// <inheritdoc />
    public override int Next(int maxValue)
    {
        CheckBelow(maxValue);
        return ToBelow(NextUInt64(), maxValue);
    }

    /// <inheritdoc />
    public override int Next(int minValue, int maxValue)
    {
        CheckRange(minValue, maxValue);
        return ToRange(NextUInt64(), minValue, maxValue);
    }

    /// <inheritdoc />
    public override void NextBytes(Span<byte> buffer)
    {
        lock (_lock) FillBytes(buffer);
    }

    /// <inheritdoc />
    public override void NextBytes(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        NextBytes(buffer.AsSpan());
    }

    /// <summary>
    /// The same stream as the generator's public methods, without the lock: only handed out by
    /// <see cref="Draw"/>, whose caller holds the lock.
    /// </summary>
    private sealed class Unlocked(Generator g) : Random
    {
        public override double NextDouble() => ToDouble(g.Step());
        protected override double Sample() => NextDouble();
        public override int Next() => (int)(g.Step() >> 33);

        public override int Next(int maxValue)
        {
            CheckBelow(maxValue);
            return ToBelow(g.Step(), maxValue);
        }

        public override int Next(int minValue, int maxValue)
        {
            CheckRange(minValue, maxValue);
            return ToRange(g.Step(), minValue, maxValue);
        }

        public override void NextBytes(Span<byte> buffer) => g.FillBytes(buffer);

        public override void NextBytes(byte[] buffer)
        {
            ArgumentNullException.ThrowIfNull(buffer);
            g.FillBytes(buffer);
        }
    }
}
