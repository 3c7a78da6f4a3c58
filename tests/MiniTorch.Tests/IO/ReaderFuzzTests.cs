using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using MiniTorch.IO;

namespace MiniTorch.Tests.IO;

/// <summary>
/// Fuzzes the readers with FsCheck: valid files with random byte flips, overwrites, insertions,
/// deletions and truncations, plus random garbage (sometimes behind a valid signature). The only
/// allowed outcomes are a tensor or an <see cref="InvalidDataException"/>; anything else (an
/// IndexOutOfRange, an OutOfMemory, an overflow…) fails the property, and FsCheck prints the case
/// (a seed for the mutations) and its Replay seed.
/// </summary>
public class ReaderFuzzTests
{
    private const int Cases = 400;

    /// <summary>A case: which base file, and the seed of the mutations applied to it (mode 0 = garbage).</summary>
    private static Arbitrary<(int File, int Mode, int Seed)> CaseArb(int files) =>
        (from f in Gen.Choose(0, files - 1)
         from m in Gen.Choose(0, 6)
         from s in Gen.Choose(0, int.MaxValue)
         select (f, m, s)).ToArbitrary();

    internal static byte[] Mutate(byte[] original, int mode, int seed, ReadOnlySpan<byte> signature)
    {
        var rng = new Random(seed);
        var bytes = new List<byte>(original);
        switch (mode)
        {
            case 0: // garbage, half the time behind the right signature
            {
                var garbage = new byte[rng.Next(0, 300)];
                rng.NextBytes(garbage);
                return rng.Next(2) == 0 ? garbage : [.. signature, .. garbage];
            }
            case 1: // truncate
                return original[..rng.Next(0, original.Length)];
            default: // 1 to 4 random edits
                for (int k = rng.Next(1, 5); k > 0; k--)
                {
                    int at = rng.Next(0, Math.Max(1, bytes.Count));
                    switch (rng.Next(5))
                    {
                        case 0 when bytes.Count > 0: bytes[at] ^= (byte)(1 << rng.Next(8)); break;
                        case 1 when bytes.Count > 0: bytes[at] = (byte)rng.Next(256); break;
                        case 2: bytes.InsertRange(Math.Min(at, bytes.Count), Enumerable.Range(0, rng.Next(1, 9)).Select(_ => (byte)rng.Next(256))); break;
                        case 3 when bytes.Count > 0: bytes.RemoveRange(at, Math.Min(rng.Next(1, 9), bytes.Count - at)); break;
                        case 4 when bytes.Count > 0: bytes[at] = (byte)"0123456789{}[],\":-e."[rng.Next(20)]; break; // hits headers' numbers and syntax
                    }
                }
                return bytes.ToArray();
        }
    }

    private static bool SucceedsOrInvalidData(Func<Tensor> read)
    {
        try { read(); }
        catch (InvalidDataException) { }
        return true; // any other exception propagates and fails the property
    }

    private static Property Fuzz(byte[][] files, ReadOnlySpan<byte> signature, Func<byte[], byte[]> postProcess, Func<byte[], Tensor> read)
    {
        var sig = signature.ToArray();
        return Prop.ForAll(CaseArb(files.Length), c =>
            SucceedsOrInvalidData(() => read(postProcess(Mutate(files[c.File], c.Mode, c.Seed, sig)))));
    }

    private static byte[] Bytes(Action<Stream> write)
    {
        using var ms = new MemoryStream();
        write(ms);
        return ms.ToArray();
    }

    [Property(MaxTest = Cases)]
    public Property Safetensors_MutatedAndGarbageFiles_OnlyInvalidData()
    {
        var g = new Generator(1);
        byte[][] files =
        [
            File.ReadAllBytes(IOGolden.File("py_state.safetensors")),
            File.ReadAllBytes(IOGolden.File("minitorch_state.safetensors")),
            Bytes(s => Safetensors.Save(new Dictionary<string, Tensor> { ["a"] = Torch.Randn([2, 3], g), ["b"] = Torch.Zeros([1], DType.Float64) }, s)),
        ];
        return Fuzz(files, "\x40\0\0\0\0\0\0\0"u8, b => b, b => Safetensors.Load(new MemoryStream(b)).Values.FirstOrDefault() ?? Torch.Zeros(0));
    }

    [Property(MaxTest = Cases)]
    public Property Npy_MutatedAndGarbageFiles_OnlyInvalidData()
    {
        byte[][] files = [.. new[] { "py_f32.npy", "py_fortran.npy", "py_v2.npy", "py_v3.npy", "py_scalar.npy", "py_empty.npy" }
            .Select(f => File.ReadAllBytes(IOGolden.File(f)))];
        return Fuzz(files, [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], b => b, b => Npy.Load(new MemoryStream(b)));
    }

    /// <summary>Recomputes every chunk CRC it can find, so half the mutations reach the decoder behind the CRC check.</summary>
    internal static byte[] FixCrcs(byte[] png)
    {
        int pos = 8;
        while (pos + 12 <= png.Length)
        {
            long len = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos));
            if (len > png.Length - pos - 12) break;
            BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(pos + 8 + (int)len), Crc32.Compute(png.AsSpan(pos + 4, 4 + (int)len)));
            pos += 12 + (int)len;
        }
        return png;
    }

    [Property(MaxTest = Cases)]
    public Property Png_MutatedAndGarbageFiles_OnlyInvalidData()
    {
        byte[][] files = [.. new[] { "gray", "rgb", "rgba", "la", "palette", "1bit", "gray16", "rgb16_filters", "rgb8_filters" }
            .Select(k => File.ReadAllBytes(IOGolden.File($"py_{k}.png")))];
        byte[] sig = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        int calls = 0;
        return Fuzz(files, sig, b => ++calls % 2 == 0 ? FixCrcs(b) : b, b => Png.Decode(b));
    }

    [Property(MaxTest = Cases)]
    public Property Pgm_MutatedAndGarbageFiles_OnlyInvalidData()
    {
        byte[][] files = [.. new[] { "py_gray.pgm", "py_gray16.pgm", "py_ascii.pgm" }.Select(f => File.ReadAllBytes(IOGolden.File(f)))];
        return Fuzz(files, "P5\n"u8, b => b, b => Pgm.Decode(b));
    }
}
