using System.Text.Json;
using Federated.Chain.Codecs;

namespace Federated.Chain.Rpc;

/// <summary>One contracts/build/&lt;Name&gt;.json file: the ABI and the bytecode solc produced.</summary>
public sealed record ContractArtifact(string ContractName, JsonElement Abi, byte[] Bytecode, byte[] DeployedBytecode)
{
    public static ContractArtifact Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Contract artifact {path} does not exist; build it with `node contracts/compile.mjs`.", path);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        try
        {
            return new ContractArtifact(
                root.GetProperty("contractName").GetString()!,
                root.GetProperty("abi").Clone(),
                Hex.Decode(root.GetProperty("bytecode").GetString()!),
                Hex.Decode(root.GetProperty("deployedBytecode").GetString()!));
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw new FormatException($"Contract artifact {path} lacks contractName, abi, bytecode or deployedBytecode: {e.Message}", e);
        }
    }

    /// <summary>Canonical signatures of the custom errors in the ABI, e.g. "RoundAlreadyPaid(uint256,bytes32)".</summary>
    public IReadOnlyList<string> ErrorSignatures() => Signatures("error");

    public IReadOnlyList<string> FunctionSignatures() => Signatures("function");

    public IReadOnlyList<string> EventSignatures() => Signatures("event");

    private List<string> Signatures(string kind) =>
        [.. Abi.EnumerateArray()
            .Where(entry => entry.GetProperty("type").GetString() == kind)
            .Select(entry => $"{entry.GetProperty("name").GetString()}({string.Join(",", entry.GetProperty("inputs").EnumerateArray().Select(TypeOf))})")];

    private static string TypeOf(JsonElement input)
    {
        var type = input.GetProperty("type").GetString()!;
        if (!type.StartsWith("tuple", StringComparison.Ordinal))
            return type;
        return $"({string.Join(",", input.GetProperty("components").EnumerateArray().Select(TypeOf))}){type["tuple".Length..]}";
    }
}
