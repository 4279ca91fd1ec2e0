using System.Security.Cryptography;
using System.Text;

namespace Federated.EventStore.Serialization;

/// <summary>Deterministic event ids, so re-running the same decision yields the same ids and the append is idempotent.</summary>
public static class EventIds
{
    /// <summary>
    /// A name-based UUID, version 5 (RFC 9562, section 5.5): SHA-1 over the namespace's 16 bytes and the
    /// name's UTF-8 bytes. Same namespace and name, same id; e.g. namespace = the run's id,
    /// name = "round-3/aggregated".
    /// </summary>
    public static Guid FromName(Guid namespaceId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);

        Span<byte> digest = stackalloc byte[20];
        // SHA-1 is what version 5 is defined with; the id only needs to be stable, not collision-proof.
        SHA1.HashData(input, digest);
        digest[6] = (byte)((digest[6] & 0x0F) | 0x50);
        digest[8] = (byte)((digest[8] & 0x3F) | 0x80);
        return new Guid(digest[..16], bigEndian: true);
    }
}
