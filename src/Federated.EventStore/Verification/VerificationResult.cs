namespace Federated.EventStore.Verification;

/// <summary>Outcome of checking the whole log against its hash chain.</summary>
/// <param name="EventsVerified">Events that passed every check, counted from global position 1.</param>
/// <param name="LastHash">Hash of the last event that passed (<see cref="HashChain.Genesis"/> when none did).
/// Publishing it elsewhere (a chain, a signed file) also makes truncation and wholesale rewrites detectable,
/// which the chain alone cannot.</param>
/// <param name="Failure">The first bad event, or null when the log is intact.</param>
public sealed record VerificationResult(long EventsVerified, byte[] LastHash, VerificationFailure? Failure)
{
    public bool IsValid => Failure is null;
}

/// <summary>Where verification stopped and why.</summary>
/// <param name="GlobalPosition">Position of the bad event, or where reading failed.</param>
/// <param name="StreamId">The bad event's stream, or null when the event could not be read.</param>
/// <param name="StreamVersion">The bad event's stream version, or null when the event could not be read.</param>
/// <param name="EventType">The bad event's type, or null when the event could not be read.</param>
/// <param name="Reason">What was wrong, for a person to read.</param>
public sealed record VerificationFailure(long GlobalPosition, string? StreamId, long? StreamVersion, string? EventType, string Reason)
{
    public override string ToString() => StreamId is null
        ? $"global position {GlobalPosition}: {Reason}"
        : $"global position {GlobalPosition} (stream '{StreamId}', version {StreamVersion}, {EventType}): {Reason}";
}
