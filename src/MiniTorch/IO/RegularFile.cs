using System.Runtime.InteropServices;

namespace MiniTorch.IO;

/// <summary>
/// Opens files for reading as MiniTorch's readers do: only regular files (symbolic links are followed,
/// so a link to a regular file works, as in torchvision), never a device, FIFO or socket, which are
/// refused from their metadata without being opened (opening a FIFO blocks; /dev/zero never ends).
/// Programs with readers of their own (the DCGAN example's IDX reader) use it too.
/// </summary>
public static partial class RegularFile
{
    /// <summary>Throws <see cref="FileNotFoundException"/> if <paramref name="path"/> does not exist (or is a
    /// dangling link) and <see cref="InvalidDataException"/> if it is not a regular file (after following
    /// symbolic links): a directory, device, FIFO or socket.</summary>
    /// <param name="path">The path.</param>
    public static void Check(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new InvalidDataException($"'{path}' is a directory, not a file");
        int? type = UnixFileType(path);
        if (!File.Exists(path) || type == Missing)
        {
            // A dangling symbolic link exists as a link but not as a file.
            string why = new FileInfo(path).LinkTarget is { } target ? $" (it is a symbolic link to the missing '{target}')" : "";
            throw new FileNotFoundException($"no such file: '{path}'{why}", path);
        }
        if (type is { } t && t != FileTypeRegular)
            throw new InvalidDataException($"'{path}' is {Describe(t)}, not a regular file; readers refuse devices, FIFOs and sockets without reading them");
    }

    /// <summary>Opens a regular file for reading (see <see cref="Check"/>).</summary>
    /// <param name="path">The path.</param>
    public static FileStream Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Check(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    /// <summary>
    /// The whole of a regular file, refused (before it is read, with <see cref="InvalidDataException"/>)
    /// when it is larger than <paramref name="maxBytes"/>. Reads exactly the length the file had when opened.
    /// </summary>
    /// <param name="path">The path.</param>
    /// <param name="maxBytes">The largest size accepted.</param>
    /// <param name="what">What the file is, for the message ("PNG file").</param>
    public static byte[] ReadAllBytes(string path, long maxBytes, string what = "file")
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(what);
        using var stream = Open(path);
        long length = stream.Length;
        if (length > maxBytes) throw new InvalidDataException($"'{path}': {what} of {length} bytes is larger than the limit of {maxBytes} (ReadLimits.MaxBytes)");
        if (length > Array.MaxLength) throw new InvalidDataException($"'{path}': {what} of {length} bytes is too large to read into memory");
        var bytes = GC.AllocateUninitializedArray<byte>((int)length);
        try { stream.ReadExactly(bytes); }
        catch (EndOfStreamException) { throw new InvalidDataException($"'{path}' shrank while it was being read"); }
        return bytes;
    }

    /// <summary>
    /// An image file's bytes, read only after its header has been checked: the first 64 KiB are read, the
    /// format recognised from them and the size its header declares checked against the pixel budget,
    /// and a file longer than that size can need is refused before the rest is read (a sparse
    /// multi-gigabyte file behind a small valid header costs nothing). Unknown signatures are refused
    /// after the prefix.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="limits">The budgets.</param>
    /// <param name="only">Called on the prefix when set and the file is not of that reader's format, so its own "bad signature" error is raised.</param>
    internal static byte[] ReadImageFile(string path, ReadLimits limits, Func<byte[], bool>? only = null)
    {
        using var stream = Open(path);
        long length = stream.Length;
        var bytes = GC.AllocateUninitializedArray<byte>((int)Math.Min(length, 1 << 16));
        stream.ReadExactly(bytes);
        long? bound = Named(path, () =>
        {
            if (only is not null && !only(bytes)) return null;
            if (Png.HasSignature(bytes)) return PngDecoder.MaxFileLength(bytes, limits);
            if (Pgm.HasSignature(bytes) || Pgm.HasPixmapSignature(bytes)) return Pgm.MaxFileLength(bytes, limits);
            if (bytes.Length == 0) return null;
            stream.Position = 0;
            return ImageSharpCodec.MaxFileLength(stream, length, limits);
        });
        if (bound is { } b && length > b)
            throw new InvalidDataException($"'{path}': image file of {length} bytes is larger than the {b} bytes the image size in its header can need");
        if (length > limits.MaxBytes) throw new InvalidDataException($"'{path}': image file of {length} bytes is larger than the limit of {limits.MaxBytes} (ReadLimits.MaxBytes)");
        if (length > Array.MaxLength) throw new InvalidDataException($"'{path}': image file of {length} bytes is too large to read into memory");
        if (length == bytes.Length) return bytes;
        var all = GC.AllocateUninitializedArray<byte>((int)length);
        bytes.CopyTo(all, 0);
        stream.Position = bytes.Length;
        try { stream.ReadExactly(all.AsSpan(bytes.Length)); }
        catch (EndOfStreamException) { throw new InvalidDataException($"'{path}' shrank while it was being read"); }
        return all;
    }

    /// <summary>Runs a decoder on a named file, prefixing its <see cref="InvalidDataException"/>s with the file name.</summary>
    internal static T Named<T>(string path, Func<T> read)
    {
        try { return read(); }
        catch (InvalidDataException e) when (!e.Message.StartsWith($"'{path}'", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{path}': {e.Message}", e);
        }
    }

    private const int FileTypeMask = 0xF000, FileTypeRegular = 0x8000, Missing = 0;

    private static string Describe(int type) => type switch
    {
        0x1000 => "a FIFO (named pipe)",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0xC000 => "a socket",
        0x4000 => "a directory",
        _ => $"a special file (type 0x{type:X4})",
    };

    // .NET exposes no file type, so ask the runtime's own native shim (libSystem.Native, which System.IO
    // uses on every Unix) for stat(2): its FileStatus starts with int32 Flags, int32 Mode on every
    // architecture, and Mode carries the S_IFMT bits. 256 bytes are more than the struct needs.
    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SystemNativeStat(string path, Span<byte> output);

    private static bool _noNativeStat;

    /// <summary>
    /// The S_IFMT bits of <paramref name="path"/> after following links, <see cref="Missing"/> when
    /// stat fails (nothing there, or a dangling link), or null where they cannot be had (Windows).
    /// </summary>
    private static int? UnixFileType(string path)
    {
        if (OperatingSystem.IsWindows() || _noNativeStat) return null;
        Span<byte> status = stackalloc byte[256];
        try
        {
            if (SystemNativeStat(path, status) != 0) return Missing;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _noNativeStat = true;
            return null;
        }
        return BitConverter.ToInt32(status[4..]) & FileTypeMask;
    }
}
