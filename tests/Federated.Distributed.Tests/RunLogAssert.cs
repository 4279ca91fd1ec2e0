using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Distributed.Tests;

/// <summary>What every distributed test asserts at the end: the run completed, the hash chain holds, and every
/// accepted update appears exactly once in the log and in the aggregate of its round.</summary>
public static class RunLogAssert
{
    public static void CompletedWithEachUpdateOnce(RunLog log, int rounds, int shardsPerRound)
    {
        Assert.Equal(RunStatus.Completed, log.State.Status);
        Assert.True(log.Chain.IsValid, $"hash chain broken: {log.Chain.Failure}");
        Assert.Equal(rounds, log.Of<RoundAggregated>().Count());
        Assert.Single(log.Of<RunCompleted>());

        var accepted = log.Of<UpdateAccepted>().ToList();
        // One accepted update per shard of every round (quorum 1.0), never two for the same shard or the same submission.
        Assert.Equal(rounds * shardsPerRound, accepted.Count);
        Assert.Equal(accepted.Count, accepted.Select(a => (a.Round, a.ShardId)).Distinct().Count());
        Assert.Equal(accepted.Count, accepted.Select(a => (a.LeaseId, a.UpdateHash)).Distinct().Count());
        // A submission (lease, update) is decided once, however often its message arrived.
        var submitted = log.Of<UpdateSubmitted>().Select(s => (s.LeaseId, s.UpdateHash)).ToList();
        Assert.Equal(submitted.Count, submitted.Distinct().Count());
        // Each round aggregates exactly its accepted updates, each once.
        foreach (var round in log.Of<RoundAggregated>())
        {
            var expected = accepted.Where(a => a.Round == round.Round).Select(a => (a.ShardId, a.UpdateHash)).Order().ToList();
            var used = round.AggregatedUpdates.Select(u => (u.ShardId, u.UpdateHash)).Order().ToList();
            Assert.Equal(expected, used);
        }
        Assert.Equal(accepted.Count, log.State.AcceptedUpdates);
    }
}
