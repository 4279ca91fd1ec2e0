using Federated.Blobs;
using Federated.Blobs.Access;
using Federated.Engine.Parameters;

namespace Federated.Coordinator.Runs;

/// <summary>
/// The blob endpoint's view of the leases: a lease is open while its run is running and loaded here, its round is the
/// open one, and it has neither expired (nor been given back) nor run past its time. Its worker may read the round's base
/// model and its shard, and upload an update of exactly the run's size (<see cref="ParameterCodec.EncodedLength"/>).
/// Read from the run's current state, so a restarted coordinator knows the leases again once it resumed the run.
/// </summary>
internal sealed class BlobLeaseDirectory(RunCoordinator coordinator) : IBlobLeaseDirectory
{
    public BlobLease? FindOpenLease(string runId, string leaseId)
    {
        if (coordinator.LoadedDriver(runId) is not { } driver) return null;
        var state = driver.Session.State;
        if (!state.IsRunning || state.OpenRound is not { } round) return null;
        if (!round.Leases.TryGetValue(leaseId, out var lease) || lease.Expired || lease.ExpiresAt <= coordinator.Time.GetUtcNow()) return null;
        if (round.Shard(lease.ShardId) is not { } shard) return null;
        if (!BlobHash.TryParse(round.BaseModelHash, out var model) || !BlobHash.TryParse(shard.DataHash, out var data)) return null;
        return new BlobLease(runId, leaseId, lease.WorkerId, new HashSet<BlobHash> { model, data },
            ParameterCodec.EncodedLength(driver.ParameterCount), lease.ExpiresAt);
    }
}
