using System.Numerics;
using System.Text.Json.Nodes;
using Federated.Chain.Codecs;
using Federated.Chain.Transactions;

namespace Federated.Chain.Rpc;

/// <summary>The transaction-shaped object taken by eth_call, eth_estimateGas and eth_createAccessList.
/// A null To is a contract creation.</summary>
public sealed record CallRequest
{
    public EthereumAddress? From { get; init; }
    public EthereumAddress? To { get; init; }
    public byte[] Data { get; init; } = [];
    public BigInteger Value { get; init; }
    public ulong? Gas { get; init; }
    public BigInteger? MaxFeePerGas { get; init; }
    public BigInteger? MaxPriorityFeePerGas { get; init; }
    public IReadOnlyList<AccessListEntry>? AccessList { get; init; }

    public JsonObject ToJson()
    {
        var json = new JsonObject();
        if (From is not null)
            json["from"] = Hex.Encode(From.Bytes);
        if (To is not null)
            json["to"] = Hex.Encode(To.Bytes);
        json["input"] = Hex.Encode(Data);
        if (!Value.IsZero)
            json["value"] = Quantity.Encode(Value);
        if (Gas is { } gas)
            json["gas"] = Quantity.Encode(gas);
        if (MaxFeePerGas is { } maxFee)
            json["maxFeePerGas"] = Quantity.Encode(maxFee);
        if (MaxPriorityFeePerGas is { } tip)
            json["maxPriorityFeePerGas"] = Quantity.Encode(tip);
        if (AccessList is { } list)
            json["accessList"] = new JsonArray([.. list.Select(e => (JsonNode)new JsonObject
            {
                ["address"] = Hex.Encode(e.Address.Bytes),
                ["storageKeys"] = new JsonArray([.. e.StorageKeys.Select(k => (JsonNode)Hex.Encode(k))]),
            })]);
        return json;
    }
}
