using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MiniTorch.Tests.IO;

/// <summary>
/// Makes the special files a reader may meet, at test time, in a temporary folder: a FIFO, a Unix
/// socket, symbolic links to a character device and to a regular file, a dangling link.
/// </summary>
internal sealed partial class SpecialFiles : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("mt_special_").FullName;

    public string Path(string name) => System.IO.Path.Combine(Dir, name);

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MkFifo(string path, uint mode);

    public static bool Supported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <summary>A FIFO: opening it for reading would block until a writer comes.</summary>
    public string Fifo(string name)
    {
        string path = Path(name);
        if (MkFifo(path, Convert.ToUInt32("644", 8)) != 0) throw new IOException($"mkfifo '{path}' failed: errno {Marshal.GetLastPInvokeError()}");
        return path;
    }

    /// <summary>A Unix domain socket bound to a path (kept open until disposal).</summary>
    public string Socket(string name)
    {
        string path = Path(name);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        _sockets.Add(socket);
        return path;
    }

    /// <summary>A symbolic link to <paramref name="target"/>, such as /dev/zero (endless zeros) or a regular file.</summary>
    public string Link(string name, string target)
    {
        string path = Path(name);
        File.CreateSymbolicLink(path, target);
        return path;
    }

    private readonly List<Socket> _sockets = [];

    public void Dispose()
    {
        foreach (var s in _sockets) s.Dispose();
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>
    /// Runs <paramref name="read"/> on another thread and returns its exception; a read that has not
    /// finished after <paramref name="seconds"/> fails the test (instead of hanging the test run).
    /// </summary>
    public static Exception? Within(double seconds, Action read)
    {
        var task = Task.Factory.StartNew(read, TaskCreationOptions.LongRunning);
        bool finished = Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(seconds))).GetAwaiter().GetResult() == task;
        Assert.True(finished, $"the read did not finish within {seconds} s (blocked on a special file?)");
        return task.Exception?.InnerException;
    }
}
