using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;
using static Federated.Domain.Tests.Specification.RunHistory;
using static Federated.Domain.Tests.Specification.RunSpecification;

namespace Federated.Domain.Tests.Runs;

/// <summary>A run that completed or failed decides nothing more: every command is refused, so nothing can be appended
/// to its stream after RunCompleted or RunFailed, whoever sends it.</summary>
public class ClosedRunTests
{
    public static TheoryData<string> Commands => ["join", "refuse-worker", "leave", "open-round", "lease", "expire", "release", "submit", "aggregate", "fail", "refuse-admin"];

    private static RunCommand CommandNamed(string name) => name switch
    {
        "join" => new JoinWorker("w9", 1, "0x0000000000000000000000000000000000000009"),
        "refuse-worker" => new RefuseWorker("w1", null, "unsigned: forged"),
        "leave" => new LeaveWorker("w1", "forged"),
        "open-round" => OpenRound(2, "model-1", 3),
        "lease" => new LeaseShard(1, "w1", "lease-9"),
        "expire" => new ExpireLeases(),
        "release" => new ReleaseLease("lease-1", "w1"),
        "submit" => Submit(1, 1, "lease-forged", "w1", "update-9"),
        "aggregate" => new AggregateRound(1, "model-9", 1f, 1),
        "fail" => new FailRun("forged"),
        "refuse-admin" => new RefuseAdminRequest("stop-run", null, "unsigned: forged"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static OpenRound OpenRound(int round, string baseModel, int shards) =>
        new(round, baseModel, [.. Enumerable.Range(1, shards).Select(Shard)]);

    [Theory]
    [MemberData(nameof(Commands))]
    public void After_RunCompleted_every_command_is_refused(string command) =>
        Given([.. RoundOneLeased(), .. AcceptedUpdate(1, 1, "w1", "lease-1", "update-1", at: 60),
                Aggregated(1, InitialModel, "model-1", 100, new AggregatedUpdate(1, "w1", "update-1", 10)), new RunCompleted(RunId, "model-1", 2f, At(100))])
            .When(CommandNamed(command), At(200))
            .ThenThrows<RunEndedException>($"run {RunId} has completed: its log is closed");

    [Theory]
    [MemberData(nameof(Commands))]
    public void After_RunFailed_with_a_round_open_every_command_is_refused(string command) =>
        Given([.. RoundOneLeased(), new RunFailed(RunId, "stopped by consortium admin", At(30))])
            .When(CommandNamed(command), At(60))
            .ThenThrows<RunEndedException>($"run {RunId} has failed: its log is closed");
}
