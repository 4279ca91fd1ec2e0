using System.Text.RegularExpressions;

namespace Federated.EventStore.Postgres;

/// <summary>Where in the database the store lives and how it behaves.</summary>
public sealed partial record PostgresStoreOptions
{
    /// <summary>The schema holding the store's tables; created when missing. Lower-case letters, digits and
    /// underscores only, so it never needs quoting rules to be right (several stores can share one database).</summary>
    public string Schema { get; init; } = "public";

    /// <summary>Clock for each event's recording time.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>When true, the store also LISTENs for appends committed by other processes and raises
    /// <see cref="PostgresEventStore.Appended"/> for them (one extra connection held open).</summary>
    public bool ListenForAppends { get; init; }

    /// <summary>Most events written in one transaction when concurrent appends are grouped (a single larger
    /// append is still written whole).</summary>
    public int MaxEventsPerCommit { get; init; } = 4096;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Schema, nameof(Schema));
        if (!SchemaName().IsMatch(Schema))
        {
            throw new ArgumentException(
                $"Schema '{Schema}' is not allowed: use 1 to 63 lower-case letters, digits or underscores, starting with a letter or underscore.",
                nameof(Schema));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        StoreArguments.MaxCount(MaxEventsPerCommit, nameof(MaxEventsPerCommit));
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
