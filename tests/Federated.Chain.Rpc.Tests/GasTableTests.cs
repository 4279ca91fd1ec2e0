using System.Globalization;
using System.Numerics;
using System.Text;
using Federated.Chain.Hashing;
using Xunit.Abstractions;

namespace Federated.Chain.Rpc.Tests;

/// <summary>Total gas of payRound per contributor, all-in (the coordinator's whole transaction divided by
/// the number of contributors), for fresh recipients (never held the token) and repeat ones.
/// Prints a markdown table and writes it to artifacts/chain-gas-table.md. Reproduce with:
/// dotnet test tests/Federated.Chain.Rpc.Tests --filter GasTableTests --logger "console;verbosity=detailed"</summary>
public sealed class GasTableTests(AnvilFixture anvil, ITestOutputHelper output) : IClassFixture<AnvilFixture>
{
    private const int FreshTarget = 25_000;
    private const int RepeatTarget = 8_000;

    [Fact]
    public async Task Per_contributor_gas_at_100_contributors_meets_the_targets()
    {
        var rows = new List<(int Contributors, bool AccessList, ulong Fresh, ulong Repeat)>();
        foreach (var accessList in (bool[])[false, true])
        {
            foreach (var contributors in (int[])[1, 10, 100])
            {
                var (fresh, repeat) = await MeasureAsync(contributors, accessList);
                rows.Add((contributors, accessList, fresh, repeat));
            }
        }

        var table = new StringBuilder()
            .AppendLine("| contributors | access list | fresh: tx gas | fresh: gas/contributor | repeat: tx gas | repeat: gas/contributor |")
            .AppendLine("|---:|:---:|---:|---:|---:|---:|");
        foreach (var (n, list, fresh, repeat) in rows)
            table.AppendLine(CultureInfo.InvariantCulture, $"| {n} | {(list ? "yes" : "no")} | {fresh:N0} | {fresh / (ulong)n:N0} | {repeat:N0} | {repeat / (ulong)n:N0} |");
        output.WriteLine(table.ToString());
        var artifacts = Path.Combine(RepositoryPaths.Root, "artifacts");
        Directory.CreateDirectory(artifacts);
        await File.WriteAllTextAsync(Path.Combine(artifacts, "chain-gas-table.md"), table.ToString());

        var atHundred = rows.Single(r => r.Contributors == 100 && r.AccessList);
        Assert.True(atHundred.Fresh / 100 <= FreshTarget && atHundred.Repeat / 100 <= RepeatTarget,
            $"At 100 contributors: {atHundred.Fresh / 100} gas per fresh (target {FreshTarget}), {atHundred.Repeat / 100} per repeat (target {RepeatTarget}).\n{table}");
    }

    /// <summary>Deploys a distributor, pays one round to new recipients, then a second round to the same ones.</summary>
    private async Task<(ulong Fresh, ulong Repeat)> MeasureAsync(int contributors, bool accessList)
    {
        var s = await DistributorScenario.DeployAsync(anvil, new TransactionSenderOptions { UseAccessList = accessList, PollInterval = TimeSpan.FromMilliseconds(20) });
        var random = new Random(contributors * 2 + (accessList ? 1 : 0));
        var payouts = Enumerable.Range(0, contributors).Select(i => new Payout(
            new EthereumAddress(Keccak256.HashUtf8($"gas-table:{contributors}:{accessList}:{i}").AsSpan(12)),
            RealisticAmount(random))).ToList();

        var fresh = await s.Distributor.PayRoundAsync(s.Coordinator, 1, DistributorScenario.Commitment("gas-1"), payouts);
        var repeat = await s.Distributor.PayRoundAsync(s.Coordinator, 2, DistributorScenario.Commitment("gas-2"), payouts);
        return (fresh.GasUsed, repeat.GasUsed);
    }

    /// <summary>0.5 to 50 tokens at full 18-decimal precision (8 to 9 non-zero bytes of calldata), as a
    /// score-weighted share of a round's reward would be.</summary>
    private static BigInteger RealisticAmount(Random random) =>
        new BigInteger(0.5e18) + new BigInteger(random.NextDouble() * 49.5e18) + random.Next(1, 1_000_000);
}
