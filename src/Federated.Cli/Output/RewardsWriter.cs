using System.Text.Json;
using System.Text.Json.Nodes;
using Federated.Cli.Embedded;

namespace Federated.Cli.Output;

/// <summary>The run summary with the embedded chain's rewards added: a "rewards" section in the text, a "rewards"
/// member in the JSON (null when the run had no chain).</summary>
internal static class RewardsWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string Json(RunOutcome outcome, RewardsOutcome? rewards)
    {
        var summary = JsonNode.Parse(SummaryWriter.Json(outcome))!.AsObject();
        summary["rewards"] = rewards is null ? null : JsonSerializer.SerializeToNode(rewards, JsonOptions);
        return summary.ToJsonString();
    }

    public static void Text(RunOutcome outcome, RewardsOutcome? rewards, TextWriter w)
    {
        SummaryWriter.Text(outcome, w);
        if (rewards is null) return;
        w.WriteLine($"rewards on chain {rewards.ChainId}, token {rewards.Token} at {rewards.Distributor}");
        foreach (var p in rewards.Payouts)
            w.WriteLine($"  round {p.Round,3}  {p.Status,-9} {p.Total} base units  tx {p.TransactionHash ?? "-"}" + (p.Block is { } b ? $"  block {b}" : ""));
        foreach (var r in rewards.Workers)
            w.WriteLine($"  {r.WorkerId,-10} {r.Address}  balance {FormatTokens(r.Balance)} {rewards.Token} ({r.Balance} base units)");
        if (rewards.Error is not null) w.WriteLine($"  error: {rewards.Error}");
        w.WriteLine($"list them: fed payouts --data-dir {outcome.DataDirectory}");
    }

    /// <summary>Base units (18 decimals) as a token amount, exactly, e.g. "33.333333333333333334".</summary>
    public static string FormatTokens(string baseUnits)
    {
        var padded = baseUnits.PadLeft(19, '0');
        var whole = padded[..^18];
        var fraction = padded[^18..].TrimEnd('0');
        return fraction.Length == 0 ? whole : $"{whole}.{fraction}";
    }
}
