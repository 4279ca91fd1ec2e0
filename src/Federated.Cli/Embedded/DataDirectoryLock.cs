using System.Globalization;

namespace Federated.Cli.Embedded;

/// <summary>Another process holds the data directory; the message names the directory and that process.</summary>
internal sealed class DataDirectoryLockedException(string message) : Exception(message);

/// <summary>
/// One writer per data directory: `fed demo`, `fed run` and `fed coordinator --data` hold an exclusive lock on
/// <c>fed.lock</c> in the directory for their lifetime, so a second process cannot pay the first one's rounds from
/// its own chain or write into its log. The lock is the operating system's (an open with FileShare.None, which .NET
/// takes as flock(LOCK_EX) on Unix and a sharing lock on Windows): it goes away with the process, even after kill -9,
/// so a crash leaves nothing to clean up. The holder's pid is written beside it (<c>fed.lock.pid</c>) for the error:
/// the locked file itself cannot be read by another process. Read-only commands (verify, events, payouts) take no lock.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "fed.lock";
    public const string OwnerFileName = "fed.lock.pid";

    private readonly FileStream _held;

    private DataDirectoryLock(FileStream held) => _held = held;

    /// <summary>Takes the lock on <paramref name="directory"/> (created if missing), or throws naming who holds it.</summary>
    /// <exception cref="DataDirectoryLockedException">Another process holds it.</exception>
    public static DataDirectoryLock Acquire(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        FileStream held;
        try
        {
            held = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                Options = FileOptions.None,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new DataDirectoryLockedException(
                $"the data directory {directory} is in use by {Holder(directory)} ({path} is locked); " +
                "stop that process or pass another --data-dir / --data");
        }
        var owner = Path.Combine(directory, OwnerFileName);
        File.WriteAllText(owner, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return new DataDirectoryLock(held);
    }

    private static string Holder(string directory)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(directory, OwnerFileName)).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? $"process {pid}" : "another process";
        }
        catch (IOException)
        {
            return "another process";
        }
    }

    public void Dispose() => _held.Dispose();
}
