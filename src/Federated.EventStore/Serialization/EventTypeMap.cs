using System.Diagnostics.CodeAnalysis;

namespace Federated.EventStore.Serialization;

/// <summary>
/// Two-way map between CLR event types and the stable names written to the log (e.g. "RunLaunched.V1").
/// The stored name, never the CLR name, identifies an event, so classes can be renamed or moved freely.
/// </summary>
/// <remarks>Register every type at start-up; once registration is done, concurrent lookups are safe.</remarks>
public sealed class EventTypeMap
{
    private readonly Dictionary<string, Type> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _byType = [];

    /// <summary>Maps <typeparamref name="TEvent"/> to <paramref name="typeName"/>. Returns this map for chaining.</summary>
    public EventTypeMap Register<TEvent>(string typeName) => Register(typeof(TEvent), typeName);

    public EventTypeMap Register(Type clrType, string typeName)
    {
        ArgumentNullException.ThrowIfNull(clrType);
        StoreArguments.EventType(typeName, nameof(typeName));
        if (_byName.TryGetValue(typeName, out var existingType))
        {
            throw new ArgumentException($"Event type name '{typeName}' is already mapped to {existingType.FullName}.", nameof(typeName));
        }

        if (_byType.TryGetValue(clrType, out var existingName))
        {
            throw new ArgumentException($"{clrType.FullName} is already mapped to event type name '{existingName}'.", nameof(clrType));
        }

        _byName.Add(typeName, clrType);
        _byType.Add(clrType, typeName);
        return this;
    }

    /// <summary>The stored name of <paramref name="clrType"/>; throws when it was never registered.</summary>
    public string GetTypeName(Type clrType)
    {
        ArgumentNullException.ThrowIfNull(clrType);
        return _byType.TryGetValue(clrType, out var name)
            ? name
            : throw new ArgumentException($"{clrType.FullName} is not registered in the event type map; register it with a stable name first.", nameof(clrType));
    }

    public bool TryGetClrType(string typeName, [NotNullWhen(true)] out Type? clrType) =>
        _byName.TryGetValue(typeName, out clrType);

    /// <summary>Every registered stored name, in no particular order.</summary>
    public IReadOnlyCollection<string> TypeNames => _byName.Keys;
}
