using System.Runtime.InteropServices;

namespace Federated.Engine.Tests.Gpt.Onnx;

/// <summary>
/// A thin binding of ONNX Runtime's C API (onnxruntime_c_api.h): OrtGetApiBase() -> OrtApi, a table of
/// function pointers read at their fixed indices (ORT only appends to the table, so indices are stable).
/// Only what a CPU inference of one input needs.
/// </summary>
internal sealed class OnnxRuntimeApi
{
    private const uint ApiVersion = 17;   // any version the library supports; 1.30 serves up to 23+

    // OrtApi member indices
    private const int GetErrorMessageIndex = 2, CreateEnvIndex = 3, CreateSessionIndex = 7, RunIndex = 9,
        CreateSessionOptionsIndex = 10, SetIntraOpNumThreadsIndex = 24, CreateTensorWithDataIndex = 49,
        GetTensorMutableDataIndex = 51, GetDimensionsCountIndex = 61, GetDimensionsIndex = 62,
        GetTensorTypeAndShapeIndex = 65, CreateCpuMemoryInfoIndex = 69, ReleaseEnvIndex = 92, ReleaseStatusIndex = 93,
        ReleaseMemoryInfoIndex = 94, ReleaseSessionIndex = 95, ReleaseValueIndex = 96,
        ReleaseTensorTypeAndShapeInfoIndex = 99, ReleaseSessionOptionsIndex = 100;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate IntPtr GetApiBaseFn();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate IntPtr GetApiFn(uint version);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate IntPtr GetVersionStringFn();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate IntPtr GetErrorMessageFn(IntPtr status);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate IntPtr CreateEnvFn(int logLevel, [MarshalAs(UnmanagedType.LPUTF8Str)] string logId, out IntPtr env);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate IntPtr CreateSessionOptionsFn(out IntPtr options);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate IntPtr SetIntraOpNumThreadsFn(IntPtr options, int threads);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate IntPtr CreateSessionFn(IntPtr env, [MarshalAs(UnmanagedType.LPUTF8Str)] string modelPath, IntPtr options, out IntPtr session);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate IntPtr CreateCpuMemoryInfoFn(int allocatorType, int memType, out IntPtr info);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate IntPtr CreateTensorWithDataFn(IntPtr info, IntPtr data, UIntPtr dataBytes, long[] shape, UIntPtr shapeLength, int elementType, out IntPtr value);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate IntPtr RunFn(IntPtr session, IntPtr runOptions, IntPtr[] inputNames, IntPtr[] inputs, UIntPtr inputCount, IntPtr[] outputNames, UIntPtr outputCount, [In, Out] IntPtr[] outputs);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate IntPtr GetTensorMutableDataFn(IntPtr value, out IntPtr data);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate IntPtr GetTensorTypeAndShapeFn(IntPtr value, out IntPtr info);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate IntPtr GetDimensionsCountFn(IntPtr info, out UIntPtr count);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate IntPtr GetDimensionsFn(IntPtr info, [Out] long[] dims, UIntPtr count);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate void ReleaseFn(IntPtr handle);

    public string Version { get; }
    public GetErrorMessageFn GetErrorMessage { get; }
    public CreateEnvFn CreateEnv { get; }
    public CreateSessionOptionsFn CreateSessionOptions { get; }
    public SetIntraOpNumThreadsFn SetIntraOpNumThreads { get; }
    public CreateSessionFn CreateSession { get; }
    public CreateCpuMemoryInfoFn CreateCpuMemoryInfo { get; }
    public CreateTensorWithDataFn CreateTensorWithData { get; }
    public RunFn Run { get; }
    public GetTensorMutableDataFn GetTensorMutableData { get; }
    public GetTensorTypeAndShapeFn GetTensorTypeAndShape { get; }
    public GetDimensionsCountFn GetDimensionsCount { get; }
    public GetDimensionsFn GetDimensions { get; }
    public ReleaseFn ReleaseEnv { get; }
    public ReleaseFn ReleaseStatus { get; }
    public ReleaseFn ReleaseMemoryInfo { get; }
    public ReleaseFn ReleaseSession { get; }
    public ReleaseFn ReleaseValue { get; }
    public ReleaseFn ReleaseTensorTypeAndShapeInfo { get; }
    public ReleaseFn ReleaseSessionOptions { get; }

