using System.Runtime.InteropServices;
using Federated.Engine.Gpt.Onnx;

namespace Federated.Engine.Tests.Gpt.Onnx;

/// <summary>
/// Small valid ONNX models that are not an exported GPT, written field by field (onnx.proto numbers) so
/// the refusals are tested on files ONNX Runtime loads. Shared with the CLI tests (linked source).
/// </summary>
internal static class ForeignOnnx
{
    private const int Float = 1, Int64 = 7;

    /// <summary>out = Identity(input): one float input (n, 3) named <paramref name="input"/>.</summary>
    public static byte[] Identity(string input) => Model(new ProtoWriter()
        .Message(1, n => n.String(1, input).String(2, "out").String(4, "Identity"))
        .String(2, "identity")
        .Message(11, ValueInfo(input, Float, "n", 3L))
        .Message(12, ValueInfo("out", Float, "n", 3L)));

    /// <summary>logits = table[input_ids]: the GPT's inputs and outputs, but a description that names no config.</summary>
    public static byte[] Lookup(int vocab, string doc)
    {
        var table = new float[vocab * vocab];
        for (int i = 0; i < table.Length; i++) table[i] = i % 7;
        var tensor = new ProtoWriter().Int64(1, vocab).Int64(1, vocab).Int64(2, Float).String(8, "table")
            .Bytes(9, MemoryMarshal.AsBytes(table.AsSpan())).ToArray();
        return Model(new ProtoWriter()
            .Message(1, n => n.String(1, "table").String(1, "input_ids").String(2, "logits").String(4, "Gather")
                .Message(5, a => a.String(1, "axis").Int64(3, 0).Int64(20, 2)))
            .String(2, "lookup")
            .Message(5, tensor)
            .String(10, doc)
            .Message(11, ValueInfo("input_ids", Int64, "batch", "sequence"))
            .Message(12, ValueInfo("logits", Float, "batch", "sequence", (long)vocab)));
    }

    private static byte[] Model(ProtoWriter graph) => new ProtoWriter()
        .Int64(1, 8)
        .String(2, "ForeignOnnx")
        .Message(7, graph.ToArray())
        .Message(8, o => o.String(1, "").Int64(2, 17))
        .ToArray();

    private static byte[] ValueInfo(string name, int elemType, params object[] dims) => new ProtoWriter()
        .String(1, name)
        .Message(2, type => type.Message(1, tensor => tensor
            .Int64(1, elemType)
            .Message(2, shape =>
            {
                foreach (var d in dims)
                    shape.Message(1, dim => { if (d is string s) dim.String(2, s); else dim.Int64(1, (long)d); });
            })))
        .ToArray();
}
