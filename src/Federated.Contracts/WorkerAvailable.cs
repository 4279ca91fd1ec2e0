namespace Federated.Contracts;

/// <summary>A worker announces itself (on start and on reconnect); the coordinator joins it to running runs.</summary>
public sealed record WorkerAvailable
{
    public required string WorkerId { get; init; }
    public int Threads { get; init; } = 1;
    /// <summary>Address the coordinator sends <see cref="TrainShard"/> to, e.g. "queue:fed-worker-w1".</summary>
    public required string Endpoint { get; init; }

    // Signed registration (optional on the wire): the EIP-712 "WorkerRegistration" over WorkerId, Endpoint and
    // IssuedAt by the key whose Address identifies the worker and receives its payouts.

    public string? Address { get; init; }
    /// <summary>Unix seconds when the announcement was signed; the coordinator refuses stale ones.</summary>
    public long? IssuedAt { get; init; }
    /// <summary>r || s || v, 65 bytes hex.</summary>
    public string? Signature { get; init; }
}
