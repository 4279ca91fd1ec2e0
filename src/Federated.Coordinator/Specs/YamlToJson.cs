using System.Globalization;
using System.Text.Json.Nodes;
using Federated.Domain.Runs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Federated.Coordinator.Specs;

/// <summary>Turns a YAML document into the JSON tree the spec reader validates, so both formats share one
/// set of rules and error messages. Plain scalars that look like numbers or booleans become numbers or booleans.</summary>
public static class YamlToJson
{
    public static JsonNode? Convert(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new RunSpecException("spec", $"not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.Message}");
        }
        if (stream.Documents.Count == 0) throw new RunSpecException("spec", "is empty");
        if (stream.Documents.Count > 1) throw new RunSpecException("spec", "must hold one YAML document");
        return ToNode(stream.Documents[0].RootNode, "spec");
    }

    private static JsonNode? ToNode(YamlNode node, string path) => node switch
    {
        YamlMappingNode map => ToObject(map, path),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select((c, i) => ToNode(c, $"{path}[{i}]")).ToArray()),
        YamlScalarNode scalar => ToScalar(scalar),
        _ => throw new RunSpecException(path, "unsupported YAML node (anchors and aliases are not supported)"),
    };

    private static JsonObject ToObject(YamlMappingNode map, string path)
    {
        var obj = new JsonObject();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
                throw new RunSpecException(path, "keys must be plain names");
            var childPath = path == "spec" ? key : $"{path}.{key}";
            if (obj.ContainsKey(key)) throw new RunSpecException(childPath, "is given twice");
            obj[key] = ToNode(valueNode, childPath);
        }
        return obj;
    }

    private static JsonNode? ToScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            return JsonValue.Create(value);
        if (value is "" or "~" or "null") return null;
        if (value is "true" or "True") return JsonValue.Create(true);
        if (value is "false" or "False") return JsonValue.Create(false);
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ul)) return JsonValue.Create(ul);
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return JsonValue.Create(d);
        return JsonValue.Create(value);
    }
}
