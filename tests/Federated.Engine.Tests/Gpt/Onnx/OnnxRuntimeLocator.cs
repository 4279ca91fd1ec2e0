using System.Diagnostics;

namespace Federated.Engine.Tests.Gpt.Onnx;

/// <summary>
/// Finds libonnxruntime.so.1 from the npm package onnxruntime-node 1.30.0 (it ships the real native
/// runtime). Order: $FED_ONNXRUNTIME_LIB, then the cache that tools/gpt_install_onnxruntime.sh fills; if
/// absent, runs that install once. Never skips: a missing library fails the test with the fix.
/// </summary>
internal static class OnnxRuntimeLocator
{
    private const string PackageRelative = "node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1";
    private static readonly Lazy<OnnxRuntimeApi> Api = new(Load);

    public static OnnxRuntimeApi Shared => Api.Value;

    public static string CacheDirectory =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
            "federated", "onnxruntime-node-1.30.0");

    private static OnnxRuntimeApi Load()
    {
        if (Environment.GetEnvironmentVariable("FED_ONNXRUNTIME_LIB") is { Length: > 0 } explicitPath)
            return File.Exists(explicitPath) ? new OnnxRuntimeApi(explicitPath) : throw new FileNotFoundException($"FED_ONNXRUNTIME_LIB={explicitPath} does not exist");
        string lib = Path.Combine(CacheDirectory, PackageRelative);
        if (!File.Exists(lib)) Install();
        if (!File.Exists(lib))
            throw new FileNotFoundException($"ONNX Runtime not found at {lib}. Install it with tools/gpt_install_onnxruntime.sh " +
                $"(npm install --prefix {CacheDirectory} --ignore-scripts onnxruntime-node@1.30.0) or set FED_ONNXRUNTIME_LIB.");
        return new OnnxRuntimeApi(lib);
    }

    private static void Install()
    {
        Directory.CreateDirectory(CacheDirectory);
        var psi = new ProcessStartInfo("npm", ["install", "--prefix", CacheDirectory, "--ignore-scripts", "--no-audit", "--no-fund", "onnxruntime-node@1.30.0"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        try
        {
            using var p = Process.Start(psi)!;
            p.StandardOutput.ReadToEnd();
            string err = p.StandardError.ReadToEnd();
            if (!p.WaitForExit(300_000) || p.ExitCode != 0)
                throw new InvalidOperationException($"npm install onnxruntime-node@1.30.0 failed: {err}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"npm is not on PATH ({e.Message}); install Node 20 + npm, then run tools/gpt_install_onnxruntime.sh");
        }
    }
}
