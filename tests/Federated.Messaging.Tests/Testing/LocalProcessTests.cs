using Federated.Testing;

namespace Federated.Messaging.Tests.Testing;

/// <summary>The child-process helper the broker fixture and the process tests share.</summary>
public sealed class LocalProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fed-localprocess-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Output_is_written_to_the_log_and_can_be_awaited()
    {
        var log = Path.Combine(_dir, "echo.log");
        await using var process = LocalProcess.Start("/bin/sh", ["-c", "echo starting; echo ready >&2; sleep 30"], log);

        await process.WaitForOutputAsync("ready", TimeSpan.FromSeconds(10));

        Assert.Contains("ready", await File.ReadAllTextAsync(log));
    }

    [Fact]
    public async Task Kill_ends_the_whole_process_tree()
    {
        var pidFile = Path.Combine(_dir, "child.pid");
        await using var process = LocalProcess.Start("/bin/sh", ["-c", $"sleep 300 & echo $! > {pidFile}; echo started; wait"], Path.Combine(_dir, "tree.log"));
        await process.WaitForOutputAsync("started", TimeSpan.FromSeconds(10));
        var child = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim());

        process.Kill();
        await process.WaitForExitAsync(TimeSpan.FromSeconds(10));

        Assert.False(await IsAliveAsync(child));
    }

    [Fact]
    public async Task Stop_asks_politely_first()
    {
        await using var process = LocalProcess.Start(
            "/bin/sh", ["-c", "trap 'echo got-term; exit 3' TERM; echo started; while true; do sleep 0.1; done"], Path.Combine(_dir, "term.log"));
        await process.WaitForOutputAsync("started", TimeSpan.FromSeconds(10));

        await process.StopAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(3, process.ExitCode);
    }

    [Fact]
    public async Task Run_returns_exit_code_and_output()
    {
        var result = await LocalProcess.RunAsync("/bin/sh", ["-c", "echo out; echo err >&2; exit 4"], new Dictionary<string, string?>());

        Assert.Equal((4, true, true), (result.ExitCode, result.Output.Contains("out"), result.Output.Contains("err")));
    }

    [Fact]
    public void Free_ports_are_distinct_and_unused()
    {
        var ports = FreePort.Next(4);

        Assert.Equal(4, ports.Distinct().Count());
    }

    private static async Task<bool> IsAliveAsync(int pid)
    {
        for (var i = 0; i < 50; i++)
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat) || (await File.ReadAllTextAsync(stat)).Split(' ')[2] == "Z")
                return false;
            await Task.Delay(100);
        }
        return true;
    }
}
