namespace Federated.Coordinator.Runs;

/// <summary>When the coordinator stops trusting a worker to serve.</summary>
/// <param name="Timeout">A worker not heard from (no announcement) for this long is forgotten: it gets no more leases and
/// leaves every run it is in, until it announces itself again. About three of the workers' heartbeat intervals.</param>
/// <param name="BenchAfterExpiries">Consecutive leases a worker may let run out before it is benched.</param>
/// <param name="FirstBench">How long the first bench lasts; each further bench of the same worker lasts twice as long as
/// the last, up to <paramref name="MaxBench"/>. Announcing itself does not end a bench: only time does.</param>
public sealed record WorkerLiveness(TimeSpan Timeout, int BenchAfterExpiries, TimeSpan FirstBench, TimeSpan MaxBench)
{
    public static WorkerLiveness Default { get; } = new(TimeSpan.FromSeconds(30), 2, TimeSpan.FromSeconds(60), TimeSpan.FromHours(1));

    /// <summary>Heard from within this long: preferred when leasing (at the default, within one and a half heartbeats).</summary>
    public TimeSpan Fresh => Timeout / 2;

    /// <exception cref="ArgumentException">A value is not positive, or the bench limits are out of order; names it.</exception>
    public void Validate()
    {
        if (Timeout <= TimeSpan.Zero) throw new ArgumentException($"the worker timeout must be positive, not {Timeout.TotalSeconds} s", nameof(Timeout));
        if (BenchAfterExpiries < 1) throw new ArgumentException($"benching needs at least 1 expired lease, not {BenchAfterExpiries}", nameof(BenchAfterExpiries));
        if (FirstBench <= TimeSpan.Zero) throw new ArgumentException($"the first bench must be positive, not {FirstBench.TotalSeconds} s", nameof(FirstBench));
        if (MaxBench < FirstBench) throw new ArgumentException($"the longest bench ({MaxBench.TotalSeconds} s) is shorter than the first ({FirstBench.TotalSeconds} s)", nameof(MaxBench));
    }
}
