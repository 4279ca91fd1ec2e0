using System.Text;
using Federated.Chain.Attestations;
using Federated.Chain.Hashing;
using Federated.Chain.Signing;
using Federated.Contracts;
using Federated.Coordinator.Runs;
using Federated.Coordinator.Specs;
using Federated.Coordinator.Trust;
using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.Testing;

namespace Federated.Coordinator.Tests;

/// <summary>A signed admin request acts once: a copy, sent as is, with its signature spelt otherwise, or to a coordinator
/// restarted on the same store, is refused as replayed-request and starts or stops nothing.</summary>
public sealed class AdminReplayTests
{
    private static readonly byte[] AdminKey = Keccak256.HashUtf8("consortium-admin");
    private static readonly string AdminAddress = EthSigner.AddressOf(AdminKey).ToChecksumString();
    private static readonly string SpecJson = RunSpecFile.ToJson(TestRun.SmallSpec(workers: 1, rounds: 1));

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static LaunchRunRequested Launch(string requestId = "req-1", long? issuedAt = null)
    {
        var issued = issuedAt ?? Now;
        return new LaunchRunRequested
        {
            RequestId = requestId, SpecJson = SpecJson, Admin = AdminAddress, IssuedAt = issued,
            Signature = AdminAction.For(AdminAction.LaunchRun, requestId, Encoding.UTF8.GetBytes(SpecJson), issued).Sign(AdminKey),
        };
    }

    private static StopRunRequested Stop(string runId, string reason = "budget spent")
    {
        var issued = Now;
        return new StopRunRequested
        {
            RequestId = "stop-1", RunId = runId, Reason = reason, Admin = AdminAddress, IssuedAt = issued,
            Signature = AdminAction.For(AdminAction.StopRun, runId, Encoding.UTF8.GetBytes(reason), issued).Sign(AdminKey),
        };
    }

    /// <summary>Every run the log holds (launched), whatever became of it.</summary>
    private static async Task<List<string>> RunsInLogAsync(IEventStoreReader store)
    {
        var runs = new List<string>();
        await foreach (var e in store.ReadAllAsync(0, int.MaxValue))
            if (e.EventType == RunEvents.TypeNames[typeof(RunEvents.V1.RunLaunched)]) runs.Add(e.StreamId);
        return runs;
    }

    public static TheoryData<string> Spellings => [.. SignatureSpellings.Names];

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task A_copy_of_a_used_launch_request_in_any_spelling_is_refused_and_names_the_run_it_started(string spelling)
    {
        using var run = new TestRun([AdminAddress]);
        await using var host = new CoordinatorHost(run.Coordinator, run.Store);
        var request = Launch();
        var first = await host.LaunchAsync(request);

        var copy = await host.LaunchAsync(request with { Signature = SignatureSpellings.Of(request.Signature!)[spelling] });

        Assert.StartsWith($"refused: {AdminRefusals.Replayed}: this signed launch-run request was already used", copy.Error);
        Assert.Equal(first.RunId, copy.RunId);
        Assert.Equal([RunEvents.StreamOf(first.RunId!)], await RunsInLogAsync(run.Store));
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task After_a_restart_a_copy_of_a_used_launch_request_is_refused_and_starts_no_run(string spelling)
    {
        using var run = new TestRun([AdminAddress]);
        var request = Launch();
        string firstRun;
        await using (var host = new CoordinatorHost(run.Coordinator, run.Store))
            firstRun = (await host.LaunchAsync(request)).RunId!;

        await using var restarted = new CoordinatorHost(run.NewCoordinator(), run.Store);
        await restarted.StartAsync();
        var copy = await restarted.LaunchAsync(request with { Signature = SignatureSpellings.Of(request.Signature!)[spelling] });

        Assert.StartsWith($"refused: {AdminRefusals.Replayed}: ", copy.Error);
        Assert.Equal(firstRun, copy.RunId);
        Assert.Equal([RunEvents.StreamOf(firstRun)], await RunsInLogAsync(run.Store));
    }

    [Fact]
    public async Task A_request_id_launches_one_run_even_when_the_admin_signs_it_again()
    {
        using var run = new TestRun([AdminAddress]);
        await using var host = new CoordinatorHost(run.Coordinator, run.Store);
        var first = await host.LaunchAsync(Launch(issuedAt: Now - 5));

        var again = await host.LaunchAsync(Launch(issuedAt: Now));

        Assert.Equal((first.RunId, 1), (again.RunId, (await RunsInLogAsync(run.Store)).Count));
        Assert.StartsWith($"refused: {AdminRefusals.Replayed}: ", again.Error);
    }

    [Fact]
    public async Task Two_coordinators_on_one_store_answer_one_request_with_one_run()
    {
        using var run = new TestRun([AdminAddress]);
        await using var a = new CoordinatorHost(run.Coordinator, run.Store);
        await using var b = new CoordinatorHost(run.NewCoordinator(), run.Store);
        var request = Launch();

        var answers = await Task.WhenAll(a.LaunchAsync(request), b.LaunchAsync(request));

        Assert.Single(answers, x => x.Error is null);
        Assert.Single(await RunsInLogAsync(run.Store));
        Assert.All(answers, x => Assert.Equal(answers.Single(y => y.Error is null).RunId, x.RunId));
    }

    [Fact]
    public async Task A_used_launch_request_is_recorded_once_in_the_admin_actions_stream_with_its_digest_and_run()
    {
        using var run = new TestRun([AdminAddress]);
        await using var host = new CoordinatorHost(run.Coordinator, run.Store);
        var request = Launch();
        var answer = await host.LaunchAsync(request);
        await host.LaunchAsync(request);

        var recorded = Assert.Single(await AdminActionLog.ReadAsync(run.Store));

        var digest = Federated.Chain.Codecs.Hex.Encode(AdminAction.For(AdminAction.LaunchRun, "req-1", Encoding.UTF8.GetBytes(SpecJson), request.IssuedAt!.Value)
            .Digest(FederatedDomain.For()));
        Assert.Equal((AdminAction.LaunchRun, "req-1", digest, AdminAddress, answer.RunId), (recorded.Action, recorded.Target, recorded.Digest, recorded.Admin, recorded.RunId));
    }

    [Fact]
    public async Task After_a_restart_a_copy_of_a_used_stop_request_is_refused_and_appends_nothing_to_the_run()
    {
        using var run = new TestRun([AdminAddress]);
        var runId = await run.Coordinator.LaunchAsync(TestRun.SmallSpec(workers: 1, rounds: 1));
        var stop = Stop(runId);
        Assert.Null((await run.Coordinator.StopAsync(stop)).Error);
        var version = await run.Store.GetStreamVersionAsync(RunEvents.StreamOf(runId));

        var restarted = run.NewCoordinator();
        var copy = await restarted.StopAsync(stop with { Signature = SignatureSpellings.Of(stop.Signature!)["v-as-parity"] });

        Assert.StartsWith($"refused: {AdminRefusals.Replayed}: this signed stop-run request was already used", copy.Error);
        Assert.Equal(version, await run.Store.GetStreamVersionAsync(RunEvents.StreamOf(runId)));
    }
}
