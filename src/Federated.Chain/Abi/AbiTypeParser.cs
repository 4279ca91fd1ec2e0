namespace Federated.Chain.Abi;

/// <summary>Parses Solidity type names: uintN, intN, address, bool, bytesN, bytes, string,
/// tuples "(T1,T2)" and array suffixes "[]" / "[k]". "uint" and "int" mean 256 bits.</summary>
internal static class AbiTypeParser
{
    public static AbiType Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var position = 0;
        var type = ParseType(text, ref position);
        if (position != text.Length)
            throw Error(text, position, "unexpected text after the type");
        return type;
    }

    /// <summary>Parses "(T1,...,Tn)" starting at <paramref name="position"/>, for signatures.</summary>
    public static AbiTuple ParseTuple(string text, ref int position)
    {
        if (position >= text.Length || text[position] != '(')
            throw Error(text, position, "expected '('");
        position++;
        var components = new List<AbiType>();
        SkipSpaces(text, ref position);
        if (position < text.Length && text[position] == ')')
        {
            position++;
            return new AbiTuple(components);
        }
        while (true)
        {
            components.Add(ParseType(text, ref position));
            SkipSpaces(text, ref position);
            if (position >= text.Length)
                throw Error(text, position, "unterminated tuple, expected ')'");
            var c = text[position++];
            if (c == ')')
                return new AbiTuple(components);
            if (c != ',')
                throw Error(text, position - 1, "expected ',' or ')'");
        }
    }

    private static AbiType ParseType(string text, ref int position)
    {
        SkipSpaces(text, ref position);
        var type = position < text.Length && text[position] == '(' ? ParseTuple(text, ref position) : ParseAtom(text, ref position);
        while (position < text.Length && text[position] == '[')
        {
            var close = text.IndexOf(']', position);
            if (close < 0)
                throw Error(text, position, "unterminated array suffix");
            var digits = text[(position + 1)..close];
            if (digits.Length == 0)
                type = new AbiArray(type);
            else if (digits.All(char.IsAsciiDigit) && int.TryParse(digits, out var length))
                type = new AbiArray(type, length);
            else
                throw Error(text, position, $"invalid array length \"{digits}\"");
            position = close + 1;
        }
        SkipSpaces(text, ref position);
        return type;
    }

    private static AbiType ParseAtom(string text, ref int position)
    {
        var start = position;
        while (position < text.Length && char.IsAsciiLetterOrDigit(text[position]))
            position++;
        var name = text[start..position];
        return name switch
        {
            "address" => AbiAddress.Instance,
            "bool" => AbiBool.Instance,
            "string" => AbiString.Instance,
            "bytes" => AbiBytes.Instance,
            "uint" => new AbiUint(256),
            "int" => new AbiInt(256),
            _ when Sized(name, "uint") is { } bits => new AbiUint(bits),
            _ when Sized(name, "int") is { } bits => new AbiInt(bits),
            _ when Sized(name, "bytes") is { } size => new AbiFixedBytes(size),
            "" => throw Error(text, start, "expected a type name"),
            _ => throw Error(text, start, $"unknown type \"{name}\""),
        };
    }

    private static int? Sized(string name, string prefix)
    {
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || name.Length == prefix.Length)
            return null;
        var digits = name[prefix.Length..];
        if (!digits.All(char.IsAsciiDigit) || digits[0] == '0' || digits.Length > 3)
            return null;
        return int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && text[position] == ' ')
            position++;
    }

    private static AbiException Error(string text, int position, string problem) =>
        new($"Cannot parse ABI type \"{text}\" at position {position}: {problem}.");
}
