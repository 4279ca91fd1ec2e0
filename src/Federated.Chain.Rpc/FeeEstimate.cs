using System.Numerics;
using System.Text.Json;
using Federated.Chain.Transactions;

namespace Federated.Chain.Rpc;

/// <summary>EIP-1559 fees in wei per gas: the expected base fee of the next block, the tip, and the cap.</summary>
public sealed record FeeEstimate(BigInteger BaseFeePerGas, BigInteger MaxPriorityFeePerGas, BigInteger MaxFeePerGas);

/// <summary>eth_feeHistory: base fees of the blocks asked for plus the next one, their fullness, and the
/// tips at the requested percentiles.</summary>
public sealed record FeeHistory(ulong OldestBlock, IReadOnlyList<BigInteger> BaseFeePerGas, IReadOnlyList<double> GasUsedRatio, IReadOnlyList<IReadOnlyList<BigInteger>> Reward)
{
    internal static FeeHistory FromJson(JsonElement json)
    {
        var reward = json.TryGetProperty("reward", out var r) && r.ValueKind == JsonValueKind.Array
            ? [.. r.EnumerateArray().Select(block => (IReadOnlyList<BigInteger>)[.. block.EnumerateArray().Select(t => Quantity.Parse(t, "eth_feeHistory reward"))])]
            : new List<IReadOnlyList<BigInteger>>();
        return new FeeHistory(
            Quantity.ParseUInt64(json.GetProperty("oldestBlock"), "eth_feeHistory oldestBlock"),
            [.. json.GetProperty("baseFeePerGas").EnumerateArray().Select(b => Quantity.Parse(b, "eth_feeHistory baseFeePerGas"))],
            [.. json.GetProperty("gasUsedRatio").EnumerateArray().Select(g => g.GetDouble())],
            reward);
    }
}

/// <summary>eth_createAccessList's answer: the list, and the gas the call uses with it.</summary>
public sealed record AccessListResult(IReadOnlyList<AccessListEntry> AccessList, ulong GasUsed);
