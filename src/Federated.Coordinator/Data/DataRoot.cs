using Federated.Domain.Runs;

namespace Federated.Coordinator.Data;

/// <summary>
/// The one folder a run spec's dataset files may come from. A spec is input from outside (a launch request over the
/// bus carries one), so its <c>dataset.path</c> is resolved here and nowhere else: joined to the root, every symbolic
/// link in it followed to its end, and refused unless the file it lands on lies inside the root (itself resolved the
/// same way), is a regular file (not a device, FIFO, socket or directory) and is at most <see cref="MaxFileBytes"/>.
/// Everything is checked before the file is opened, and the open file is checked again to be the same one; the read
/// stops at the size the check saw. Every refusal is a <see cref="RunSpecException"/> on <c>dataset.path</c>.
/// </summary>
public sealed class DataRoot
{
    /// <summary>1 GiB: a large text corpus, and still a bounded allocation.</summary>
    public const long DefaultMaxFileBytes = 1L << 30;

    /// <summary>Above this a byte array cannot hold the file.</summary>
    public const long LargestMaxFileBytes = int.MaxValue - 1024;

    private const string Field = "dataset.path";
    private const int MaxLinkHops = 40; // as the kernel's ELOOP limit

    // Kernel pseudo-filesystems report their files as regular with size 0 and produce anything on read.
    private static readonly string[] PseudoFileSystems = ["/proc/", "/sys/", "/dev/"];

