using Dcgan.Data;
using MiniTorch;
using MiniTorch.IO;
using MiniTorch.Nn;
using SharpFuzz;

namespace MiniTorch.Fuzz;

/// <summary>
/// One fuzz target per reader, for AFL++ through SharpFuzz (see fuzz/README.md). A target feeds the
/// input to its reader; a tensor or an <see cref="InvalidDataException"/> is a normal outcome, any other
/// exception escapes and AFL++ records a crash, and a read that runs past AFL's time limit a hang.
/// Without AFL (no __AFL_SHM_ID), <c>MiniTorch.Fuzz TARGET FILE...</c> runs the target once on each file
/// and prints the outcome: that is how a crash is reproduced, with the uninstrumented build
/// (<c>dotnet run --project fuzz/MiniTorch.Fuzz -c Release -- TARGET FILE...</c>).
/// </summary>
public static class Program
{
    // Tight budgets, so a bomb that slips past a check shows up as a hang or a crash, not as a slow success.
    // Made on first use: instrumented code must not run before Fuzzer.Run has set up AFL's shared memory.
    private static ReadLimits? _limits;
    private static ReadLimits Limits => _limits ??= new() { MaxPixels = 1 << 22, MaxBytes = 64 << 20 };

    private static readonly Dictionary<string, Action<Stream>> Targets = new()
    {
        // Random mutations almost never keep a chunk's CRC valid, so the target repairs every CRC it can
        // find before decoding: the fuzzer then reaches the decoder behind the check (the CRC check
        // itself is covered by the hostile corpus).
        ["png"] = s => Png.Decode(FixCrcs(All(s)), Limits),
        ["pgm"] = s => Pgm.Decode(All(s), Limits),
        ["image"] = s => ImageIO.Decode(All(s), Limits), // every format ImageIO reads: the signature picks the decoder
        ["npy"] = s => Npy.Load(Seekable(s), Limits),
        ["safetensors"] = s => Safetensors.LoadFile(Seekable(s), Limits),
        ["idx"] = s => OnFile(s, "images", path => MnistIdx.ReadImages(path, limits: Limits)),
        ["idx-gz"] = s => OnFile(s, "images.gz", path => MnistIdx.ReadImages(path, limits: Limits)),
        ["idx-labels"] = s => OnFile(s, "labels", path => MnistIdx.ReadLabels(path, 3, Limits)),
        ["txt"] = s => OnFile(s, "k0_0.txt", path => new Kernel().LoadTxtKernels("w", Path.GetDirectoryName(path)!, "k{0}_{1}.txt")),
        // Proves the harness: a planted bug (an index error on inputs whose first byte is 'X') that AFL++
        // must report as a crash within a minute (`fuzz/run.sh selftest 60`).
        ["selftest"] = s => SelfTest(All(s)),
    };

    private static void SelfTest(byte[] data)
    {
        if (data.Length > 0 && data[0] == 'X') _ = data[data.Length];
        Png.Decode(data, Limits); // instrumented code, so AFL sees coverage and keeps going
    }

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Targets.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine($"usage: MiniTorch.Fuzz TARGET [FILE...]; targets: {string.Join(", ", Targets.Keys)}");
            return 2;
        }
        Action<Stream> guarded = s =>
        {
            try { target(s); }
            catch (InvalidDataException) { } // the one expected way to refuse a file
        };
        if (Environment.GetEnvironmentVariable("__AFL_SHM_ID") is null)
        {
            foreach (var file in args.Skip(1))
            {
                using var stream = File.OpenRead(file);
                try { target(stream); Console.WriteLine($"{file}: read"); }
                catch (InvalidDataException e) { Console.WriteLine($"{file}: InvalidDataException: {e.Message}"); }
            }
            return 0;
        }
        Fuzzer.OutOfProcess.Run(guarded);
        return 0;
    }

    private static byte[] All(Stream s)
    {
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    private static MemoryStream Seekable(Stream s) => new(All(s));

    private static byte[] FixCrcs(byte[] png)
    {
        for (long pos = 8; pos + 12 <= png.Length;)
        {
            long length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan((int)pos));
            if (length > png.Length - pos - 12) break;
            var typeAndData = png.AsSpan((int)pos + 4, 4 + (int)length);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan((int)(pos + 8 + length)), System.IO.Hashing.Crc32.HashToUInt32(typeAndData));
            pos += 12 + length;
        }
        return png;
    }

    // The IDX and text readers take paths: the input goes to a file of the right name in a private folder.
    private static readonly string Scratch = Directory.CreateTempSubdirectory("minitorch-fuzz-").FullName;

    private static void OnFile(Stream s, string name, Action<string> read)
    {
        string path = Path.Combine(Scratch, name);
        File.WriteAllBytes(path, All(s));
        read(path);
    }

    /// <summary>A module with one 3×3 kernel, for the text-kernel reader.</summary>
    private sealed class Kernel : Module
    {
        public Kernel() => RegisterParameter("w", Torch.Zeros(1, 1, 3, 3));
        public override Tensor Forward(Tensor input) => input;
    }
}