    public OnnxRuntimeApi(string libraryPath)
    {
        var lib = NativeLibrary.Load(libraryPath);
        var apiBase = Marshal.GetDelegateForFunctionPointer<GetApiBaseFn>(NativeLibrary.GetExport(lib, "OrtGetApiBase"))();
        var getApi = Marshal.GetDelegateForFunctionPointer<GetApiFn>(Marshal.ReadIntPtr(apiBase, 0));
        var getVersion = Marshal.GetDelegateForFunctionPointer<GetVersionStringFn>(Marshal.ReadIntPtr(apiBase, IntPtr.Size));
        Version = Marshal.PtrToStringUTF8(getVersion()) ?? "?";
        IntPtr api = getApi(ApiVersion);
        if (api == IntPtr.Zero) throw new InvalidOperationException($"{libraryPath} (ONNX Runtime {Version}) does not serve C API version {ApiVersion}");
        T Fn<T>(int index) where T : Delegate => Marshal.GetDelegateForFunctionPointer<T>(Marshal.ReadIntPtr(api, index * IntPtr.Size));
        GetErrorMessage = Fn<GetErrorMessageFn>(GetErrorMessageIndex);
        CreateEnv = Fn<CreateEnvFn>(CreateEnvIndex);
        CreateSessionOptions = Fn<CreateSessionOptionsFn>(CreateSessionOptionsIndex);
        SetIntraOpNumThreads = Fn<SetIntraOpNumThreadsFn>(SetIntraOpNumThreadsIndex);
        CreateSession = Fn<CreateSessionFn>(CreateSessionIndex);
        CreateCpuMemoryInfo = Fn<CreateCpuMemoryInfoFn>(CreateCpuMemoryInfoIndex);
        CreateTensorWithData = Fn<CreateTensorWithDataFn>(CreateTensorWithDataIndex);
        Run = Fn<RunFn>(RunIndex);
        GetTensorMutableData = Fn<GetTensorMutableDataFn>(GetTensorMutableDataIndex);
        GetTensorTypeAndShape = Fn<GetTensorTypeAndShapeFn>(GetTensorTypeAndShapeIndex);
        GetDimensionsCount = Fn<GetDimensionsCountFn>(GetDimensionsCountIndex);
        GetDimensions = Fn<GetDimensionsFn>(GetDimensionsIndex);
        ReleaseEnv = Fn<ReleaseFn>(ReleaseEnvIndex);
        ReleaseStatus = Fn<ReleaseFn>(ReleaseStatusIndex);
        ReleaseMemoryInfo = Fn<ReleaseFn>(ReleaseMemoryInfoIndex);
        ReleaseSession = Fn<ReleaseFn>(ReleaseSessionIndex);
        ReleaseValue = Fn<ReleaseFn>(ReleaseValueIndex);
        ReleaseTensorTypeAndShapeInfo = Fn<ReleaseFn>(ReleaseTensorTypeAndShapeInfoIndex);
        ReleaseSessionOptions = Fn<ReleaseFn>(ReleaseSessionOptionsIndex);
    }

    /// <summary>Turns a non-null OrtStatus into an exception carrying ONNX Runtime's message.</summary>
    public void Check(IntPtr status, string what)
    {
        if (status == IntPtr.Zero) return;
        string message = Marshal.PtrToStringUTF8(GetErrorMessage(status)) ?? "unknown error";
        ReleaseStatus(status);
        throw new OnnxRuntimeException($"{what}: {message}");
    }
}

internal sealed class OnnxRuntimeException(string message) : Exception(message);
