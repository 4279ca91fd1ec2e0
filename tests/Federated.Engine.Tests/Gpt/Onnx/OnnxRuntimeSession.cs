using System.Runtime.InteropServices;

namespace Federated.Engine.Tests.Gpt.Onnx;

/// <summary>One ONNX Runtime CPU session over a model file, with a single int64 input and float output.</summary>
internal sealed class OnnxRuntimeSession : IDisposable
{
    private readonly OnnxRuntimeApi _api;
    private IntPtr _env, _options, _session, _memoryInfo;

    public OnnxRuntimeSession(OnnxRuntimeApi api, string modelPath)
    {
        _api = api;
        try
        {
            api.Check(api.CreateEnv(3 /* ERROR */, "federated-tests", out _env), "CreateEnv");
            api.Check(api.CreateSessionOptions(out _options), "CreateSessionOptions");
            api.Check(api.SetIntraOpNumThreads(_options, 1), "SetIntraOpNumThreads");
            api.Check(api.CreateSession(_env, modelPath, _options, out _session), $"CreateSession({modelPath})");
            api.Check(api.CreateCpuMemoryInfo(0 /* device allocator */, 0 /* default mem */, out _memoryInfo), "CreateCpuMemoryInfo");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Runs the graph on one int64 tensor and returns the first float output with its shape.</summary>
    public (float[] Values, long[] Shape) Run(string inputName, long[] input, long[] inputShape, string outputName)
    {
        var pin = GCHandle.Alloc(input, GCHandleType.Pinned);
        IntPtr inName = Marshal.StringToCoTaskMemUTF8(inputName), outName = Marshal.StringToCoTaskMemUTF8(outputName);
        IntPtr inValue = IntPtr.Zero;
        var outputs = new IntPtr[1];
        try
        {
            _api.Check(_api.CreateTensorWithData(_memoryInfo, pin.AddrOfPinnedObject(), (UIntPtr)(input.Length * sizeof(long)),
                inputShape, (UIntPtr)inputShape.Length, 7 /* INT64 */, out inValue), "CreateTensorWithDataAsOrtValue");
            _api.Check(_api.Run(_session, IntPtr.Zero, [inName], [inValue], 1, [outName], 1, outputs), "Run");
            _api.Check(_api.GetTensorTypeAndShape(outputs[0], out var info), "GetTensorTypeAndShape");
            long[] shape;
            try
            {
                _api.Check(_api.GetDimensionsCount(info, out var rank), "GetDimensionsCount");
                shape = new long[(int)rank];
                _api.Check(_api.GetDimensions(info, shape, rank), "GetDimensions");
            }
            finally { _api.ReleaseTensorTypeAndShapeInfo(info); }
            _api.Check(_api.GetTensorMutableData(outputs[0], out var data), "GetTensorMutableData");
            var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
            Marshal.Copy(data, values, 0, values.Length);
            return (values, shape);
        }
        finally
        {
            if (outputs[0] != IntPtr.Zero) _api.ReleaseValue(outputs[0]);
            if (inValue != IntPtr.Zero) _api.ReleaseValue(inValue);
            Marshal.FreeCoTaskMem(inName);
            Marshal.FreeCoTaskMem(outName);
            pin.Free();
        }
    }

    public void Dispose()
    {
        if (_memoryInfo != IntPtr.Zero) { _api.ReleaseMemoryInfo(_memoryInfo); _memoryInfo = IntPtr.Zero; }
        if (_session != IntPtr.Zero) { _api.ReleaseSession(_session); _session = IntPtr.Zero; }
        if (_options != IntPtr.Zero) { _api.ReleaseSessionOptions(_options); _options = IntPtr.Zero; }
        if (_env != IntPtr.Zero) { _api.ReleaseEnv(_env); _env = IntPtr.Zero; }
    }
}
