using System.Globalization;
using System.Text.Json.Nodes;
using Federated.Domain.Runs;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Federated.Coordinator.Specs;

/// <summary>Turns a YAML document into the JSON tree the spec reader validates, so both formats share one
/// set of rules and error messages. Plain scalars that look like numbers or booleans become numbers or booleans.</summary>
/// <remarks>The tree is built from the parser's events, not from YamlDotNet's representation model: that model
/// resolves aliases into shared nodes, and walking a few nested aliases expands into billions of nodes (an alias
/// bomb). A spec has no use for anchors, aliases, deep nesting or non-finite numbers, so each is refused with the
/// field it sits in, before anything is built from it.</remarks>
public static class YamlToJson
{
    /// <summary>Far above any real spec (models/*.yaml are under 1 KiB); bounds the parser's work on a hostile one.</summary>
    public const int MaxCharacters = 1 << 20;

    /// <summary>A spec nests three levels (model.settings.x); 32 leaves room and stops a deep document early.</summary>
    public const int MaxDepth = 32;

    public static JsonNode? Convert(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        if (yaml.Length > MaxCharacters)
            throw new RunSpecException("spec", $"is {yaml.Length} characters of YAML; at most {MaxCharacters} are accepted");
        var parser = new Parser(new StringReader(yaml));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _)) throw new RunSpecException("spec", "is empty");
            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, "spec", 0);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _)) throw new RunSpecException("spec", "must hold one YAML document");
            return root;
        }
        catch (YamlException e)
        {
            throw new RunSpecException("spec", $"not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.Message}");
        }
    }

    private static JsonNode? ReadNode(IParser parser, string path, int depth)
    {
        var current = parser.Current ?? throw new RunSpecException(path, "the YAML document ends early");
        RefuseReferences(current, path);
        if (depth > MaxDepth)
            throw new RunSpecException(path, $"nests deeper than {MaxDepth} levels (line {current.Start.Line})");
        switch (current)
        {
            case Scalar scalar:
                parser.MoveNext();
                return ToScalar(scalar, path);
            case SequenceStart:
                parser.MoveNext();
                var array = new JsonArray();
                while (!parser.TryConsume<SequenceEnd>(out _))
                    array.Add(ReadNode(parser, $"{path}[{array.Count}]", depth + 1));
                return array;
            case MappingStart:
                parser.MoveNext();
                return ReadMapping(parser, path, depth);
            default:
                throw new RunSpecException(path, $"unsupported YAML at line {current.Start.Line}");
        }
    }

    private static JsonObject ReadMapping(IParser parser, string path, int depth)
    {
        var obj = new JsonObject();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyEvent = parser.Current ?? throw new RunSpecException(path, "the YAML document ends early");
            RefuseReferences(keyEvent, path);
            if (keyEvent is not Scalar { Value: var key })
                throw new RunSpecException(path, $"keys must be plain names (line {keyEvent.Start.Line})");
            parser.MoveNext();
            var childPath = path == "spec" ? key : $"{path}.{key}";
            if (obj.ContainsKey(key)) throw new RunSpecException(childPath, $"is given twice (line {keyEvent.Start.Line})");
            obj[key] = ReadNode(parser, childPath, depth + 1);
        }
        return obj;
    }

    /// <summary>Anchors and aliases let a few lines stand for an exponential tree; a spec never needs them.</summary>
    private static void RefuseReferences(ParsingEvent e, string path)
    {
        if (e is AnchorAlias alias)
            throw new RunSpecException(path, $"YAML aliases (*{alias.Value}, line {alias.Start.Line}) are not accepted in a run spec: write the value out");
        if (e is NodeEvent { Anchor.IsEmpty: false } node)
            throw new RunSpecException(path, $"YAML anchors (&{node.Anchor}, line {node.Start.Line}) are not accepted in a run spec: write the value out");
    }

    private static JsonNode? ToScalar(Scalar scalar, string path)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            return JsonValue.Create(value);
        if (value is "" or "~" or "null") return null;
        if (value is "true" or "True") return JsonValue.Create(true);
        if (value is "false" or "False") return JsonValue.Create(false);
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ul)) return JsonValue.Create(ul);
        // .NET reads "NaN", "Infinity" and out-of-range numerals such as 1e400 as non-finite doubles, which no spec field
        // accepts and JSON cannot hold; YAML's own spellings (.nan, .inf) are refused alike.
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return double.IsFinite(d) ? JsonValue.Create(d) : throw NotFinite(path, value);
        if (YamlNonFinite.Contains(value)) throw NotFinite(path, value);
        return JsonValue.Create(value);
    }

    private static readonly HashSet<string> YamlNonFinite = new(StringComparer.OrdinalIgnoreCase) { ".nan", ".inf", "+.inf", "-.inf" };

    private static RunSpecException NotFinite(string path, string value) =>
        new(path, $"must be a finite number, got '{value}' (quote it if you mean text)");
}
