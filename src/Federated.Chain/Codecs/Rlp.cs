using System.Numerics;

namespace Federated.Chain.Codecs;

/// <summary>Recursive Length Prefix encoding (Ethereum yellow paper, appendix B).
/// Decoding accepts only canonical encodings of exactly one item.</summary>
public static class Rlp
{
    private const int MaxDepth = 256;

    public static byte[] Encode(RlpItem item)
    {
        if (!item.IsList)
            return EncodeString(item.Bytes);
        return EncodeList(item.Items.Select(Encode));
    }

    public static byte[] EncodeString(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 1 && bytes[0] < 0x80)
            return [bytes[0]];
        return [.. Prefix(0x80, bytes.Length), .. bytes];
    }

    /// <summary>Wraps items that are already RLP-encoded into a list.</summary>
    public static byte[] EncodeList(IEnumerable<byte[]> encodedItems)
    {
        var items = encodedItems.ToArray();
        var payload = new byte[items.Sum(i => i.Length)];
        var at = 0;
        foreach (var item in items)
        {
            item.CopyTo(payload, at);
            at += item.Length;
        }
        return [.. Prefix(0xc0, payload.Length), .. payload];
    }

    public static byte[] EncodeList(params byte[][] encodedItems) => EncodeList((IEnumerable<byte[]>)encodedItems);

    public static byte[] EncodeInteger(BigInteger value) => EncodeString(IntegerBytes(value));

    /// <summary>Minimal big-endian bytes of a non-negative integer; zero is the empty string.</summary>
    public static byte[] IntegerBytes(BigInteger value)
    {
        if (value.Sign < 0)
            throw new ArgumentOutOfRangeException(nameof(value), value, "RLP integers are unsigned.");
        return value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
    }

    public static RlpItem Decode(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            throw new RlpException("Empty input is not an RLP item", 0);
        var position = 0;
        var item = DecodeItem(input, ref position, input.Length, 0);
        if (position != input.Length)
            throw new RlpException($"{input.Length - position} trailing byte(s) after the RLP item", position);
        return item;
    }

    private static RlpItem DecodeItem(ReadOnlySpan<byte> input, ref int position, int end, int depth)
    {
        if (depth > MaxDepth)
            throw new RlpException($"Lists nested deeper than {MaxDepth} levels", position);
        var start = position;
        if (start >= end)
            throw new RlpException("Truncated input: expected an RLP item", start);
        var prefix = input[start];
        if (prefix < 0x80)
        {
            position = start + 1;
            return RlpItem.Decoded([prefix], start);
        }

        var isList = prefix >= 0xc0;
        var (headerLength, payloadLength) = ReadLength(input, start, end, isList);
        var payloadStart = start + headerLength;
        if (payloadLength > end - payloadStart)
            throw new RlpException(
                $"Declared length {payloadLength} runs past the end of the {(end == input.Length ? "input" : "enclosing list")} " +
                $"({end - payloadStart} byte(s) available)",
                start);
        var payloadEnd = payloadStart + (int)payloadLength;
        position = payloadEnd;

        if (!isList)
        {
            var bytes = input[payloadStart..payloadEnd].ToArray();
            if (bytes.Length == 1 && bytes[0] < 0x80)
                throw new RlpException($"Non-canonical: single byte 0x{bytes[0]:x2} below 0x80 encoded as a string", start);
            return RlpItem.Decoded(bytes, start);
        }

        var items = new List<RlpItem>();
        var cursor = payloadStart;
        while (cursor < payloadEnd)
            items.Add(DecodeItem(input, ref cursor, payloadEnd, depth + 1));
        return RlpItem.Decoded([.. items], start);
    }

    /// <summary>Reads a string or list header; returns its size and the payload length it declares.</summary>
    private static (int HeaderLength, long PayloadLength) ReadLength(ReadOnlySpan<byte> input, int start, int end, bool isList)
    {
        var prefix = input[start];
        var shortBase = isList ? 0xc0 : 0x80;
        var longBase = isList ? 0xf7 : 0xb7;
        if (prefix <= longBase)
            return (1, prefix - shortBase);

        var lengthOfLength = prefix - longBase;
        if (lengthOfLength > end - start - 1)
            throw new RlpException($"Truncated input: the {lengthOfLength}-byte length field runs past the end", start);
        var lengthBytes = input.Slice(start + 1, lengthOfLength);
        if (lengthBytes[0] == 0)
            throw new RlpException("Non-canonical: length has a leading zero byte", start);
        if (lengthOfLength > 4)
            throw new RlpException($"Declared length of {lengthOfLength} bytes is larger than any input", start);
        long length = 0;
        foreach (var b in lengthBytes)
            length = length << 8 | b;
        if (length < 56)
            throw new RlpException($"Non-canonical: long form used for length {length} (below 56)", start);
        return (1 + lengthOfLength, length);
    }

    private static byte[] Prefix(byte shortBase, int length)
    {
        if (length < 56)
            return [(byte)(shortBase + length)];
        var lengthBytes = IntegerBytes(length);
        return [(byte)(shortBase + 55 + lengthBytes.Length), .. lengthBytes];
    }
}
