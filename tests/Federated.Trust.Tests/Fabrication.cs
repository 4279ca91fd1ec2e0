using System.Collections.Concurrent;
using Federated.Blobs;
using Federated.Contracts;
using Federated.Coordinator.Models;
using Federated.Coordinator.Runs;
using Federated.Domain.Runs;
using Federated.Domain.Verification;
using Federated.Engine.Parameters;
using Federated.Worker;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Trust.Tests;

/// <summary>How a lazy or dishonest worker fakes its update.</summary>
public enum Fake
{
    /// <summary>The honest update with one value nudged by 1e-3: as close to honest as a fake gets.</summary>
    OneValuePerturbed,
    /// <summary>The honest update times 2.</summary>
    Scaled,
}

/// <summary>One spot-checked run: 8 workers, the first <paramref name="Fabricators"/> of them faking every update.</summary>
public sealed record FabricationRun(double SampleRate, int Fabricators, Fake Fake, int Rounds = 4, ulong Seed = 5);

/// <summary>What the run recorded, and what the workers' training cost them (the spot checks' cost is beside it).</summary>
public sealed record FabricationOutcome(RunState State, IReadOnlyList<object> Events, IReadOnlySet<string> FakeHashes, double WorkerTrainingSeconds);

internal static class Fabrication
{
    public static RunSpec Spec(FabricationRun r) => Experiment.Spec("fedavg") with
    {
        Seed = r.Seed, Rounds = r.Rounds, Verification = new VerificationSpec(r.SampleRate),
    };

    public static async Task<FabricationOutcome> RunAsync(FabricationRun r)
    {
        using var run = new TrustRun();
        var spec = Spec(r);
        var parameterCount = SpecModels.Create(spec.Model).ParameterCount;
        var fakes = new ConcurrentDictionary<string, byte>();
        double trainingSeconds = 0;
        var gate = new object();
        for (var w = 1; w <= Experiment.Workers; w++)
        {
            var honest = new ShardWorker($"w{w}", run.Blobs);
            var fabricates = w <= r.Fabricators;
            await run.AddWorkerAsync($"w{w}", async task =>
            {
                var trained = await honest.TrainAsync(task);
                lock (gate) trainingSeconds += trained.ElapsedSeconds;
                if (!fabricates) return trained;
                var update = ParameterCodec.Decode(await run.Blobs.GetAsync(BlobHash.Parse(trained.UpdateHash)), parameterCount);
                if (r.Fake == Fake.Scaled) for (var i = 0; i < update.Length; i++) update[i] *= 2;
                else update[task.ShardId % update.Length] += 1e-3f;
                var hash = await run.Blobs.PutAsync(ParameterCodec.Encode(update));
                fakes[hash.Hex] = 0;
                return trained with { UpdateHash = hash.Hex };
            });
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(run.Aborted.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(180));
        var runId = await run.Coordinator.LaunchAsync(spec, cancellationToken: timeout.Token);
        var state = await run.Coordinator.DriveAsync(runId, cancellationToken: timeout.Token);
        var events = new List<object>();
        await foreach (var e in run.Store.ReadStreamAsync(RunEvents.StreamOf(runId), EventStore.ReadDirection.Forward, 0, int.MaxValue))
            events.Add(RunEventCodec.Decode(e));
        return new FabricationOutcome(state, events, fakes.Keys.ToHashSet(), trainingSeconds);
    }

    public static IEnumerable<UpdateSubmitted> FakeSubmissions(FabricationOutcome o) =>
        o.Events.OfType<UpdateSubmitted>().Where(s => o.FakeHashes.Contains(s.UpdateHash));
}
