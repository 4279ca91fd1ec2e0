using Federated.Contracts;

namespace Federated.Coordinator.Trust;

/// <summary>
/// Bounds on what a worker's message may carry before any of it reaches the log: identifiers are recorded in
/// events, so a 10 MB lease id would be a 10 MB event. Real values are far below the limits (ids are short,
/// hashes 64 hex digits, signatures 132).
/// </summary>
public static class MessageLimits
{
    public const int MaxId = 128;
    public const int MaxHash = 128;
    public const int MaxSignature = 256;
    public const int MaxText = 1024;

    public static void Check(ShardTrained m)
    {
        Field(nameof(ShardTrained), nameof(m.RunId), m.RunId, MaxId);
        Field(nameof(ShardTrained), nameof(m.LeaseId), m.LeaseId, MaxId);
        Field(nameof(ShardTrained), nameof(m.WorkerId), m.WorkerId, MaxId);
        Field(nameof(ShardTrained), nameof(m.UpdateHash), m.UpdateHash, MaxHash);
        Optional(nameof(ShardTrained), nameof(m.BaseModelHash), m.BaseModelHash, MaxHash);
        Optional(nameof(ShardTrained), nameof(m.Signer), m.Signer, MaxId);
        Optional(nameof(ShardTrained), nameof(m.Signature), m.Signature, MaxSignature);
    }

    public static void Check(WorkerAvailable m)
    {
        Field(nameof(WorkerAvailable), nameof(m.WorkerId), m.WorkerId, MaxId);
        Field(nameof(WorkerAvailable), nameof(m.Endpoint), m.Endpoint, MaxText);
        Optional(nameof(WorkerAvailable), nameof(m.Address), m.Address, MaxId);
        Optional(nameof(WorkerAvailable), nameof(m.Signature), m.Signature, MaxSignature);
    }

    public static void Check(ShardFailed m)
    {
        Field(nameof(ShardFailed), nameof(m.RunId), m.RunId, MaxId);
        Field(nameof(ShardFailed), nameof(m.LeaseId), m.LeaseId, MaxId);
        Field(nameof(ShardFailed), nameof(m.WorkerId), m.WorkerId, MaxId);
    }

    public static void Check(WorkerLeaving m)
    {
        Field(nameof(WorkerLeaving), nameof(m.WorkerId), m.WorkerId, MaxId);
        Field(nameof(WorkerLeaving), nameof(m.Reason), m.Reason, MaxText);
    }

    private static void Field(string message, string field, string? value, int max)
    {
        if (string.IsNullOrEmpty(value)) throw new MalformedMessageException($"{message}.{field} is missing");
        Optional(message, field, value, max);
    }

    private static void Optional(string message, string field, string? value, int max)
    {
        if (value is not null && value.Length > max)
            throw new MalformedMessageException($"{message}.{field} is {value.Length} characters; at most {max} are accepted");
    }
}
