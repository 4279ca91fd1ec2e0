namespace Federated.Engine;

/// <summary>
/// A model's configuration as written in run specs and events: a family name and its integer settings.
/// Kept as a flat dictionary so the event schema does not change when a family gains a setting.
/// </summary>
public sealed record ModelConfig(string Family, IReadOnlyDictionary<string, int> Settings)
{
    public int Get(string key, int fallback) => Settings.TryGetValue(key, out var v) ? v : fallback;
}

/// <summary>A bad model setting; <see cref="Field"/> names it as "model.&lt;key&gt;" (or "model.family").</summary>
public sealed class ModelConfigException(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;
}