    public DataRoot(string path, long maxFileBytes = DefaultMaxFileBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (maxFileBytes < 1 || maxFileBytes > LargestMaxFileBytes)
            throw new ArgumentOutOfRangeException(nameof(maxFileBytes), maxFileBytes, $"must be between 1 and {LargestMaxFileBytes} bytes");
        Path = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(Path)) throw new DirectoryNotFoundException($"data root '{Path}' is not a folder");
        ResolvedPath = RealPath(Path);
        MaxFileBytes = maxFileBytes;
    }

    /// <summary>The root as configured (absolute).</summary>
    public string Path { get; }

    /// <summary>The root with every link in it resolved: what a dataset file's resolved path must start with.</summary>
    public string ResolvedPath { get; }

    public long MaxFileBytes { get; }

    /// <summary>Where <paramref name="specPath"/> leads, fully resolved, if it stays inside the root; nothing is opened.</summary>
    public string Resolve(string? specPath)
    {
        if (string.IsNullOrWhiteSpace(specPath)) throw new RunSpecException(Field, "is required when dataset.source is 'file'");
        if (specPath.Contains('\0')) throw new RunSpecException(Field, "contains a NUL character");
        var joined = System.IO.Path.GetFullPath(specPath, Path);
        var resolved = RealPath(joined);
        if (resolved == ResolvedPath) throw new RunSpecException(Field, $"'{specPath}' is the data root itself, not a file in it");
        if (!IsInside(resolved))
            throw new RunSpecException(Field, $"'{specPath}' leads to {resolved}, outside the data root {Path}: dataset files must lie inside it");
        if (PseudoFileSystems.Any(p => resolved.StartsWith(p, StringComparison.Ordinal)))
            throw new RunSpecException(Field, $"'{specPath}' leads to {resolved}, a kernel pseudo-file, not a dataset");
        return resolved;
    }

    /// <summary>Reads the dataset file <paramref name="specPath"/> names, after every check in the class summary.</summary>
    public byte[] ReadFile(string? specPath)
    {
        try
        {
            return CheckedRead(specPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunSpecException(Field, $"file '{specPath}' cannot be read from the data root {Path}: {e.Message}");
        }
    }

    private byte[] CheckedRead(string? specPath)
    {
        var resolved = Resolve(specPath);
        var before = FileStatus.OfPath(resolved, out var supported);
        if (supported)
        {
            if (before is not { } status) throw new RunSpecException(Field, $"file '{specPath}' does not exist in the data root {Path}");
            RequireRegular(status.Kind, specPath!);
            RequireSize(status.Size, specPath!);
        }
        else
        {
            // No statx (not Linux): .NET can still refuse what is missing or a folder; the read below stays bounded.
            if (Directory.Exists(resolved)) RequireRegular(FileKind.Directory, specPath!);
            if (!File.Exists(resolved)) throw new RunSpecException(Field, $"file '{specPath}' does not exist in the data root {Path}");
            RequireSize(new FileInfo(resolved).Length, specPath!);
        }

        using var stream = new FileStream(resolved, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        long size;
        if (supported)
        {
            // The path was checked, then opened: make sure the open file is the one checked (nothing was swapped in).
            var opened = FileStatus.OfHandle(stream.SafeFileHandle, out _);
            if (opened is not { Kind: FileKind.Regular } now || now.Device != before!.Value.Device || now.Inode != before.Value.Inode)
                throw new RunSpecException(Field, $"file '{specPath}' changed while it was being opened");
            RequireSize(now.Size, specPath!);
            size = now.Size;
        }
        else
        {
            size = stream.Length;
            RequireSize(size, specPath!);
        }
        return ReadExactly(stream, size, specPath!);
    }

    /// <summary>Reads the size seen, and no more: a file that grows or shrinks meanwhile is refused, not followed.</summary>
    private byte[] ReadExactly(Stream stream, long size, string specPath)
    {
        var data = new byte[size];
        var read = 0;
        while (read < data.Length)
        {
            var n = stream.Read(data, read, data.Length - read);
            if (n == 0) throw new RunSpecException(Field, $"file '{specPath}' shrank while it was being read");
            read += n;
        }
        Span<byte> probe = stackalloc byte[1];
        if (stream.Read(probe) != 0) throw new RunSpecException(Field, $"file '{specPath}' grew while it was being read");
        return data;
    }

    private static void RequireRegular(FileKind kind, string specPath)
    {
        if (kind != FileKind.Regular)
            throw new RunSpecException(Field, $"'{specPath}' is {Describe(kind)}, not a regular file");
    }

    private void RequireSize(long size, string specPath)
    {
        if (size > MaxFileBytes)
            throw new RunSpecException(Field, $"file '{specPath}' is {size} bytes; dataset files are limited to {MaxFileBytes} bytes (--max-dataset-bytes)");
    }

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.Directory => "a folder",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "a special file",
    };

    private bool IsInside(string resolved)
    {
        var root = ResolvedPath.EndsWith(System.IO.Path.DirectorySeparatorChar) ? ResolvedPath : ResolvedPath + System.IO.Path.DirectorySeparatorChar;
        return resolved.StartsWith(root, StringComparison.Ordinal);
    }

    /// <summary>An absolute path with every symbolic link in every component replaced by its target, as the kernel
    /// would follow it (".." is taken lexically first; the path then opened is exactly this one, so what is checked is
    /// what is read). Components that do not exist are kept as they are.</summary>
    internal static string RealPath(string absolute)
    {
        var pending = new Stack<string>(Components(absolute).Reverse());
        var current = System.IO.Path.GetPathRoot(absolute) ?? "/";
        var hops = 0;
        while (pending.Count > 0)
        {
            var next = System.IO.Path.Join(current, pending.Pop());
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++hops > MaxLinkHops) throw new RunSpecException(Field, $"more than {MaxLinkHops} symbolic links to follow (a loop?)");
            // A relative target is relative to the link's folder; the target's own components go back on the stack.
            var targetPath = System.IO.Path.GetFullPath(target, current);
            foreach (var part in Components(targetPath).Reverse()) pending.Push(part);
            current = System.IO.Path.GetPathRoot(targetPath) ?? "/";
        }
        return current;
    }

    private static IEnumerable<string> Components(string absolute) =>
        absolute[(System.IO.Path.GetPathRoot(absolute)?.Length ?? 0)..]
            .Split(System.IO.Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"{Path} (files up to {MaxFileBytes} bytes)";
}
