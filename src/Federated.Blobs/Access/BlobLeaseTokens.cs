using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Federated.Blobs.Access;

/// <summary>
/// Per-lease credentials for the blob endpoint: <c>lease.&lt;run&gt;.&lt;lease&gt;.&lt;mac&gt;</c>, where the run and lease
/// ids are base64url and mac = HMAC-SHA256(secret, run, lease, worker). The coordinator issues one with each task; the
/// endpoint recomputes it, so nothing is stored per lease and a restarted coordinator (same secret file) still honours
/// tokens it gave out. A token is worth only as much as its lease: once the lease is closed, it opens nothing.
/// </summary>
public sealed class BlobLeaseTokens
{
    public const int SecretBytes = 32;
    private const string Prefix = "lease.";
    private const int MaxIdLength = 256;
    private static readonly byte[] Domain = "federated/blob-lease/v1"u8.ToArray();

    private readonly byte[] _secret;

    public BlobLeaseTokens(ReadOnlySpan<byte> secret)
    {
        if (secret.Length < SecretBytes) throw new ArgumentException($"the secret must be at least {SecretBytes} bytes, got {secret.Length}", nameof(secret));
        _secret = secret.ToArray();
    }

    /// <summary>Reads the secret from <paramref name="path"/>, or creates it there (32 random bytes, hex, mode 0600) when
    /// the file does not exist. A file that is not such a secret is refused with <see cref="InvalidDataException"/>.</summary>
    public static BlobLeaseTokens LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            var fresh = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SecretBytes));
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            try
            {
                using var writer = new StreamWriter(path, Encoding.ASCII, options);
                writer.Write(fresh);
            }
            catch (IOException) when (File.Exists(path)) { } // another process created it first: read theirs
        }
        var text = File.ReadAllText(path).Trim();
        try
        {
            var secret = Convert.FromHexString(text);
            if (secret.Length >= SecretBytes) return new BlobLeaseTokens(secret);
        }
        catch (FormatException) { }
        throw new InvalidDataException($"blob token secret {path} must hold at least {SecretBytes} bytes as hex; delete it to make a new one (tokens already issued stop working)");
    }

    public string Issue(string runId, string leaseId, string workerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentException.ThrowIfNullOrEmpty(leaseId);
        ArgumentNullException.ThrowIfNull(workerId);
        return $"{Prefix}{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(runId))}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(leaseId))}.{Base64Url.EncodeToString(Mac(runId, leaseId, workerId))}";
    }

    /// <summary>The run and lease a token claims to be for, unchecked; false when it is not a lease token at all.</summary>
    public static bool TryReadClaim(string token, out string runId, out string leaseId)
    {
        runId = leaseId = "";
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 4 * MaxIdLength) return false;
        var parts = token[Prefix.Length..].Split('.');
        if (parts.Length != 3) return false;
        try
        {
            runId = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0]));
            leaseId = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
            Base64Url.DecodeFromChars(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }
        return runId.Length is > 0 and <= MaxIdLength && leaseId.Length is > 0 and <= MaxIdLength;
    }

    /// <summary>Whether the token is the one this secret issues for the lease (in constant time).</summary>
    public bool IsValidFor(string token, BlobLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (token is null) return false;
        var expected = Encoding.ASCII.GetBytes(Issue(lease.RunId, lease.LeaseId, lease.WorkerId));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(token));
    }

    private byte[] Mac(string runId, string leaseId, string workerId)
    {
        // Each field with its length, so no two (run, lease, worker) triples feed the MAC the same bytes.
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _secret);
        hmac.AppendData(Domain);
        Span<byte> length = stackalloc byte[4];
        foreach (var field in (string[])[runId, leaseId, workerId])
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            hmac.AppendData(length);
            hmac.AppendData(bytes);
        }
        return hmac.GetHashAndReset();
    }
}
