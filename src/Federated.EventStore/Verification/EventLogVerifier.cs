namespace Federated.EventStore.Verification;

/// <summary>
/// Re-checks the store-wide hash chain from the first event: positions contiguous from 1, each previous hash
/// equal to the hash before it, and each stored hash equal to the one recomputed from the event's fields.
/// </summary>
/// <remarks>
/// Reports the first failure only: once the chain is broken, every later event is suspect anyway.
/// Failures are returned, not thrown, including a store that cannot be read (a corrupted file),
/// so <c>fed verify</c> can always print a verdict. Only cancellation throws.
/// </remarks>
public sealed class EventLogVerifier
{
    private readonly IEventStoreReader _reader;
    private readonly int _pageSize;

    public EventLogVerifier(IEventStoreReader reader, int pageSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(reader);
        StoreArguments.MaxCount(pageSize, nameof(pageSize));
        _reader = reader;
        _pageSize = pageSize;
    }

    /// <param name="progress">Receives the number of events verified so far, after each page.</param>
    public async Task<VerificationResult> VerifyAsync(IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var previousHash = HashChain.Genesis;
        var previousPosition = 0L;

        while (true)
        {
            List<RecordedEvent> page;
            try
            {
                page = await ReadPageAsync(previousPosition, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                var reason = $"read failed after global position {previousPosition}: {e.Message}";
                return new VerificationResult(previousPosition, previousHash, new VerificationFailure(previousPosition + 1, null, null, null, reason));
            }

            foreach (var recorded in page)
            {
                var reason = Check(recorded, previousPosition, previousHash);
                if (reason is not null)
                {
                    var failure = new VerificationFailure(recorded.GlobalPosition, recorded.StreamId, recorded.StreamVersion, recorded.EventType, reason);
                    return new VerificationResult(previousPosition, previousHash, failure);
                }

                previousPosition = recorded.GlobalPosition;
                previousHash = recorded.Hash;
            }

            progress?.Report(previousPosition);
            if (page.Count < _pageSize)
            {
                return new VerificationResult(previousPosition, previousHash, null);
            }
        }
    }

    private static string? Check(RecordedEvent recorded, long previousPosition, byte[] previousHash)
    {
        var expectedPosition = previousPosition + 1;
        if (recorded.GlobalPosition > expectedPosition)
        {
            return recorded.GlobalPosition == expectedPosition + 1
                ? $"gap in global positions: event {expectedPosition} is missing"
                : $"gap in global positions: events {expectedPosition} to {recorded.GlobalPosition - 1} are missing";
        }

        if (recorded.GlobalPosition < expectedPosition)
        {
            return $"global positions out of order: expected {expectedPosition}";
        }

        if (!recorded.PreviousHash.AsSpan().SequenceEqual(previousHash))
        {
            return previousPosition == 0
                ? "chain broken: the first event's previous hash is not the genesis hash"
                : $"chain broken: previous hash does not match event {previousPosition}";
        }

        byte[] recomputed;
        try
        {
            recomputed = HashChain.Compute(recorded);
        }
        catch (ArgumentException e)
        {
            // A stored field that cannot even be encoded (e.g. a truncated previous hash) is tampering too.
            return $"hash cannot be recomputed: {e.Message}";
        }

        return recomputed.AsSpan().SequenceEqual(recorded.Hash)
            ? null
            : "hash mismatch: stored event was modified";
    }

    private async Task<List<RecordedEvent>> ReadPageAsync(long afterPosition, CancellationToken cancellationToken)
    {
        var page = new List<RecordedEvent>(_pageSize);
        await foreach (var recorded in _reader.ReadAllAsync(afterPosition, _pageSize, cancellationToken).ConfigureAwait(false))
        {
            page.Add(recorded);
        }

        return page;
    }
}
