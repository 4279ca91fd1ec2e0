using System.Numerics;
using System.Text.Json;
using Federated.Rewards;

namespace Federated.Cli.Tests;

/// <summary>`fed demo` on the embedded chain, then `fed payouts` and `fed verify` on what it left: real anvil, real contract.</summary>
public sealed class RewardsCliTests
{
    private static readonly BigInteger PoolPerRound = BigInteger.Pow(10, 20); // the RunSpec default: 100 tokens

    private static async Task<JsonDocument> DemoAsync(string data, ulong seed)
    {
        var demo = await FedProcess.RunAsync("demo", "--rounds", "2", "--workers", "2", "--seed", seed.ToString(), "--data-dir", data, "--json");
        Assert.True(demo.ExitCode == 0, demo.Stderr);
        return JsonDocument.Parse(demo.Stdout);
    }

    [Fact]
    public async Task Demo_pays_every_round_to_seed_derived_addresses_and_payouts_and_verify_agree_with_the_chain()
    {
        using var dir = new TempDir();
        var data = dir.File("data");
        using var summary = await DemoAsync(data, 42);
        var rewards = summary.RootElement.GetProperty("rewards");
        var workers = rewards.GetProperty("workers").EnumerateArray().ToList();
        var keys = new SeedDerivedWorkerKeys(42);

        var payouts = await FedProcess.RunAsync("payouts", "--data-dir", data, "--json");
        var verify = await FedProcess.RunAsync("verify", "--data-dir", data);

        Assert.Equal(["worker-1", "worker-2"], workers.Select(w => w.GetProperty("workerId").GetString()));
        Assert.Equal(workers.Select(w => keys.AddressOf(w.GetProperty("workerId").GetString()!).ToChecksumString()), workers.Select(w => w.GetProperty("address").GetString()));
        Assert.Equal(2 * PoolPerRound, workers.Aggregate(BigInteger.Zero, (sum, w) => sum + BigInteger.Parse(w.GetProperty("balance").GetString()!)));
        using var list = JsonDocument.Parse(payouts.Stdout);
        Assert.Equal(["confirmed", "confirmed"], list.RootElement.EnumerateArray().Select(p => p.GetProperty("status").GetString()));
        Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
        Assert.Contains("ok: 2 payout commitment(s) re-derived from the log and equal to commitmentOf on RewardDistributor", verify.Stdout);
    }

    [Fact]
    public async Task The_same_seed_pays_the_same_addresses_the_same_amounts()
    {
        using var dir = new TempDir();
        using var first = await DemoAsync(dir.File("a"), 7);
        using var second = await DemoAsync(dir.File("b"), 7);

        Assert.Equal(first.RootElement.GetProperty("rewards").GetProperty("workers").GetRawText(), second.RootElement.GetProperty("rewards").GetProperty("workers").GetRawText());

        File.Delete(Path.Combine(dir.File("b"), "chain", "anvil-state.json"));
        var verify = await FedProcess.RunAsync("verify", "--data-dir", dir.File("b"));
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("FAILED: the chain state " + Path.Combine(dir.File("b"), "chain", "anvil-state.json") + " is missing", verify.Stdout);
    }

    [Fact]
    public async Task A_run_without_a_chain_verifies_and_notes_its_unpaid_rounds()
    {
        using var dir = new TempDir();
        var data = dir.File("data");
        var demo = await FedProcess.RunAsync("demo", "--rounds", "1", "--workers", "1", "--data-dir", data, "--no-chain", "--json");
        Assert.True(demo.ExitCode == 0, demo.Stderr);
        using var summary = JsonDocument.Parse(demo.Stdout);

        var verify = await FedProcess.RunAsync("verify", "--data-dir", data);

        Assert.Equal(JsonValueKind.Null, summary.RootElement.GetProperty("rewards").ValueKind);
        Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
        Assert.Contains($"note: 1 aggregated round(s) have no payout in the log (run without a chain?): {summary.RootElement.GetProperty("runId").GetString()} round 1", verify.Stdout);
    }
}
