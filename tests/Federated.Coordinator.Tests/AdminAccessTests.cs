using System.Text;
using Federated.Chain.Attestations;
using Federated.Chain.Hashing;
using Federated.Chain.Signing;
using Federated.Contracts;
using Federated.Coordinator.Runs;
using Federated.Coordinator.Specs;
using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Coordinator.Tests;

/// <summary>Launching and stopping runs over the bus needs a consortium admin's EIP-712 signature.</summary>
public sealed class AdminAccessTests
{
    private static readonly byte[] AdminKey = Keccak256.HashUtf8("consortium-admin");
    private static readonly string AdminAddress = EthSigner.AddressOf(AdminKey).ToChecksumString();
    private static readonly byte[] OutsiderKey = Keccak256.HashUtf8("outsider");
    private static readonly string SpecJson = RunSpecFile.ToJson(TestRun.SmallSpec(workers: 1, rounds: 1));

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static LaunchRunRequested Launch(byte[]? key, string requestId = "req-1", long? issuedAt = null, string? signedSpec = null)
    {
        var request = new LaunchRunRequested { RequestId = requestId, SpecJson = SpecJson };
        if (key is null) return request;
        var issued = issuedAt ?? Now;
        var signature = AdminAction.For(AdminAction.LaunchRun, requestId, Encoding.UTF8.GetBytes(signedSpec ?? SpecJson), issued).Sign(key);
        return request with { Admin = EthSigner.AddressOf(key).ToChecksumString(), IssuedAt = issued, Signature = signature };
    }

    private static StopRunRequested Stop(string runId, byte[]? key, string reason = "budget spent")
    {
        var request = new StopRunRequested { RequestId = "stop-1", RunId = runId, Reason = reason };
        if (key is null) return request;
        var issued = Now;
        return request with
        {
            Admin = EthSigner.AddressOf(key).ToChecksumString(), IssuedAt = issued,
            Signature = AdminAction.For(AdminAction.StopRun, runId, Encoding.UTF8.GetBytes(reason), issued).Sign(key),
        };
    }

    private static async Task<int> CountEventsAsync(TestRun run)
    {
        var count = 0;
        await foreach (var _ in run.Store.ReadAllAsync(0, int.MaxValue)) count++;
        return count;
    }

    [Fact]
    public async Task A_launch_signed_by_a_consortium_admin_launches_the_run()
    {
        using var run = new TestRun([AdminAddress]);
        await using var host = new CoordinatorHost(run.Coordinator, run.Store);

        var answer = await host.LaunchAsync(Launch(AdminKey));

        Assert.Null(answer.Error);
        Assert.Equal(RunStatus.Running, run.Coordinator.StateOf(answer.RunId!).Status);
    }

    [Theory]
    [InlineData("unsigned", "refused: unsigned: launch-run needs a consortium admin's signature")]
    [InlineData("outsider", "refused: not-an-admin: ")]
    [InlineData("stale", "refused: signature-expired: ")]
    [InlineData("other-spec", "refused: bad-signature: signature recovers to ")]
    public async Task A_launch_not_signed_by_an_admin_is_refused_and_nothing_is_stored(string how, string expected)
    {
        using var run = new TestRun([AdminAddress]);
        await using var host = new CoordinatorHost(run.Coordinator, run.Store);
        var request = how switch
        {
            "unsigned" => Launch(null),
            "outsider" => Launch(OutsiderKey),
            "stale" => Launch(AdminKey, issuedAt: Now - 3600),
            _ => Launch(AdminKey, signedSpec: SpecJson.Replace("\"rounds\": 1", "\"rounds\": 9")),
        };

        var answer = await host.LaunchAsync(request);

        Assert.StartsWith(expected, answer.Error);
        Assert.Equal((null, 0), (answer.RunId, await CountEventsAsync(run)));
    }

    [Fact]
    public async Task A_replayed_launch_request_is_refused()
    {
        using var run = new TestRun([AdminAddress]);
        await using var host = new CoordinatorHost(run.Coordinator, run.Store);
        var request = Launch(AdminKey);
        await host.LaunchAsync(request);

        var again = await host.LaunchAsync(request);

        Assert.StartsWith("refused: replayed-request: this signed launch-run request was already used", again.Error);
    }

    [Fact]
    public async Task Without_configured_admins_every_launch_is_refused()
    {
        using var run = new TestRun();
        await using var host = new CoordinatorHost(run.Coordinator, run.Store);

        var answer = await host.LaunchAsync(Launch(AdminKey));

        Assert.Equal($"refused: not-an-admin: {AdminAddress} signed, but this coordinator has no consortium admins configured", answer.Error);
    }

    [Fact]
    public async Task An_unsigned_stop_request_is_refused_and_recorded_in_the_run_which_goes_on()
    {
        using var run = new TestRun([AdminAddress]);
        var runId = await run.Coordinator.LaunchAsync(TestRun.SmallSpec(workers: 1, rounds: 1));

        var answer = await run.Coordinator.StopAsync(Stop(runId, OutsiderKey));

        Assert.StartsWith("refused: not-an-admin: ", answer.Error);
        var refused = Assert.Single((await run.EventsAsync(runId)).OfType<AdminRequestRefused>());
        Assert.Equal((AdminAction.StopRun, RunStatus.Running), (refused.Action, run.Coordinator.StateOf(runId).Status));
    }

    [Fact]
    public async Task A_stop_signed_by_an_admin_stops_the_run_naming_the_admin()
    {
        using var run = new TestRun([AdminAddress]);
        var runId = await run.Coordinator.LaunchAsync(TestRun.SmallSpec(workers: 1, rounds: 1));

        var answer = await run.Coordinator.StopAsync(Stop(runId, AdminKey));

        Assert.Null(answer.Error);
        Assert.Equal($"stopped by consortium admin {AdminAddress}: budget spent", Assert.Single((await run.EventsAsync(runId)).OfType<RunFailed>()).Reason);
    }
}
