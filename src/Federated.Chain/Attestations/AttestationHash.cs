using System.Buffers.Binary;
using System.Collections.Concurrent;
using Federated.Chain.Hashing;
using Federated.Chain.TypedData;

namespace Federated.Chain.Attestations;

/// <summary>EIP-712 hashStruct and digest for our four attestation structs, whose shapes are fixed and flat (strings,
/// uints, bytes32; no nested structs, arrays or addresses). Nethereum's general encoder rebuilds the type string, its
/// hash and the ABI encoder of each field on every call and costs several times a signature check's own hashing;
/// here the typeHash is computed once per struct and each field is one 32-byte word, with every hash still
/// Nethereum's Keccak (<see cref="Keccak256"/>) and the domain separator still Nethereum's, cached per domain.
/// AttestationFastPathTests holds this byte-identical to <see cref="Eip712.Digest"/> over random values.</summary>
internal static class AttestationHash
{
    public const int Word = 32;

    /// <summary>keccak("Name(type1 name1,type2 name2,...)"): encodeType of a struct that references no other struct.</summary>
    public static byte[] TypeHash(string typeName, IReadOnlyList<Eip712Field> fields) =>
        Keccak256.HashUtf8($"{typeName}({string.Join(',', fields.Select(field => $"{field.Type} {field.Name}"))})");

    /// <summary>A struct of <paramref name="fieldCount"/> fields: typeHash in word 0, then one word per field.</summary>
    public static byte[] NewEncoding(byte[] typeHash, int fieldCount)
    {
        var encoded = new byte[Word * (1 + fieldCount)];
        typeHash.CopyTo(encoded, 0);
        return encoded;
    }

    /// <summary>A string field is encoded as keccak of its UTF-8 bytes.</summary>
    public static void String(byte[] encoded, int field, string? value, string typeName, string fieldName) =>
        Keccak256.HashUtf8(value ?? throw new TypedDataException($"{typeName}.{fieldName} (string) is missing."))
            .CopyTo(encoded, Word * (1 + field));

    /// <summary>A uintN field (N ≤ 64 here) is its value, big-endian in the word's low bytes; a negative value or one
    /// over N bits does not fit, and gets the same kind of error as the general path gives.</summary>
    public static void Uint(byte[] encoded, int field, long value, int bits, string typeName, string fieldName)
    {
        var max = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        if (value < 0 || (ulong)value > max)
            throw new TypedDataException($"{typeName}.{fieldName} (uint{bits}): uint{bits} cannot hold {value}: the range is 0 to {max}.");
        BinaryPrimitives.WriteUInt64BigEndian(encoded.AsSpan(Word * (2 + field) - 8, 8), (ulong)value);
    }

    /// <summary>A bytes32 field is the word itself.</summary>
    public static void Bytes32(byte[] encoded, int field, ReadOnlySpan<byte> value, string typeName, string fieldName)
    {
        if (value.Length != Word)
            throw new TypedDataException($"{typeName}.{fieldName} (bytes32): bytes32 expects exactly {Word} bytes, got {value.Length}.");
        value.CopyTo(encoded.AsSpan(Word * (1 + field), Word));
    }

    /// <summary>keccak(0x19 0x01 || domainSeparator || keccak(encoded)).</summary>
    public static byte[] Digest(Eip712Domain domain, byte[] encoded)
    {
        var preimage = new byte[2 + 2 * Word];
        preimage[0] = 0x19;
        preimage[1] = 0x01;
        Separator(domain).CopyTo(preimage, 2);
        Keccak256.Hash(encoded).CopyTo(preimage, 2 + Word);
        return Keccak256.Hash(preimage);
    }

    // A run signs under one or two domains (its chain, with or without the distributor), so the cache stays tiny; it
    // is bounded anyway, and a domain with a salt (a mutable array, compared by reference) is never cached.
    private const int MaxCachedDomains = 64;
    private static readonly ConcurrentDictionary<Eip712Domain, byte[]> Separators = new();

    private static byte[] Separator(Eip712Domain domain)
    {
        if (domain.Salt is not null) return domain.Separator();
        if (Separators.TryGetValue(domain, out var cached)) return cached;
        var separator = domain.Separator();
        if (Separators.Count < MaxCachedDomains) Separators.TryAdd(domain, separator);
        return separator;
    }
}
