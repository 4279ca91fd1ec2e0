using System.Runtime.InteropServices;

namespace Federated.Engine.Gpt.Onnx;

/// <summary>
/// Builds an ONNX GraphProto and wraps it in a ModelProto (field numbers from onnx/onnx.proto).
/// Node outputs get generated names; initializers keep the names they are given.
/// </summary>
internal sealed class OnnxGraph(string name)
{
    public const int Float = 1, Int64 = 7;   // TensorProto.DataType
    private readonly List<byte[]> _nodes = [];
    private readonly List<byte[]> _initializers = [];
    private readonly List<byte[]> _inputs = [];
    private readonly List<byte[]> _outputs = [];
    private int _counter;

    /// <summary>Adds a node and returns the name of its (first) output.</summary>
    public string Node(string op, string[] inputs, params (string Name, object Value)[] attributes) =>
        NodeMulti(op, inputs, 1, attributes)[0];

    /// <summary>Adds a node whose single output gets a chosen name (graph outputs).</summary>
    public void NodeTo(string output, string op, string[] inputs, params (string Name, object Value)[] attributes) =>
        Add(op, inputs, [output], attributes);

    public string[] NodeMulti(string op, string[] inputs, int outputCount, params (string Name, object Value)[] attributes)
    {
        var outputs = Enumerable.Range(0, outputCount).Select(i => $"{op.ToLowerInvariant()}_{_counter}" + (outputCount > 1 ? $"_{i}" : "")).ToArray();
        Add(op, inputs, outputs, attributes);
        return outputs;
    }

    private void Add(string op, string[] inputs, string[] outputs, (string Name, object Value)[] attributes)
    {
        int id = _counter++;
        var w = new ProtoWriter();
        foreach (var i in inputs) w.String(1, i);
        foreach (var o in outputs) w.String(2, o);
        w.String(3, $"{op}_{id}").String(4, op);
        foreach (var (attrName, value) in attributes)
            w.Message(5, a =>
            {
                a.String(1, attrName);
                switch (value)
                {
                    case float f: a.Float(2, f).Int64(20, 1); break;           // AttributeType FLOAT
                    case int i: a.Int64(3, i).Int64(20, 2); break;              // INT
                    case long l: a.Int64(3, l).Int64(20, 2); break;
                    case long[] ints: foreach (var v in ints) a.Int64(8, v); a.Int64(20, 7); break; // INTS
                    default: throw new ArgumentException($"unsupported attribute {attrName}: {value.GetType()}");
                }
            });
        _nodes.Add(w.ToArray());
    }

    public string Initializer(string tensorName, long[] dims, ReadOnlySpan<float> data)
    {
        _initializers.Add(Tensor(tensorName, dims, Float, MemoryMarshal.AsBytes(data)));
        return tensorName;
    }

    public string Initializer(string tensorName, long[] dims, ReadOnlySpan<long> data)
    {
        _initializers.Add(Tensor(tensorName, dims, Int64, MemoryMarshal.AsBytes(data)));
        return tensorName;
    }

    public string ScalarFloat(string tensorName, float value) => Initializer(tensorName, [], [value]);
    public string ScalarInt64(string tensorName, long value) => Initializer(tensorName, [], [value]);

    /// <param name="dims">a dimension is a fixed size (long) or a symbolic name (string)</param>
    public void Input(string valueName, int elemType, params object[] dims) => _inputs.Add(ValueInfo(valueName, elemType, dims));
    public void Output(string valueName, int elemType, params object[] dims) => _outputs.Add(ValueInfo(valueName, elemType, dims));

    public byte[] ToModel(int opset, string producer, string doc)
    {
        var graph = new ProtoWriter();
        foreach (var n in _nodes) graph.Message(1, n);
        graph.String(2, name);
        foreach (var t in _initializers) graph.Message(5, t);
        graph.String(10, doc);
        foreach (var i in _inputs) graph.Message(11, i);
        foreach (var o in _outputs) graph.Message(12, o);
        return new ProtoWriter()
            .Int64(1, 8)                                             // ir_version 8 pairs with opset 17
            .String(2, producer)
            .Message(7, graph.ToArray())
            .Message(8, o => o.String(1, "").Int64(2, opset))        // default ("ai.onnx") domain
            .ToArray();
    }

    private static byte[] Tensor(string tensorName, long[] dims, int dataType, ReadOnlySpan<byte> raw)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("raw_data is little-endian");
        var w = new ProtoWriter();
        foreach (var d in dims) w.Int64(1, d);
        return w.Int64(2, dataType).String(8, tensorName).Bytes(9, raw).ToArray();
    }

    private static byte[] ValueInfo(string valueName, int elemType, object[] dims) => new ProtoWriter()
        .String(1, valueName)
        .Message(2, type => type.Message(1, tensor => tensor
            .Int64(1, elemType)
            .Message(2, shape =>
            {
                foreach (var d in dims)
                    shape.Message(1, dim => { if (d is string s) dim.String(2, s); else dim.Int64(1, Convert.ToInt64(d)); });
            })))
        .ToArray();
}
