using System.Numerics;

namespace Federated.Chain.Codecs;

/// <summary>One node of an RLP tree: either a byte string or a list of items.</summary>
public sealed class RlpItem
{
    private static readonly RlpItem[] NoItems = [];
    private readonly byte[]? _bytes;
    private readonly RlpItem[]? _items;

    private RlpItem(byte[]? bytes, RlpItem[]? items, int offset)
    {
        _bytes = bytes;
        _items = items;
        Offset = offset;
    }

    public static RlpItem String(ReadOnlySpan<byte> bytes) => new(bytes.ToArray(), null, -1);

    public static RlpItem String(string utf8) => String(System.Text.Encoding.UTF8.GetBytes(utf8));

    public static RlpItem List(params RlpItem[] items) => new(null, items.Length == 0 ? NoItems : [.. items], -1);

    public static RlpItem List(IEnumerable<RlpItem> items) => List([.. items]);

    /// <summary>An unsigned integer as RLP stores it: minimal big-endian bytes, zero as the empty string.</summary>
    public static RlpItem Integer(BigInteger value) => new(Rlp.IntegerBytes(value), null, -1);

    internal static RlpItem Decoded(byte[] bytes, int offset) => new(bytes, null, offset);

    internal static RlpItem Decoded(RlpItem[] items, int offset) => new(null, items, offset);

    public bool IsList => _items is not null;

    /// <summary>Where this item started in the decoded input; -1 for items built in code.</summary>
    public int Offset { get; }

    public byte[] Bytes => _bytes ?? throw Error("Expected an RLP string but found a list");

    public IReadOnlyList<RlpItem> Items => _items ?? throw Error("Expected an RLP list but found a string");

    /// <summary>Reads the string as a canonical unsigned integer (no leading zero bytes).</summary>
    public BigInteger ToBigInteger(int maxBytes = 32)
    {
        var bytes = Bytes;
        if (bytes.Length > maxBytes)
            throw Error($"Integer of {bytes.Length} bytes exceeds the {maxBytes}-byte limit");
        if (bytes.Length > 0 && bytes[0] == 0)
            throw Error("Integer has a leading zero byte (non-canonical)");
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    public ulong ToUInt64() => (ulong)ToBigInteger(maxBytes: 8);

    public override string ToString() =>
        IsList ? "[" + string.Join(", ", _items!.Select(i => i.ToString())) + "]" : Hex.Encode(_bytes!);

    private RlpException Error(string message) =>
        Offset >= 0 ? new RlpException(message, Offset) : new RlpException(message);
}
