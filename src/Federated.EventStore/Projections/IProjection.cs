namespace Federated.EventStore.Projections;

/// <summary>
/// A read model built from the log. <see cref="Name"/> is also its checkpoint key, so renaming a projection
/// rebuilds it from the start. <see cref="ApplyAsync"/> may see an event again after a restart and must be idempotent.
/// </summary>
public interface IProjection
{
    string Name { get; }

    ValueTask ApplyAsync(RecordedEvent recorded, CancellationToken cancellationToken);
}
