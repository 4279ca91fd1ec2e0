namespace Federated.EventStore.Backends;

/// <summary>Where an event id is already stored (or will be, once the commit that writes it lands).</summary>
public readonly record struct StoredEventLocation(string StreamId, long StreamVersion, long GlobalPosition);
