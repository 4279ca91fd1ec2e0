namespace Federated.Chain.Abi;

/// <summary>address: 20 bytes, left-padded with zeros. Accepts <see cref="EthereumAddress"/> or its text.</summary>
public sealed class AbiAddress : AbiType
{
    public static AbiAddress Instance { get; } = new();

    public override string CanonicalName => "address";

    public override bool IsDynamic => false;

    public override byte[] Encode(object? value)
    {
        var address = value switch
        {
            EthereumAddress a => a,
            string text => EthereumAddress.TryParse(text, out var parsed)
                ? parsed!
                : throw new AbiException($"address expects \"0x\" and 40 hex digits with a valid checksum if mixed-case, got \"{text}\"."),
            _ => throw WrongValue(value, "an EthereumAddress or its hex text"),
        };
        var word = new byte[WordSize];
        address.Bytes.CopyTo(word.AsSpan(WordSize - EthereumAddress.Size));
        return word;
    }

    internal override object Decode(ref AbiReader reader, int position)
    {
        var word = reader.Word(position, this);
        if (word[..(WordSize - EthereumAddress.Size)].ContainsAnyExcept((byte)0))
            throw new AbiException($"address at offset {position} has dirty high bits: the first 12 bytes must be zero.");
        return new EthereumAddress(word[(WordSize - EthereumAddress.Size)..]);
    }
}
