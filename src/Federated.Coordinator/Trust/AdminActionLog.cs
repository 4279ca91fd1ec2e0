using Federated.Chain.Attestations;
using Federated.Coordinator.Storage;
using Federated.EventStore;

namespace Federated.Coordinator.Trust;

/// <summary>An admin request the coordinator acted on, as recorded in <see cref="AdminActionLog"/>.</summary>
/// <param name="Digest">EIP-712 digest of the signed <see cref="AdminAction"/>: what the admin agreed to.</param>
/// <param name="Signature">The signature, canonical (0x, lowercase, v 27/28).</param>
/// <param name="RunId">For a launch, the run id given to it (before the run was started), for a stop, the run.</param>
/// <param name="Claim">A random value only the coordinator that recorded this knows: how it tells its own record from an
/// earlier one (the store answers a repeated key with the first record, not an error).</param>
public sealed record AdminActionRecord(
    string Action, string Target, string Digest, string Admin, string Signature, long IssuedAt, string? RunId, string Claim, DateTimeOffset AcceptedAt);

/// <summary>
/// The stream <c>admin-actions</c>: every admin request the coordinator acted on, recorded before it acts, once. The
/// event id comes from what was signed, not from how it was spelt: a launch by its request id (so one request id is
/// at most one run, however often or however re-signed it is sent), any other action by its EIP-712 digest. A copy
/// of a used request, sent again as is, with its signature re-encoded, to a second coordinator or after a restart,
/// finds the first record and is refused as <c>replayed-request</c>.
/// </summary>
public sealed class AdminActionLog(IEventStore store, TimeProvider time)
{
    public const string StreamId = "admin-actions";
    public const string EventType = "AdminActionAccepted.V1";
    private static readonly RecordStream<AdminActionRecord> Stream = new(StreamId, EventType, new Guid("8e4a1f37-2c6b-4d95-b0e8-73a9c5d21f46"));

    /// <summary>What makes two requests the same request.</summary>
    public static string KeyOf(string action, string target, string digest) =>
        action == AdminAction.LaunchRun ? $"{action}/{target}" : $"{action}/{digest}";

    /// <summary>Records an authorised request before the coordinator acts on it. Null when this call recorded it (act);
    /// otherwise the record of its first use (refuse: it is a replay).</summary>
    public async Task<AdminActionRecord?> ClaimAsync(string action, string target, long issuedAt, AdminVerdict verdict, string? runId, CancellationToken cancellationToken)
    {
        if (verdict.Admin is null || verdict.Digest is null || verdict.Signature is null)
            throw new ArgumentException($"only an authorised request is recorded; this one was refused: {verdict.Refusal}", nameof(verdict));
        var record = new AdminActionRecord(action, target, verdict.Digest, verdict.Admin, verdict.Signature, issuedAt, runId,
            Guid.NewGuid().ToString("N"), time.GetUtcNow());
        var stored = await Stream.AppendOnceAsync(store, record, KeyOf(action, target, verdict.Digest), cancellationToken);
        return stored.Claim == record.Claim ? null : stored;
    }

    public static Task<IReadOnlyList<AdminActionRecord>> ReadAsync(IEventStoreReader store, CancellationToken cancellationToken = default) =>
        Stream.ReadAsync(store, cancellationToken);

    /// <summary>The refusal for a replay, naming the first use.</summary>
    public static string Replayed(AdminActionRecord first) =>
        $"{AdminRefusals.Replayed}: this signed {first.Action} request was already used (target {first.Target}, accepted {first.AcceptedAt:O}"
        + (first.RunId is null ? ")" : $", run {first.RunId})");
}
