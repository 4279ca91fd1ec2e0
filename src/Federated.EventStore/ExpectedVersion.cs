namespace Federated.EventStore;

/// <summary>What the writer believes the stream's current version to be (EventStoreDB semantics).</summary>
public readonly record struct ExpectedVersion(long Value)
{
    /// <summary>Append whatever the stream's version.</summary>
    public static readonly ExpectedVersion Any = new(-2);

    /// <summary>The stream must not exist yet.</summary>
    public static readonly ExpectedVersion NoStream = new(-1);

    /// <summary>The stream's last event must have this 0-based version.</summary>
    public static ExpectedVersion Exact(long version) =>
        version < 0 ? throw new ArgumentOutOfRangeException(nameof(version)) : new(version);

    public override string ToString() => Value switch
    {
        -2 => "any",
        -1 => "no stream",
        _ => Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
