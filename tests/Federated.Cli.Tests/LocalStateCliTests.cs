using System.Text.Json;

namespace Federated.Cli.Tests;

/// <summary>
/// The embedded data directory as local state: one process at a time (a lock), its chain keys readable by the owner
/// only, and `fed verify` that does not trust a log the chain contradicts (rounds paid on chain but missing from the
/// log, rounds left unpaid although a chain is configured). Real `fed` processes, real anvil.
/// </summary>
public sealed class LocalStateCliTests
{
    [Fact]
    public async Task A_second_process_on_a_data_directory_in_use_is_refused_naming_the_directory_and_the_holder()
    {
        using var dir = new TempDir();
        var data = dir.File("data");
        var first = FedProcess.RunAsync("demo", "--rounds", "12", "--workers", "2", "--data-dir", data, "--json");
        var owner = Path.Combine(data, "fed.lock.pid");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(owner) && !first.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.False(first.IsCompleted, "the first demo ended before the second could start");

        var second = await FedProcess.RunAsync("demo", "--rounds", "1", "--workers", "1", "--data-dir", data, "--no-chain");
        var holder = File.ReadAllText(owner).Trim();
        var done = await first;

        Assert.Equal(2, second.ExitCode);
        Assert.Contains($"error: the data directory {data} is in use by process {holder}", second.Stderr);
        Assert.True(done.ExitCode == 0, done.Stderr);
        using var summary = JsonDocument.Parse(done.Stdout);
        Assert.Equal(12, summary.RootElement.GetProperty("rewards").GetProperty("payouts").GetArrayLength());
    }

    [Fact]
    public async Task A_data_directory_is_free_again_once_its_process_has_ended()
    {
        using var dir = new TempDir();
        var data = dir.File("data");
        var first = await FedProcess.RunAsync("demo", "--rounds", "1", "--workers", "1", "--data-dir", data, "--no-chain");
        var second = await FedProcess.RunAsync("demo", "--rounds", "1", "--workers", "1", "--data-dir", data, "--no-chain");

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.True(second.ExitCode == 0, second.Stderr);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_embedded_chains_key_file_is_readable_by_its_owner_only()
    {
        using var dir = new TempDir();
        var data = dir.File("data");
        var demo = await FedProcess.RunAsync("demo", "--rounds", "1", "--workers", "1", "--data-dir", data);

        Assert.True(demo.ExitCode == 0, demo.Stderr);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "chain", "chain.json")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(data, "chain")));
    }

    [Fact]
    public async Task Verify_on_a_log_truncated_to_zero_fails_naming_every_round_the_chain_shows_paid()
    {
        using var dir = new TempDir();
        var data = dir.File("data");
        var demo = await FedProcess.RunAsync("demo", "--rounds", "2", "--workers", "2", "--data-dir", data);
        Assert.True(demo.ExitCode == 0, demo.Stderr);
        var payouts = await FedProcess.RunAsync("payouts", "--data-dir", data, "--json");
        using var listed = JsonDocument.Parse(payouts.Stdout);
        var paidRounds = listed.RootElement.EnumerateArray().Select(p => p.GetProperty("chainRoundId").GetString()!).ToList();

        await File.WriteAllBytesAsync(Path.Combine(data, "events.db"), []);
        foreach (var side in new[] { "events.db-wal", "events.db-shm" }) File.Delete(Path.Combine(data, side));
        var verify = await FedProcess.RunAsync("verify", "--data-dir", data);

        Assert.Equal(2, paidRounds.Count);
        Assert.True(verify.ExitCode == 1, verify.Stdout + verify.Stderr);
        Assert.All(paidRounds, id => Assert.Contains($"FAILED: the chain shows a round paid that the log has no payout for (log emptied, truncated or replaced?): on-chain round {id}", verify.Stdout));
    }

    [Fact]
    public async Task Verify_fails_naming_rounds_left_unpaid_past_the_overdue_delay_when_the_data_directory_has_a_chain()
    {
        using var dir = new TempDir();
        var data = dir.File("data");
        var paid = await FedProcess.RunAsync("demo", "--rounds", "1", "--workers", "1", "--data-dir", data);
        Assert.True(paid.ExitCode == 0, paid.Stderr);
        // The second run pays nothing, though the directory has a chain: its round stays unpaid.
        var unpaid = await FedProcess.RunAsync("demo", "--rounds", "1", "--workers", "1", "--seed", "9", "--data-dir", data, "--no-chain", "--json");
        Assert.True(unpaid.ExitCode == 0, unpaid.Stderr);
        using var summary = JsonDocument.Parse(unpaid.Stdout);
        var runId = summary.RootElement.GetProperty("runId").GetString();

        var overdue = await FedProcess.RunAsync("verify", "--data-dir", data, "--payout-overdue-seconds", "0");
        var recent = await FedProcess.RunAsync("verify", "--data-dir", data);

        Assert.True(overdue.ExitCode == 1, overdue.Stdout + overdue.Stderr);
        Assert.Contains($"FAILED: 1 aggregated round(s) are not paid although a chain is configured: {runId} round 1 (no payout;", overdue.Stdout);
        // Within the delay (default 300 s) the round may still be being paid: a note, not a failure.
        Assert.True(recent.ExitCode == 0, recent.Stdout + recent.Stderr);
        Assert.Contains($"note: 1 aggregated round(s) are not paid yet (aggregated within the overdue delay): {runId} round 1", recent.Stdout);
    }
}
