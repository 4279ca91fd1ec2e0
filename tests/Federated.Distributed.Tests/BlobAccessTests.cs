using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Federated.Blobs;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Distributed.Tests;

/// <summary>The coordinator's blob server in a real deployment: workers fetch and upload under their leases' tokens and
/// the run completes; nobody else reads the run's model or shards, or stores anything.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BlobAccessTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_run_completes_with_lease_tokens_while_requests_without_one_are_refused()
    {
        await using var d = await Deployment.CreateAsync(cluster);
        await d.StartCoordinatorAsync();
        await d.StartWorkerAsync("w1");
        await d.StartWorkerAsync("w2");

        var launched = await d.LaunchAndWaitAsync(TestSpecs.Small());

        Assert.True(launched.Succeeded, $"fed launch --wait exited with {launched.ExitCode}:\n{launched.Output}\n{d.Logs()}");
        var runId = (string)JsonNode.Parse(launched.Output[launched.Output.LastIndexOf("\n{", StringComparison.Ordinal)..])!["runId"]!;
        var log = await d.Log.ReadAsync(runId);
        RunLogAssert.CompletedWithEachUpdateOnce(log, TestSpecs.Rounds, TestSpecs.ShardsPerRound);

        using var http = new HttpClient { BaseAddress = new Uri(d.BlobUrl) };
        var shard = log.Of<RoundOpened>().First().Shards[0].DataHash;
        var model = log.Of<RoundAggregated>().Last().ModelHash;
        var update = log.Of<UpdateAccepted>().First().UpdateHash;
        foreach (var hash in new[] { shard, model, update })
        {
            using var anonymous = await http.GetAsync($"blobs/{hash}");
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        // A lease token stops working with its lease: the run is over, so the last lease's blobs are closed to it too.
        var junk = "not an update"u8.ToArray();
        using var put = await http.PutAsync($"blobs/{BlobHash.Of(junk)}", new ByteArrayContent(junk));
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
        var lastLease = log.Of<ShardLeased>().Last();
        var tokens = Blobs.Access.BlobLeaseTokens.LoadOrCreate(Path.Combine(d.Root, "coordinator", "blob-token.secret"));
        using var late = new HttpRequestMessage(HttpMethod.Get, $"blobs/{shard}");
        late.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Issue(runId, lastLease.LeaseId, lastLease.WorkerId));
        using var lateAnswer = await http.SendAsync(late);
        Assert.Equal(HttpStatusCode.Forbidden, lateAnswer.StatusCode);
    }
}
