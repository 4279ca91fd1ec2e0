namespace Federated.Chain.Abi;

/// <summary>(T1,...,Tn): heads in order (static values inline, offsets for dynamic ones), then tails.
/// Offsets are relative to the start of the tuple's own encoding. Function arguments are a tuple.</summary>
public sealed class AbiTuple : AbiType
{
    public AbiTuple(IReadOnlyList<AbiType> components)
    {
        Components = [.. components];
        IsDynamic = Components.Any(c => c.IsDynamic);
        CanonicalName = "(" + string.Join(",", Components.Select(c => c.CanonicalName)) + ")";
        var size = Components.Sum(c => (long)c.HeadSize);
        if (size > MaxStaticSize)
            throw new AbiException($"{CanonicalName} is too large: its head would exceed {MaxStaticSize} bytes.");
        HeadSize = IsDynamic ? WordSize : (int)size;
    }

    public IReadOnlyList<AbiType> Components { get; }

    public override string CanonicalName { get; }

    public override bool IsDynamic { get; }

    public override int HeadSize { get; }

    public override byte[] Encode(object? value)
    {
        var values = AbiValues.AsSequence(value) ?? throw WrongValue(value, "a list of component values");
        if (values.Count != Components.Count)
            throw new AbiException($"{CanonicalName} has {Components.Count} component(s) but {values.Count} value(s) were given.");
        return EncodeSequence(Components.Count, i => Components[i], values);
    }

    internal override object Decode(ref AbiReader reader, int position) =>
        DecodeSequence(ref reader, position, Components.Count, i => Components[i], this);

    internal static byte[] EncodeSequence(int count, Func<int, AbiType> typeAt, IReadOnlyList<object?> values)
    {
        var headSize = 0;
        for (var i = 0; i < count; i++)
            headSize += typeAt(i).HeadSize;
        var heads = new List<byte[]>(count);
        var tails = new List<byte[]>();
        var tailSize = 0;
        for (var i = 0; i < count; i++)
        {
            var type = typeAt(i);
            var encoded = type.Encode(values[i]);
            if (!type.IsDynamic)
            {
                heads.Add(encoded);
                continue;
            }
            heads.Add(AbiValues.Word(headSize + tailSize));
            tails.Add(encoded);
            tailSize += encoded.Length;
        }
        return [.. heads.Concat(tails).SelectMany(part => part)];
    }

    internal static object?[] DecodeSequence(ref AbiReader reader, int start, int count, Func<int, AbiType> typeAt, AbiType owner)
    {
        var headSize = 0L;
        for (var i = 0; i < count; i++)
            headSize += typeAt(i).HeadSize;
        reader.CheckRoom(start, headSize, owner);
        var values = new object?[count];
        var cursor = start;
        for (var i = 0; i < count; i++)
        {
            var type = typeAt(i);
            var at = type.IsDynamic ? reader.Offset(cursor, start, type) : cursor;
            values[i] = type.Decode(ref reader, at);
            cursor += type.HeadSize;
        }
        return values;
    }
}
