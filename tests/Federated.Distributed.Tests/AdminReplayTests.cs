using System.Text;
using Federated.Chain.Attestations;
using Federated.Contracts;
using Federated.Coordinator.Messaging;
using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.EventStore.Postgres;
using Federated.Messaging;
using Federated.Testing;
using MassTransit;

namespace Federated.Distributed.Tests;

/// <summary>Anyone who can reach the broker can re-publish a signed request they saw. A `fed coordinator` on RabbitMQ and
/// PostgreSQL must start one run per signed launch request: not one per copy, per spelling, or per coordinator start.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AdminReplayTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_captured_signed_launch_request_republished_as_is_re_encoded_and_after_a_coordinator_restart_starts_no_extra_run()
    {
        await using var d = await Deployment.CreateAsync(cluster);
        await d.StartCoordinatorAsync();
        var specJson = TestSpecs.Small().ToJsonString();
        var issuedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var requestId = Guid.NewGuid().ToString("N");
        var captured = new LaunchRunRequested
        {
            RequestId = requestId, SpecJson = specJson, Admin = Deployment.AdminAddress, IssuedAt = issuedAt,
            Signature = AdminAction.For(AdminAction.LaunchRun, requestId, Encoding.UTF8.GetBytes(specJson), issuedAt).Sign(Deployment.AdminKey),
        };
        var spellings = SignatureSpellings.Of(captured.Signature!);

        var settings = BusSettings.Parse(d.Broker);
        var bus = FederatedBus.Create(settings);
        await FederatedBus.StartAsync(bus, settings, TimeSpan.FromSeconds(30));
        var answers = new List<(string Copy, RunLaunchAnswered Answer)>();
        try
        {
            var client = bus.CreateRequestClient<LaunchRunRequested>(new Uri($"queue:{CoordinatorEndpoint.QueueName}"), RequestTimeout.After(s: 60));
            async Task AskAsync(string copy, LaunchRunRequested request) => answers.Add((copy, (await client.GetResponse<RunLaunchAnswered>(request)).Message));

            await AskAsync("original", captured);
            await AskAsync("as-is", captured);
            foreach (var spelling in new[] { "no-0x", "upper-case", "v-as-parity", "all-at-once" })
                await AskAsync(spelling, captured with { Signature = spellings[spelling] });

            d.Coordinator!.Kill();
            await d.Coordinator.WaitForExitAsync(TimeSpan.FromSeconds(10));
            await d.StartCoordinatorAsync();
            await AskAsync("as-is after restart", captured);
            await AskAsync("v-as-parity after restart", captured with { Signature = spellings["v-as-parity"] });
        }
        finally
        {
            await bus.StopAsync();
        }

        var (_, original) = answers[0];
        Assert.True(original.Error is null && original.RunId is not null, $"the original request was not launched: {original.Error}\n{d.Logs()}");
        Assert.Equal([RunEvents.StreamOf(original.RunId!)], await LaunchedRunsAsync(d.Store));
        foreach (var (copy, answer) in answers.Skip(1))
        {
            Assert.True(answer.Error?.StartsWith("refused: replayed-request: ", StringComparison.Ordinal) == true, $"{copy}: {answer.Error ?? "launched run " + answer.RunId}");
            Assert.Equal(original.RunId, answer.RunId);
        }
    }

    /// <summary>The stream of every run the log holds.</summary>
    private static async Task<List<string>> LaunchedRunsAsync(string connectionString)
    {
        await using var store = await PostgresEventStore.OpenAsync(connectionString);
        var runs = new List<string>();
        await foreach (var e in store.ReadAllAsync(0, int.MaxValue))
            if (e.EventType == RunEvents.TypeNames[typeof(RunEvents.V1.RunLaunched)]) runs.Add(e.StreamId);
        return runs;
    }
}
