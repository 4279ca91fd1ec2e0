using System.Text.Json;
using System.Text.Json.Serialization;

namespace Federated.EventStore.Serialization;

/// <summary>Turns domain events into <see cref="EventData"/> and stored events back into domain events (UTF-8 JSON).</summary>
/// <remarks>
/// Output is deterministic for a given object: properties in declaration order, no indentation, shortest
/// round-trip number formatting. Floating-point NaN and infinities are written as the JSON strings
/// "NaN", "Infinity" and "-Infinity" (a diverged loss is a fact worth recording). Enums are written by name,
/// so reordering an enum never changes the meaning of a stored event.
/// </remarks>
public sealed class EventSerializer
{
    private readonly EventTypeMap _types;
    private readonly JsonSerializerOptions _options;

    public EventSerializer(EventTypeMap types, JsonSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(types);
        _types = types;
        _options = options ?? DefaultOptions;
    }

    /// <summary>camelCase, named floating-point literals, enums as names, compact, read-only.</summary>
    public static JsonSerializerOptions DefaultOptions { get; } = CreateDefaultOptions();

    /// <summary>
    /// Serializes <paramref name="event"/> under its registered type name. The caller picks the event id:
    /// derive it deterministically (see <see cref="EventIds"/>) so a retried command appends the same ids and
    /// the store's idempotency turns the retry into a no-op.
    /// </summary>
    /// <param name="metadata">Optional object stored as JSON beside the event (correlation ids and the like).</param>
    public EventData Serialize(Guid eventId, object @event, object? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var clrType = @event.GetType();
        var typeName = _types.GetTypeName(clrType);
        var data = JsonSerializer.SerializeToUtf8Bytes(@event, clrType, _options);
        var meta = metadata is null ? [] : JsonSerializer.SerializeToUtf8Bytes(metadata, metadata.GetType(), _options);
        return new EventData(eventId, typeName, data, meta);
    }

    /// <summary>Reads <paramref name="recorded"/> back as the CLR type registered for its type name.</summary>
    /// <exception cref="EventDeserializationException">Unknown type name, malformed JSON, or JSON null.</exception>
    public object Deserialize(RecordedEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        if (!_types.TryGetClrType(recorded.EventType, out var clrType))
        {
            throw new EventDeserializationException(recorded, "the type name is not registered in the event type map");
        }

        object? value;
        try
        {
            value = JsonSerializer.Deserialize(recorded.Data, clrType, _options);
        }
        catch (JsonException e)
        {
            throw new EventDeserializationException(recorded, $"its data is not valid JSON for {clrType.Name}: {e.Message}", e);
        }

        return value ?? throw new EventDeserializationException(recorded, "its data is JSON null");
    }

    private static JsonSerializerOptions CreateDefaultOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            WriteIndented = false,
            Converters = { new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false) },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
