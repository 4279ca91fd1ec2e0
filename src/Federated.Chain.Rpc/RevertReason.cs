using System.Numerics;
using Federated.Chain.Abi;
using Federated.Chain.Codecs;

namespace Federated.Chain.Rpc;

/// <summary>What a revert's data says: Error(string), Panic(uint256), a custom error (named when its
/// signature is known) or raw bytes.</summary>
public sealed record RevertReason(byte[] Data, string? Selector, string? ErrorSignature, object?[]? Arguments, string? Text)
{
    private static readonly AbiFunction ErrorString = AbiFunction.Parse("Error(string)");
    private static readonly AbiFunction Panic = AbiFunction.Parse("Panic(uint256)");

    /// <summary>The custom error's name ("RoundAlreadyPaid"), "Error", "Panic", or null when unknown.</summary>
    public string? ErrorName => ErrorSignature?[..ErrorSignature.IndexOf('(')];

    public static RevertReason Decode(ReadOnlySpan<byte> data, ErrorRegistry? knownErrors = null)
    {
        var bytes = data.ToArray();
        if (bytes.Length < 4)
            return new RevertReason(bytes, null, null, null, bytes.Length == 0 ? "no revert data" : $"revert data {Hex.Encode(bytes)} (shorter than a selector)");
        var selector = Hex.Encode(bytes.AsSpan(0, 4));
        var candidates = new List<AbiFunction> { ErrorString, Panic };
        if (knownErrors?.Find(bytes.AsSpan(0, 4)) is { } custom)
            candidates.Insert(0, custom);
        foreach (var error in candidates.Where(e => e.Selector.AsSpan().SequenceEqual(bytes.AsSpan(0, 4))))
        {
            object?[] arguments;
            try { arguments = error.DecodeCall(bytes); }
            catch (AbiException) { continue; }
            var text = error == ErrorString ? $"Error(\"{arguments[0]}\")"
                : error == Panic ? $"Panic(0x{(BigInteger)arguments[0]!:x2})"
                : $"{error.Name}({string.Join(", ", arguments.Select(Format))})";
            return new RevertReason(bytes, selector, error.Signature, arguments, text);
        }
        return new RevertReason(bytes, selector, null, null, $"custom error with selector {selector} (signature unknown), data {Hex.Encode(bytes)}");
    }

    public override string ToString() => Text ?? Hex.Encode(Data);

    private static string Format(object? value) => value switch
    {
        byte[] bytes => Hex.Encode(bytes),
        string s => $"\"{s}\"",
        _ => value?.ToString() ?? "null",
    };
}

/// <summary>Error signatures by selector, so revert data can be shown by name.</summary>
public sealed class ErrorRegistry
{
    private readonly Dictionary<string, AbiFunction> _bySelector = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Add(string signature)
    {
        var error = AbiFunction.Parse(signature);
        lock (_lock)
            _bySelector[Hex.Encode(error.Selector)] = error;
    }

    public void AddRange(IEnumerable<string> signatures)
    {
        foreach (var signature in signatures)
            Add(signature);
    }

    public AbiFunction? Find(ReadOnlySpan<byte> selector)
    {
        lock (_lock)
            return _bySelector.GetValueOrDefault(Hex.Encode(selector));
    }
}
