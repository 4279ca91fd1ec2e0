using System.Runtime.InteropServices;

namespace Federated.Coordinator.Data;

/// <summary>What lstat/fstat say of a file: its type, identity and size. .NET's FileInfo cannot tell a regular file
/// from a FIFO or a device (both are "Normal" with length 0), and opening a FIFO blocks, so the type has to come from
/// the kernel before anything is opened. On Linux that is statx(2), whose struct has one layout on every architecture.</summary>
internal readonly record struct FileStatus(FileKind Kind, ulong Device, ulong Inode, long Size)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1, StatxIno = 0x100, StatxSize = 0x200;
    private const int StatxBufferSize = 256;

    /// <summary>The file at <paramref name="path"/> itself (a link is reported as a link); null when nothing is there.
    /// Null too where statx is not available (not Linux): callers then fall back to what .NET can tell.</summary>
    public static FileStatus? OfPath(string path, out bool supported) => Query(AtFdCwd, path, AtSymlinkNoFollow, out supported);

    /// <summary>The file an open handle refers to (fstat): what was actually opened, whatever the path now names.</summary>
    public static FileStatus? OfHandle(Microsoft.Win32.SafeHandles.SafeFileHandle handle, out bool supported)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Query((int)handle.DangerousGetHandle(), "", AtEmptyPath, out supported);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private static FileStatus? Query(int directory, string path, int flags, out bool supported)
    {
        supported = OperatingSystem.IsLinux();
        if (!supported) return null;
        var buffer = new byte[StatxBufferSize];
        int result;
        try
        {
            result = Native.statx(directory, path, flags, StatxType | StatxIno | StatxSize, buffer);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            supported = false; // an old C library without statx
            return null;
        }
        if (result != 0) return null;
        // struct statx: stx_mode (u16) at 28, stx_ino (u64) at 32, stx_size (u64) at 40, stx_dev_major/minor (u32) at 136/140.
        var mode = BitConverter.ToUInt16(buffer, 28);
        var device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
        return new FileStatus(KindOf(mode), device, BitConverter.ToUInt64(buffer, 32), (long)Math.Min(BitConverter.ToUInt64(buffer, 40), long.MaxValue));
    }

    private static FileKind KindOf(ushort mode) => (mode & 0xF000) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.SymbolicLink,
        0x1000 => FileKind.Fifo,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0xC000 => FileKind.Socket,
        _ => FileKind.Other,
    };

    private static class Native
    {
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int statx(int dirfd, string pathname, int flags, uint mask, [Out] byte[] statxbuf);
    }
}

internal enum FileKind { Regular, Directory, SymbolicLink, Fifo, CharacterDevice, BlockDevice, Socket, Other }
