using System.Diagnostics;

namespace Federated.Testing;

/// <summary>Runs a command to completion and fails with its output when it exits non-zero.</summary>
internal static class ProcessRunner
{
    public static async Task RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // C locale: initdb and pg_ctl messages and the cluster's own locale stay predictable.
        info.Environment["LC_ALL"] = "C";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Describe(info)} did not finish within {timeout.TotalSeconds:0} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Describe(info)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }

    private static string Describe(ProcessStartInfo info) => $"`{info.FileName} {string.Join(' ', info.ArgumentList)}`";
}
