using System.Text.Json;
using Federated.Blobs;
using Federated.EventStore;

namespace Federated.Coordinator.Storage;

/// <summary>What one collection did.</summary>
/// <param name="Referenced">Distinct blob hashes the event log names.</param>
/// <param name="Kept">Blobs left in place: referenced, or younger than the grace period.</param>
/// <param name="Deleted">Orphans deleted: blobs no event names, older than the grace period; and stale temporary files.</param>
public sealed record BlobCollectionReport(int Referenced, int Kept, int Deleted, long BytesFreed);

/// <summary>
/// Deletes blobs that no event in the log names, once they are older than a grace period: uploads whose update was
/// never submitted (a worker that died, or a stranger's junk), shards of a round that was never opened, temporary files
/// of writes cut short. Every blob an event names stays, in every stream and every run, finished ones included:
/// `fed verify` replays from them. A blob is "named" when any string value in an event's JSON is its hash, so an event
/// type added later is covered without a change here.
///
/// The grace period must outlast the longest wait between storing a blob and recording the event that names it (a
/// lease's duration for a worker's update; moments for the coordinator's own shards and models). A blob stored again
/// restarts its grace period (<see cref="DirectoryBlobStore"/> touches it), and a blob touched after the log was read
/// is not deleted.
/// </summary>
public static class OrphanBlobCollector
{
    private const int PageSize = 1000;

    public static async Task<BlobCollectionReport> CollectAsync(IEventStoreReader log, DirectoryBlobStore blobs, TimeSpan grace, TimeProvider time,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(blobs);
        if (grace < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(grace), grace, "must not be negative");

        // The cutoff is taken before the log is read: a blob written after it is young, whatever the log says.
        var cutoff = time.GetUtcNow().UtcDateTime - grace;
        var referenced = await ReferencedAsync(log, cancellationToken);
        int kept = 0, deleted = 0;
        long freed = 0;
        foreach (var file in blobs.ListFiles())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.LastWriteUtc > cutoff || (file.Hash is { } hash && referenced.Contains(hash.Hex)))
            {
                kept++;
                continue;
            }
            try
            {
                if (blobs.Delete(file, cutoff))
                {
                    deleted++;
                    freed += file.Size;
                }
                else kept++;
            }
            catch (IOException)
            {
                kept++; // in use or gone; the next collection tries again
            }
        }
        return new BlobCollectionReport(referenced.Count, kept, deleted, freed);
    }

    /// <summary>Every blob hash any event names.</summary>
    public static async Task<HashSet<string>> ReferencedAsync(IEventStoreReader log, CancellationToken cancellationToken = default)
    {
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        long position = 0;
        while (true)
        {
            var read = 0;
            await foreach (var recorded in log.ReadAllAsync(position, PageSize, cancellationToken))
            {
                read++;
                position = recorded.GlobalPosition;
                CollectHashes(recorded.Data, hashes);
            }
            if (read < PageSize) return hashes;
        }
    }

    private static void CollectHashes(byte[] json, HashSet<string> hashes)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            while (reader.Read())
            {
                // A blob hash is 64 ASCII characters; only strings of that exact length are worth decoding.
                if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length == 64 && !reader.ValueIsEscaped
                    && BlobHash.TryParse(reader.GetString(), out var hash))
                    hashes.Add(hash.Hex);
            }
        }
        catch (JsonException e)
        {
            // An event that is not JSON could still name blobs: refusing to collect is safer than deleting them.
            throw new InvalidDataException($"an event in the log is not JSON ({e.Message}); not collecting blobs", e);
        }
    }
}
