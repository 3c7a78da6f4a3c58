namespace Dcgan.Data;

/// <summary>
/// A problem with the user's data (missing file, wrong magic number, empty folder …). The command
/// line prints its message and exits with a non-zero code instead of showing a stack trace.
/// </summary>
public sealed class DataException(string message, Exception? inner = null) : Exception(message, inner);
