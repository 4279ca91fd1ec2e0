using System.Text.Json.Nodes;
using Federated.Chain.Codecs;

namespace Federated.Chain.Rpc;

/// <summary>eth_getLogs filter. Topics are matched by position; a null position matches anything.</summary>
public sealed record LogFilter
{
    public string FromBlock { get; init; } = BlockTag.Earliest;
    public string ToBlock { get; init; } = BlockTag.Latest;
    public IReadOnlyList<EthereumAddress> Addresses { get; init; } = [];
    public IReadOnlyList<byte[]?> Topics { get; init; } = [];

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["fromBlock"] = FromBlock, ["toBlock"] = ToBlock };
        if (Addresses.Count > 0)
            json["address"] = new JsonArray([.. Addresses.Select(a => (JsonNode)Hex.Encode(a.Bytes))]);
        if (Topics.Count > 0)
            json["topics"] = new JsonArray([.. Topics.Select(t => t is null ? null : (JsonNode)Hex.Encode(t))]);
        return json;
    }
}
