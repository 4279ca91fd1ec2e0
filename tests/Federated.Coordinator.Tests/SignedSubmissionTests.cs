using System.Numerics;
using Federated.Chain.Codecs;
using Federated.Chain.Hashing;
using Federated.Chain.Signing;
using Federated.Contracts;
using Federated.Domain.Runs;
using Federated.Worker;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Coordinator.Tests;

/// <summary>Signed registration and submissions on real runs: the coordinator checks every signature with real
/// secp256k1 recovery before it reads an update.</summary>
public sealed class SignedSubmissionTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private static readonly EthereumContributionSigner Impostor = new(Keccak256.HashUtf8("impostor"));

    private static async Task<(string RunId, RunState State, List<object> Events)> RunAsync(TestRun run, RunSpec spec)
    {
        var runId = await run.Coordinator.LaunchAsync(spec, cancellationToken: Timeout());
        var state = await run.Coordinator.DriveAsync(runId, cancellationToken: Timeout());
        return (runId, state, await run.EventsAsync(runId));
    }

    private static RunSpec OneRound() => TestRun.SmallSpec(workers: 1, rounds: 1);

    [Fact]
    public async Task Every_accepted_update_of_an_honest_run_is_signed_by_its_workers_registered_key()
    {
        using var run = new TestRun();
        await run.AddWorkerAsync("w1");

        var (_, state, events) = await RunAsync(run, OneRound());

        Assert.Equal(RunStatus.Completed, state.Status);
        Assert.Equal(TestRun.SignerOf("w1").Address, Assert.Single(events.OfType<WorkerIdentified>()).Address);
        Assert.Equal(events.OfType<UpdateAccepted>().Select(a => a.LeaseId), events.OfType<ContributionSigned>().Select(s => s.LeaseId));
    }

    [Fact]
    public async Task An_update_signed_by_another_key_but_claiming_the_workers_address_is_a_bad_signature_and_the_real_one_counts()
    {
        using var run = new TestRun();
        var honest = run.WorkerFor("w1");
        await run.AddWorkerAsync("w1", async task =>
        {
            var trained = await honest.TrainAsync(task);
            await run.Coordinator.ShardTrainedAsync(Impostor.Sign(trained with { Signature = null }, task) with { Signer = trained.Signer });
            return trained;
        });

        var (_, state, events) = await RunAsync(run, OneRound());

        Assert.StartsWith($"{RejectionReasons.BadSignature}: ", Assert.Single(events.OfType<UpdateRejected>()).Reason);
        Assert.Equal(RunStatus.Completed, state.Status);
    }

    [Fact]
    public async Task An_update_signed_and_claimed_by_another_key_is_rejected_as_unknown_signer()
    {
        using var run = new TestRun();
        var honest = run.WorkerFor("w1");
        await run.AddWorkerAsync("w1", async task =>
        {
            var trained = await honest.TrainAsync(task);
            var forged = Impostor.Sign(trained with { Signature = null, Signer = null }, task);
            await run.Coordinator.ShardTrainedAsync(forged);
            return trained;
        });

        var (_, _, events) = await RunAsync(run, OneRound());

        var rejected = Assert.Single(events.OfType<UpdateRejected>());
        Assert.Equal($"{RejectionReasons.UnknownSigner}: signed by {Impostor.Address}, worker w1 registered as {TestRun.SignerOf("w1").Address}", rejected.Reason);
    }

    [Fact]
    public async Task A_malleated_high_s_copy_of_a_valid_signature_is_rejected_as_high_s()
    {
        using var run = new TestRun();
        var honest = run.WorkerFor("w1");
        await run.AddWorkerAsync("w1", async task =>
        {
            var trained = await honest.TrainAsync(task);
            var signature = EcdsaSignature.FromBytes(Hex.Decode(trained.Signature!));
            var malleated = new EcdsaSignature(signature.R, Secp256k1.N - signature.S, 1 - signature.YParity);
            await run.Coordinator.ShardTrainedAsync(trained with { Signature = malleated.ToHex() });
            return trained;
        });

        var (_, state, events) = await RunAsync(run, OneRound());

        Assert.StartsWith($"{RejectionReasons.HighSSignature}: ", Assert.Single(events.OfType<UpdateRejected>()).Reason);
        Assert.Equal(1, state.AcceptedUpdates);
    }

    [Fact]
    public async Task An_unsigned_update_for_a_registered_worker_is_rejected_as_unsigned()
    {
        using var run = new TestRun();
        var honest = run.WorkerFor("w1");
        await run.AddWorkerAsync("w1", async task =>
        {
            var trained = await honest.TrainAsync(task);
            await run.Coordinator.ShardTrainedAsync(trained with { Signature = null, Signer = null, Deadline = null, BaseModelHash = null });
            return trained;
        });

        var (_, _, events) = await RunAsync(run, OneRound());

        Assert.StartsWith($"{RejectionReasons.Unsigned}: ", Assert.Single(events.OfType<UpdateRejected>()).Reason);
    }

    [Fact]
    public async Task A_tampered_token_count_breaks_the_signature()
    {
        using var run = new TestRun();
        var honest = run.WorkerFor("w1");
        await run.AddWorkerAsync("w1", async task =>
        {
            var trained = await honest.TrainAsync(task);
            await run.Coordinator.ShardTrainedAsync(trained with { Tokens = trained.Tokens + 1 });
            return trained;
        });

        var (_, _, events) = await RunAsync(run, OneRound());

        var rejected = Assert.Single(events.OfType<UpdateRejected>());
        Assert.StartsWith($"{RejectionReasons.BadSignature}: signature recovers to 0x", rejected.Reason);
    }

    [Fact]
    public async Task An_announcement_by_another_key_under_a_registered_id_is_refused_and_recorded()
    {
        using var run = new TestRun();
        await run.AddWorkerAsync("w1");
        var runId = await run.Coordinator.LaunchAsync(OneRound(), cancellationToken: Timeout());
        await run.Coordinator.WorkerAvailableAsync(Impostor.Sign(new WorkerAvailable { WorkerId = "w1", Endpoint = "queue:evil" }, DateTimeOffset.UtcNow));

        var refused = Assert.Single((await run.EventsAsync(runId)).OfType<WorkerRegistrationRefused>());

        Assert.StartsWith($"{RejectionReasons.UnknownSigner}: worker w1 registered as {TestRun.SignerOf("w1").Address}", refused.Reason);
        Assert.Equal("queue:w1", run.Coordinator.Workers.Find("w1")!.Endpoint);
    }

    [Fact]
    public async Task An_unsigned_announcement_is_refused_by_default()
    {
        using var run = new TestRun();
        var runId = await run.Coordinator.LaunchAsync(OneRound(), cancellationToken: Timeout());

        await run.Coordinator.WorkerAvailableAsync(new WorkerAvailable { WorkerId = "anon", Endpoint = "queue:anon" });

        Assert.StartsWith($"{RejectionReasons.Unsigned}: worker anon announced itself without a signed registration",
            Assert.Single((await run.EventsAsync(runId)).OfType<WorkerRegistrationRefused>()).Reason);
        Assert.Null(run.Coordinator.Workers.Find("anon"));
    }

    [Fact]
    public async Task A_stale_announcement_is_refused_as_expired()
    {
        using var run = new TestRun();
        var runId = await run.Coordinator.LaunchAsync(OneRound(), cancellationToken: Timeout());

        await run.Coordinator.WorkerAvailableAsync(TestRun.SignerOf("w1").Sign(new WorkerAvailable { WorkerId = "w1", Endpoint = "queue:w1" }, DateTimeOffset.UtcNow.AddHours(-1)));

        Assert.StartsWith($"{RejectionReasons.SignatureExpired}: ", Assert.Single((await run.EventsAsync(runId)).OfType<WorkerRegistrationRefused>()).Reason);
    }

    [Fact]
    public async Task A_signature_spelt_without_0x_and_with_v_as_parity_is_recorded_canonically_and_its_copies_decide_nothing()
    {
        using var run = new TestRun();
        var honest = run.WorkerFor("w1");
        ShardTrained? first = null;
        await run.AddWorkerAsync("w1", async task =>
        {
            var trained = await honest.TrainAsync(task);
            if (task.Round != 1) return trained;
            var spellings = Federated.Testing.SignatureSpellings.Of(trained.Signature!);
            first = trained;
            // The worker's own message in another spelling, then every spelling of it again, while the run goes on.
            await run.Coordinator.ShardTrainedAsync(trained with { Signature = spellings["all-at-once"] });
            foreach (var spelling in Federated.Testing.SignatureSpellings.Names)
                await run.Coordinator.ShardTrainedAsync(trained with { Signature = spellings[spelling] });
            return null;
        });

        var (_, state, events) = await RunAsync(run, TestRun.SmallSpec(workers: 1, rounds: 2));

        Assert.Equal(RunStatus.Completed, state.Status);
        var signed = Assert.Single(events.OfType<ContributionSigned>(), c => c.LeaseId == first!.LeaseId);
        Assert.Equal(first!.Signature, signed.Signature); // the worker signed canonically; what it sent was re-spelt
        Assert.Single(events.OfType<UpdateSubmitted>(), u => u.LeaseId == first.LeaseId);
    }
}
