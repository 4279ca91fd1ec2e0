using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Federated.Domain.Runs;

namespace Federated.Coordinator.Specs;

/// <summary>Reads a run spec from a JSON or YAML file (by extension) and validates it. Every problem is a
/// <see cref="RunSpecException"/> naming the field: unknown keys, wrong types, out-of-range values.</summary>
public static class RunSpecFile
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
    };

    /// <summary>Far above any real spec (models/ holds specs under 1 KiB); bounds what a hostile spec costs to read.</summary>
    public const int MaxBytes = YamlToJson.MaxCharacters;

    public static RunSpec Load(string path)
    {
        if (!File.Exists(path)) throw new RunSpecException("spec", $"file '{path}' does not exist");
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".json" or ".yaml" or ".yml")) throw new RunSpecException("spec", $"'{path}' must end in .json, .yaml or .yml");
        var text = ReadBounded(path);
        return ext == ".json" ? ParseJson(text) : ParseYaml(text);
    }

    // Reads at most MaxBytes + 1 bytes, so an endless file (a device, a FIFO) cannot fill memory.
    private static string ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        int n;
        while (length < buffer.Length && (n = stream.Read(buffer, length, buffer.Length - length)) > 0) length += n;
        if (length > MaxBytes) throw new RunSpecException("spec", $"'{path}' is larger than {MaxBytes} bytes");
        return new System.Text.UTF8Encoding(false).GetString(buffer, 0, length).TrimStart('\uFEFF');
    }

    public static RunSpec ParseJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxBytes) throw new RunSpecException("spec", $"is {json.Length} characters of JSON; at most {MaxBytes} are accepted");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new RunSpecException("spec", $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {FirstSentence(e.Message)}");
        }
        return FromNode(node);
    }

    public static RunSpec ParseYaml(string yaml) => FromNode(YamlToJson.Convert(yaml));

    public static RunSpec FromNode(JsonNode? node)
    {
        if (node is not JsonObject obj) throw new RunSpecException("spec", "must be an object of settings");
        RunSpec? spec;
        try
        {
            spec = obj.Deserialize<RunSpec>(JsonOptions);
        }
        catch (JsonException e)
        {
            throw new RunSpecException(FieldOf(e), Describe(e));
        }
        return RunSpecValidator.Validate(spec ?? throw new RunSpecException("spec", "is empty"));
    }

    public static string ToJson(RunSpec spec) => JsonSerializer.Serialize(spec, JsonOptions);

    // "$.model.settings.layers" -> "model.settings.layers"; a key that is the empty string is named as "".
    private static string FieldOf(JsonException e)
    {
        if (string.IsNullOrEmpty(e.Path) || e.Path == "$") return "spec";
        var field = e.Path.TrimStart('$', '.');
        return field.Length == 0 || field == "['']" ? "\"\"" : field;
    }

    private static string Describe(JsonException e)
    {
        var message = e.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal)) return "unknown setting";
        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            foreach (var (clr, words) in ExpectedKinds)
                if (message.Contains(clr, StringComparison.Ordinal)) return $"must be {words}";
            return "has the wrong type";
        }
        if (message.Contains("missing required", StringComparison.Ordinal)) return FirstSentence(message);
        return FirstSentence(message);
    }

    private static readonly (string Clr, string Words)[] ExpectedKinds =
    [
        ("System.UInt64", "a whole number from 0 to 18446744073709551615"),
        ("System.Int32", "a whole number"),
        ("System.Int64", "a whole number"),
        ("System.Single", "a number"),
        ("System.Double", "a number"),
        ("System.String", "a string"),
        ("System.Boolean", "true or false"),
        ("Dictionary", "an object of name: whole-number settings"),
        ("ModelSpec", "an object with family and settings"),
        ("DatasetSpec", "an object with source, path and validationFraction"),
    ];

    private static string FirstSentence(string message)
    {
        var dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot > 0 ? message[..(dot + 1)] : message;
    }
}
