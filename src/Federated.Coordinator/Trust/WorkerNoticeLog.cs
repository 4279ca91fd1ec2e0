using System.Collections.Concurrent;
using Federated.Coordinator.Storage;
using Federated.EventStore;

namespace Federated.Coordinator.Trust;

/// <summary>A worker's signed notice (a lease given back, a goodbye) the coordinator acted on.</summary>
/// <param name="Digest">EIP-712 digest of the <see cref="Chain.Attestations.WorkerNotice"/>: what the worker signed.</param>
/// <param name="Claim">Random, known only to the coordinator that recorded it (see <see cref="AdminActionRecord.Claim"/>).</param>
public sealed record WorkerNoticeRecord(string WorkerId, string Kind, string Subject, long IssuedAt, string Digest, string Signer, string Claim, DateTimeOffset AcceptedAt);

/// <summary>
/// The stream <c>worker-notices</c>: each signed notice acted on, once, keyed by its digest, so a copy (as sent, with
/// the signature re-encoded, or after a restart) is refused as <c>replayed-request</c> and changes nothing. It also
/// remembers when each worker last said goodbye: a registration signed before that cannot bring the worker back.
/// </summary>
public sealed class WorkerNoticeLog(IEventStore store, TimeProvider time)
{
    public const string StreamId = "worker-notices";
    public const string EventType = "WorkerNoticeAccepted.V1";
    private static readonly RecordStream<WorkerNoticeRecord> Stream = new(StreamId, EventType, new Guid("3b9d7e21-5f0a-4c68-9e14-d2a68f0b7c35"));

    private readonly SemaphoreSlim _loading = new(1, 1);
    private ConcurrentDictionary<string, long>? _goodbyes;

    /// <summary>Records the notice before the coordinator acts on it: null when this call recorded it, else its first use.</summary>
    public async Task<WorkerNoticeRecord?> ClaimAsync(string workerId, string kind, string subject, long issuedAt, string digest, string signer, CancellationToken cancellationToken)
    {
        var goodbyes = await GoodbyesAsync(cancellationToken);
        var record = new WorkerNoticeRecord(workerId, kind, subject, issuedAt, digest, signer, Guid.NewGuid().ToString("N"), time.GetUtcNow());
        var stored = await Stream.AppendOnceAsync(store, record, digest, cancellationToken);
        if (stored.Claim != record.Claim) return stored;
        if (kind == Chain.Attestations.WorkerNotice.Leaving) goodbyes.AddOrUpdate(workerId, issuedAt, (_, known) => Math.Max(known, issuedAt));
        return null;
    }

    /// <summary>When (Unix seconds, as signed) the worker last said goodbye; null if never.</summary>
    public async Task<long?> LastGoodbyeAsync(string workerId, CancellationToken cancellationToken) =>
        (await GoodbyesAsync(cancellationToken)).TryGetValue(workerId, out var at) ? at : null;

    public static Task<IReadOnlyList<WorkerNoticeRecord>> ReadAsync(IEventStoreReader store, CancellationToken cancellationToken = default) =>
        Stream.ReadAsync(store, cancellationToken);

    /// <summary>Goodbyes recorded so far, read from the log once (a restarted coordinator remembers them).</summary>
    private async Task<ConcurrentDictionary<string, long>> GoodbyesAsync(CancellationToken cancellationToken)
    {
        if (_goodbyes is { } loaded) return loaded;
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_goodbyes is not null) return _goodbyes;
            var goodbyes = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            foreach (var notice in await ReadAsync(store, cancellationToken))
                if (notice.Kind == Chain.Attestations.WorkerNotice.Leaving)
                    goodbyes.AddOrUpdate(notice.WorkerId, notice.IssuedAt, (_, known) => Math.Max(known, notice.IssuedAt));
            return _goodbyes = goodbyes;
        }
        finally
        {
            _loading.Release();
        }
    }
}
