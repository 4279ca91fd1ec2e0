using Federated.Chain.Hashing;
using Nethereum.ABI.Model;

namespace Federated.Chain.Abi;

/// <summary>A function, event or error signature such as "transfer(address,uint256)": its canonical text, parameter
/// types (Nethereum.ABI's), 4-byte selector and 32-byte event topic.</summary>
public sealed class AbiFunction
{
    private AbiFunction(string name, IReadOnlyList<Parameter> parameters)
    {
        Name = name;
        Parameters = parameters;
        Signature = $"{name}({AbiCodec.CanonicalList(parameters)})";
        var hash = Keccak256.HashUtf8(Signature);
        Selector = hash[..4];
        Topic = hash;
    }

    public string Name { get; }

    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The canonical signature that is hashed: no spaces, "uint" written as "uint256".</summary>
    public string Signature { get; }

    /// <summary>First 4 bytes of keccak(signature): what calldata starts with.</summary>
    public byte[] Selector { get; }

    /// <summary>keccak(signature): topic 0 of a non-anonymous event's logs.</summary>
    public byte[] Topic { get; }

    public static AbiFunction Parse(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var open = signature.IndexOf('(');
        var name = open < 0 ? "" : signature[..open].Trim();
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '$') || char.IsAsciiDigit(name[0]))
            throw new AbiException($"Signature \"{signature}\" must start with a function or event name followed by '('.");
        var body = signature[open..].Trim();
        if (!body.EndsWith(')'))
            throw new AbiException($"Signature \"{signature}\" must end with its parameter list's ')'.");
        return new AbiFunction(name, AbiCodec.ParseTypes(body[1..^1]));
    }

    /// <summary>Selector followed by the ABI-encoded arguments.</summary>
    public byte[] EncodeCall(params object?[] arguments) => [.. Selector, .. AbiCodec.Encode(Parameters, arguments)];

    /// <summary>Checks the selector, then decodes the arguments.</summary>
    public object?[] DecodeCall(ReadOnlySpan<byte> calldata)
    {
        if (calldata.Length < 4 || !calldata[..4].SequenceEqual(Selector))
            throw new AbiException($"Calldata does not start with the selector of {Signature}.");
        return AbiCodec.Decode(Parameters, calldata[4..]);
    }
}
