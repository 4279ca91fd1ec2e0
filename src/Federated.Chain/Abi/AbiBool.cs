namespace Federated.Chain.Abi;

/// <summary>bool: a word holding exactly 0 or 1.</summary>
public sealed class AbiBool : AbiType
{
    public static AbiBool Instance { get; } = new();

    public override string CanonicalName => "bool";

    public override bool IsDynamic => false;

    public override byte[] Encode(object? value)
    {
        if (value is not bool flag)
            throw WrongValue(value, "a bool");
        var word = new byte[WordSize];
        word[^1] = flag ? (byte)1 : (byte)0;
        return word;
    }

    internal override object Decode(ref AbiReader reader, int position)
    {
        var word = reader.Word(position, this);
        if (word[..^1].ContainsAnyExcept((byte)0) || word[^1] > 1)
            throw new AbiException($"bool at offset {position} is neither 0 nor 1 (dirty bits).");
        return word[^1] == 1;
    }
}
