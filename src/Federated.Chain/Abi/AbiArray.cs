namespace Federated.Chain.Abi;

/// <summary>T[] (a length word, then the elements as a tuple) and T[k] (the elements as a tuple, no length).</summary>
public sealed class AbiArray : AbiType
{
    public AbiArray(AbiType element, int? fixedLength = null)
    {
        if (fixedLength is < 1)
            throw new AbiException($"{element.CanonicalName}[{fixedLength}] is not a valid type: a fixed length must be at least 1.");
        if (!element.IsDynamic && element.HeadSize == 0)
            throw new AbiException($"{element.CanonicalName} takes no space and cannot be an array element.");
        Element = element;
        FixedLength = fixedLength;
        IsDynamic = fixedLength is null || element.IsDynamic;
        if (fixedLength is { } length && (long)length * element.HeadSize > MaxStaticSize)
            throw new AbiException($"{CanonicalName} is too large: its encoding would exceed {MaxStaticSize} bytes.");
    }

    public AbiType Element { get; }

    /// <summary>k for T[k]; null for a dynamic T[].</summary>
    public int? FixedLength { get; }

    public override string CanonicalName => $"{Element.CanonicalName}[{FixedLength}]";

    public override bool IsDynamic { get; }

    public override int HeadSize => IsDynamic ? WordSize : FixedLength!.Value * Element.HeadSize;

    public override byte[] Encode(object? value)
    {
        var values = AbiValues.AsSequence(value) ?? throw WrongValue(value, "a list of elements");
        if (FixedLength is { } length && values.Count != length)
            throw new AbiException($"{CanonicalName} needs exactly {length} element(s), got {values.Count}.");
        var body = AbiTuple.EncodeSequence(values.Count, _ => Element, values);
        return FixedLength is null ? [.. AbiValues.Word(values.Count), .. body] : body;
    }

    internal override object Decode(ref AbiReader reader, int position)
    {
        if (FixedLength is { } length)
            return AbiTuple.DecodeSequence(ref reader, position, length, _ => Element, this);
        // Each element takes at least its head in what follows, which bounds a hostile length.
        var count = reader.Length(position, Element.IsDynamic ? WordSize : Element.HeadSize, this);
        return AbiTuple.DecodeSequence(ref reader, position + WordSize, count, _ => Element, this);
    }
}
