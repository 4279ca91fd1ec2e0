using System.Text;
using System.Text.Json;
using Federated.Chain.Hashing;
using Federated.Contracts;
using Federated.Coordinator.Runs;
using Federated.Coordinator.Trust;
using Federated.Domain.Runs;
using Federated.Testing;
using Federated.Worker;
using MassTransit.Serialization;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Coordinator.Tests.Hostile;

/// <summary>
/// Worker messages as the bus decodes them (MassTransit's System.Text.Json options), then as the coordinator checks
/// them: a decoding failure is a <see cref="JsonException"/>, an oversized or missing field a
/// <see cref="MalformedMessageException"/> before anything is recorded, and whatever decodes is decided without a crash.
/// </summary>
public sealed class MessageJsonHostileTests
{
    private static readonly JsonSerializerOptions Bus = SystemTextJsonMessageSerializer.Options;
    private static readonly EthereumContributionSigner Signer = new(Keccak256.HashUtf8("hostile-worker"));
    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static readonly TrainShard Task = new()
    {
        RunId = "run-1", Round = 1, ShardId = 1, LeaseId = "lease-1", WorkerId = "w1", BaseModelHash = Hash, ShardDataHash = Hash,
        ModelFamily = "gpt", ModelSettings = new Dictionary<string, int>(), LocalSteps = 1, BatchSize = 1, LearningRate = 0.1f, Seed = 1,
        LeaseExpiresAt = DateTimeOffset.UnixEpoch.AddDays(1),
    };

    private static readonly ShardTrained Valid = Signer.Sign(new ShardTrained
    {
        RunId = "run-1", Round = 1, ShardId = 1, LeaseId = "lease-1", WorkerId = "w1", UpdateHash = Hash, Tokens = 100, TrainLoss = 2.5f,
    }, Task);

    private static byte[] ValidJson => JsonSerializer.SerializeToUtf8Bytes(Valid, new JsonSerializerOptions(Bus) { WriteIndented = false });

    /// <summary>w1 identified by <see cref="Signer"/>, holding lease-1 on shard 1 of round 1, an hour before its signed deadline.</summary>
    private static readonly RunState Leased = RunState.Fold(
    [
        new RunLaunched("run-1", new RunSpec { ShardTokens = 1000 }, "m", 10, Hash, "t", 10_000, "v", 1000, 5f, DateTimeOffset.UnixEpoch),
        new WorkerJoined("run-1", "w1", 1, DateTimeOffset.UnixEpoch),
        new WorkerIdentified("run-1", "w1", Signer.Address, DateTimeOffset.UnixEpoch),
        new RoundOpened("run-1", 1, Hash, [new ShardPlan(1, Hash, 1000, 1)], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1)),
        new ShardLeased("run-1", 1, 1, "lease-1", "w1", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1)),
    ]);

    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddHours(23);

    private static IReadOnlyList<object> Decide(ShardTrained m)
    {
        MessageLimits.Check(m);
        var submission = new SubmitUpdate(m.Round, m.ShardId, m.LeaseId, m.WorkerId, m.UpdateHash, m.Tokens, m.TrainLoss, null,
            SubmissionAuthenticator.Check(m, null));
        return Run.Decide(submission, Leased, Now);
    }

    [Fact]
    public void The_valid_signed_message_round_trips_and_is_accepted() =>
        Assert.Contains(Decide(JsonSerializer.Deserialize<ShardTrained>(ValidJson, Bus)!), e => e is UpdateAccepted);

    [Fact]
    public void A_message_from_before_signatures_still_decodes_with_the_new_fields_empty()
    {
        var old = """{"runId":"run-1","round":1,"shardId":1,"leaseId":"lease-1","workerId":"w1","updateHash":"ab","tokens":5,"trainLoss":1.5,"elapsedSeconds":2}""";

        var message = JsonSerializer.Deserialize<ShardTrained>(old, Bus)!;

        Assert.Equal((null, null, (long?)null), (message.Signature, message.Signer, message.Deadline));
    }

    [Fact]
    public void Every_truncation_of_a_valid_message_is_a_json_error()
    {
        var json = ValidJson;
        for (var length = 0; length < json.Length; length++)
            Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<ShardTrained>(json.AsSpan(0, length), Bus));
    }

    [Theory]
    [InlineData("\"round\":1", "\"round\":\"one\"")]
    [InlineData("\"round\":1", "\"round\":1e400")]
    [InlineData("\"tokens\":100", "\"tokens\":99999999999999999999999")]
    [InlineData("\"runId\":\"run-1\"", "\"runId\":{\"nested\":true}")]
    [InlineData("\"runId\":\"run-1\",", "")]
    public void A_wrong_typed_or_missing_field_is_a_json_error(string field, string replacement)
    {
        var json = Encoding.UTF8.GetString(ValidJson);
        Assert.Contains(field, json);

        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<ShardTrained>(json.Replace(field, replacement), Bus));
    }

    [Fact]
    public void A_json_null_where_an_id_belongs_is_refused_as_missing()
    {
        var message = JsonSerializer.Deserialize<ShardTrained>(Encoding.UTF8.GetString(ValidJson).Replace("\"runId\":\"run-1\"", "\"runId\":null"), Bus)!;

        Assert.Equal("ShardTrained.RunId is missing", Assert.Throws<MalformedMessageException>(() => Decide(message)).Message);
    }

    [Fact]
    public async Task An_oversized_lease_id_is_refused_before_anything_is_recorded()
    {
        using var run = new TestRun();
        await run.AddWorkerAsync("w1");
        var runId = await run.Coordinator.LaunchAsync(TestRun.SmallSpec(workers: 1, rounds: 1));
        var before = (await run.EventsAsync(runId)).Count;

        var error = await Assert.ThrowsAsync<MalformedMessageException>(() =>
            run.Coordinator.ShardTrainedAsync(Valid with { RunId = runId, LeaseId = new string('x', 10 << 20) }));

        Assert.Equal("ShardTrained.LeaseId is 10485760 characters; at most 128 are accepted", error.Message);
        Assert.Equal(before, (await run.EventsAsync(runId)).Count);
    }

    [Fact]
    public async Task An_oversized_announcement_is_refused_and_the_worker_not_listed()
    {
        using var run = new TestRun();

        await Assert.ThrowsAsync<MalformedMessageException>(() =>
            run.Coordinator.WorkerAvailableAsync(new WorkerAvailable { WorkerId = new string('w', 1000), Endpoint = "queue:w" }));

        Assert.Empty(run.Coordinator.Workers.All());
    }

    [Fact]
    public void Four_thousand_seeded_mutations_decode_and_are_decided_or_are_refused_with_a_named_error()
    {
        var outcomes = new Dictionary<string, int>();
        foreach (var bytes in HostileBytes.Mutations(ValidJson, seed: 8, count: 4000))
        {
            string outcome;
            try
            {
                var message = JsonSerializer.Deserialize<ShardTrained>(bytes, Bus) ?? throw new JsonException("null message");
                var events = Decide(message);
                outcome = events.OfType<UpdateRejected>().Select(r => RejectionReasons.CodeOf(r.Reason)).FirstOrDefault()
                          ?? (events.Any(e => e is UpdateAccepted) ? "accepted" : "nothing");
            }
            catch (JsonException)
            {
                outcome = "json-error";
            }
            catch (MalformedMessageException)
            {
                outcome = "malformed";
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Assert.True(outcomes.GetValueOrDefault("json-error") > 0 && outcomes.Keys.Count(k => k is not ("json-error" or "malformed" or "accepted" or "nothing")) >= 2,
            string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}")));
    }
}
