using Federated.EventStore.Backends;
using Npgsql;
using NpgsqlTypes;
using static Federated.EventStore.Postgres.SqlParameters;

namespace Federated.EventStore.Postgres;

/// <summary>
/// Writes one group of appends in one transaction and three round trips: (1) lock the chain head and read the
/// versions the group touches, (2) write streams, events and the new head, (3) commit. The ids are looked up only when
/// the first try shows a retry may be among the appends (see <see cref="WriteAsync"/>).
/// </summary>
/// <remarks>
/// The chain head row is locked first, so everything read after it in the same batch is read after the
/// previous appender (in any process) committed: READ COMMITTED takes a fresh snapshot for each statement.
/// </remarks>
internal static class GroupCommit
{
    /// <summary>From this many new events on, rows go through binary COPY instead of one INSERT over arrays.</summary>
    public const int CopyThreshold = 64;

    public static async Task<AppendPlan> WriteAsync(
        NpgsqlConnection connection, PostgresDatabase database, IReadOnlyList<PendingAppend> group, TimeProvider clock, CancellationToken cancellationToken)
    {
        // Most appends are new events: try without looking their ids up (a unique index probe per id, the larger part of
        // the read under the lock for big batches). A retry shows itself either as a failed version check or as a
        // duplicate event_id on insert; then the group is planned again with the stored ids, which answer it.
        var optimistic = await TryWriteAsync(connection, database, group, clock, lookUpIds: false, cancellationToken).ConfigureAwait(false);
        return optimistic ?? (await TryWriteAsync(connection, database, group, clock, lookUpIds: true, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>One attempt; null when an attempt without the stored ids found it needs them (nothing was written).</summary>
    private static async Task<AppendPlan?> TryWriteAsync(
        NpgsqlConnection connection, PostgresDatabase database, IReadOnlyList<PendingAppend> group, TimeProvider clock, bool lookUpIds, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var plan = await ReadUnderLockAsync(connection, transaction, database, group, clock, lookUpIds, cancellationToken).ConfigureAwait(false);
        foreach (var append in group)
        {
            plan.Add(append);
        }

        if (plan.NeedsStoredIds || plan.NewEvents.Count == 0)
        {
            // Only retries and refusals, or a possible retry to look up: nothing to write, and the lock goes with the rollback.
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return plan.NeedsStoredIds ? null : plan;
        }

        try
        {
            await WriteEventsAsync(connection, transaction, database, plan, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (!lookUpIds && e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // An id of the group is already stored: a retry, or a conflict the lookup will name.
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            return null;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return plan;
    }

    private static async Task WriteEventsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresDatabase database, AppendPlan plan, CancellationToken cancellationToken)
    {
        var sql = database.Sql;
        var useCopy = plan.NewEvents.Count >= CopyThreshold;
        await using (var write = new NpgsqlBatch(connection, transaction))
        {
            // Streams first: events reference them.
            write.BatchCommands.Add(Command(sql.UpsertStreams,
                Typed(plan.ChangedStreams.Keys.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
                Typed(plan.ChangedStreams.Values.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint)));
            if (!useCopy)
            {
                write.BatchCommands.Add(InsertEvents(sql, plan.NewEvents));
            }

            write.BatchCommands.Add(Command(sql.MoveChainHead,
                Typed(plan.HeadPosition, NpgsqlDbType.Bigint),
                Typed(plan.HeadHash, NpgsqlDbType.Bytea)));
            // Delivered at commit, to listeners in other processes (see PostgresAppendListener).
            write.BatchCommands.Add(Command(PostgresStatements.Notify, Typed(database.Schema, NpgsqlDbType.Text)));
            await write.PrepareAsync(cancellationToken).ConfigureAwait(false);
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (useCopy)
        {
            await CopyEventsAsync(connection, sql, plan.NewEvents, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<AppendPlan> ReadUnderLockAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresDatabase database, IReadOnlyList<PendingAppend> group, TimeProvider clock,
        bool lookUpIds, CancellationToken cancellationToken)
    {
        var sql = database.Sql;
        var streamIds = group.Select(a => a.StreamId).Distinct(StringComparer.Ordinal).ToArray();
        var eventIds = group.SelectMany(a => a.Events).Select(e => e.EventId).ToArray();

        await using var read = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Command(sql.LockChainHead),
                Command(sql.StreamVersions, Typed(streamIds, NpgsqlDbType.Array | NpgsqlDbType.Text)),
            },
        };
        if (lookUpIds)
        {
            read.BatchCommands.Add(Command(sql.StoredEvents, Typed(eventIds, NpgsqlDbType.Array | NpgsqlDbType.Uuid)));
        }

        await read.PrepareAsync(cancellationToken).ConfigureAwait(false);
        await using var rows = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

        if (!await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new EventStoreException(database.Location,
                $"Event store database '{database.Location}' (schema '{database.Schema}'): the chain_head row is missing (the table was edited); appends are refused until it is restored.");
        }

        var headPosition = rows.GetInt64(0);
        var headHash = rows.GetFieldValue<byte[]>(1);

        await rows.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions[rows.GetString(0)] = rows.GetInt64(1);
        }

        Dictionary<Guid, StoredEventLocation>? stored = null;
        if (lookUpIds)
        {
            await rows.NextResultAsync(cancellationToken).ConfigureAwait(false);
            stored = [];
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored[rows.GetGuid(0)] = new StoredEventLocation(rows.GetString(1), rows.GetInt64(2), rows.GetInt64(3));
            }
        }

        return new AppendPlan(headPosition, headHash, versions, stored, clock.GetUtcNow());
    }

    private static NpgsqlBatchCommand InsertEvents(PostgresStatements sql, List<RecordedEvent> events)
    {
        var n = events.Count;
        var positions = new long[n];
        var streams = new string[n];
        var versions = new long[n];
        var ids = new Guid[n];
        var types = new string[n];
        var data = new byte[n][];
        var metadata = new byte[n][];
        var recordedAt = new long[n];
        var previousHashes = new byte[n][];
        var hashes = new byte[n][];
        for (var i = 0; i < n; i++)
        {
            var e = events[i];
            positions[i] = e.GlobalPosition;
            streams[i] = e.StreamId;
            versions[i] = e.StreamVersion;
            ids[i] = e.EventId;
            types[i] = e.EventType;
            data[i] = e.Data;
            metadata[i] = e.Metadata;
            recordedAt[i] = e.RecordedAt.ToUnixTimeMilliseconds();
            previousHashes[i] = e.PreviousHash;
            hashes[i] = e.Hash;
        }

        return Command(sql.InsertEvents,
            Typed(positions, NpgsqlDbType.Array | NpgsqlDbType.Bigint),
            Typed(streams, NpgsqlDbType.Array | NpgsqlDbType.Text),
            Typed(versions, NpgsqlDbType.Array | NpgsqlDbType.Bigint),
            Typed(ids, NpgsqlDbType.Array | NpgsqlDbType.Uuid),
            Typed(types, NpgsqlDbType.Array | NpgsqlDbType.Text),
            Typed(data, NpgsqlDbType.Array | NpgsqlDbType.Bytea),
            Typed(metadata, NpgsqlDbType.Array | NpgsqlDbType.Bytea),
            Typed(recordedAt, NpgsqlDbType.Array | NpgsqlDbType.Bigint),
            Typed(previousHashes, NpgsqlDbType.Array | NpgsqlDbType.Bytea),
            Typed(hashes, NpgsqlDbType.Array | NpgsqlDbType.Bytea));
    }

    private static async Task CopyEventsAsync(NpgsqlConnection connection, PostgresStatements sql, List<RecordedEvent> events, CancellationToken cancellationToken)
    {
        await using var import = await connection.BeginBinaryImportAsync(sql.CopyEvents, cancellationToken).ConfigureAwait(false);
        foreach (var e in events)
        {
            await import.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(e.GlobalPosition, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(e.StreamId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(e.StreamVersion, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(e.EventId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(e.EventType, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(e.Data, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(e.Metadata, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(e.RecordedAt.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(e.PreviousHash, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(e.Hash, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
        }

        await import.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
