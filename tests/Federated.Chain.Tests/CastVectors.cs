using System.Numerics;
using System.Text.Json;
using Federated.Chain.Codecs;

namespace Federated.Chain.Tests;

/// <summary>The known answers produced by Foundry's cast (tools/chain_vectors.sh), copied next to the tests.</summary>
public static class CastVectors
{
    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Vectors", "cast-vectors.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement;
    });

    public static JsonElement Section(string name) => Root.Value.GetProperty(name);

    public static JsonElement Case(string section, int index) => Section(section)[index];

    /// <summary>One theory row per vector, by index, so each vector is its own test case.</summary>
    public static TheoryData<int> Indices(string section)
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Section(section).GetArrayLength(); i++)
            data.Add(i);
        return data;
    }

    public static string Text(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    public static byte[] Bytes(this JsonElement element, string name) => Hex.Decode(element.Text(name));

    public static BigInteger Integer(this JsonElement element, string name) => BigInteger.Parse(element.Text(name));
}
