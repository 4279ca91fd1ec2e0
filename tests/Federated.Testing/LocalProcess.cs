using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Federated.Testing;

/// <summary>What a finished command printed and how it exited.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws with the command, exit code and output when the command failed.</summary>
    public ProcessResult EnsureSuccess() =>
        Succeeded ? this : throw new InvalidOperationException($"'{Command}' exited with {ExitCode}:\n{Output}");
}

/// <summary>
/// A child process for tests (a broker, <c>fed coordinator</c>, <c>fed worker</c>, PostgreSQL): stdout and stderr go,
/// line by line and time-stamped, to a log file and to memory, stdin is closed, and it can be stopped politely
/// (SIGTERM, then SIGKILL after a grace period) or killed at once with its whole process tree (kill -9).
/// Disposing kills whatever is still running.
/// </summary>
public sealed class LocalProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Seen)> _waiters = [];
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _openStreams = 2;

    private LocalProcess(Process process, string logPath, StreamWriter log, string command)
    {
        _process = process;
        LogPath = logPath;
        _log = log;
        Command = command;
    }

    public string Command { get; }
    public int Id => _process.Id;
    public string LogPath { get; }
    public bool HasExited => _process.HasExited;
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Everything the process has printed so far.</summary>
    public string Output
    {
        get { lock (_gate) return _output.ToString(); }
    }

    /// <summary>The last <paramref name="lines"/> lines printed, for failure messages.</summary>
    public string Tail(int lines = 40)
    {
        var all = Output.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/>. <paramref name="environment"/> entries
    /// are added to (or, with a null value, removed from) this process's environment.
    /// </summary>
    public static LocalProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        string logPath,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
                info.Environment.Remove(name);
            else
                info.Environment[name] = value;
        }

        var command = string.Join(' ', new[] { fileName }.Concat(info.ArgumentList));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} $ {command}");
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var started = new LocalProcess(process, logPath, log, command);
        process.OutputDataReceived += (_, e) => started.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => started.OnLine(e.Data);
        try
        {
            process.Start();
        }
        catch (Exception e)
        {
            log.Dispose();
            process.Dispose();
            throw new InvalidOperationException($"Could not start '{command}': {e.Message}", e);
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Runs a command to completion and returns its exit code and output; kills it after <paramref name="timeout"/>.</summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        string? logPath = null,
        CancellationToken cancellationToken = default)
    {
        var log = logPath ?? Path.Combine(Path.GetTempPath(), $"fed-run-{Guid.NewGuid():N}.log");
        await using var process = Start(fileName, arguments, log, environment);
        try
        {
            var limit = timeout ?? TimeSpan.FromSeconds(60);
            if (!await process.WaitForExitAsync(limit, cancellationToken))
            {
                process.Kill();
                throw new TimeoutException($"'{process.Command}' did not finish within {limit.TotalSeconds:0} s:\n{process.Tail()}");
            }
            return new ProcessResult(process.Command, process.ExitCode!.Value, process.Output.TrimEnd());
        }
        finally
        {
            if (logPath is null)
                TryDelete(log);
        }
    }

    /// <summary>Waits for the process to exit and its output to be read; false when <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
            await _outputClosed.Task.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (TimeoutException)
        {
            return true; // exited; a grandchild may still hold the output pipe open
        }
    }

    /// <summary>Waits until a printed line satisfies <paramref name="match"/> (lines already printed count).</summary>
    public async Task WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_output.ToString().Split('\n').Any(match))
                return;
            _waiters.Add((match, seen));
        }
        var exited = _process.WaitForExitAsync(cancellationToken);
        var first = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout, cancellationToken));
        if (first == seen.Task)
            return;
        cancellationToken.ThrowIfCancellationRequested();
        throw first == exited
            ? new InvalidOperationException($"'{Command}' exited with {_process.ExitCode} before printing the expected line:\n{Tail()}")
            : new TimeoutException($"'{Command}' did not print the expected line within {timeout.TotalSeconds:0} s:\n{Tail()}");
    }

    /// <summary>Waits until a line contains <paramref name="text"/>.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForOutputAsync(line => line.Contains(text, StringComparison.Ordinal), timeout, cancellationToken);

    /// <summary>kill -9 the process and every process it started (the crash case); returns at once.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    /// <summary>Sends SIGTERM (a clean shutdown request), waits up to <paramref name="grace"/>, then kills the tree.</summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        if (_process.HasExited)
            return;
        if (OperatingSystem.IsWindows() || Terminate(_process.Id) != 0)
        {
            Kill();
        }
        else if (await WaitForExitAsync(grace, cancellationToken))
        {
            return;
        }
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(10), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(10));
        lock (_gate)
            _log.Dispose();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        List<TaskCompletionSource>? matched = null;
        lock (_gate)
        {
            if (line is null)
            {
                if (--_openStreams == 0)
                    _outputClosed.TrySetResult();
                return;
            }
            _output.Append(line).Append('\n');
            try { _log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}"); } catch (ObjectDisposedException) { }
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(line))
                    continue;
                (matched ??= []).Add(_waiters[i].Seen);
                _waiters.RemoveAt(i);
            }
        }
        matched?.ForEach(seen => seen.TrySetResult());
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static int Terminate(int pid) => kill(pid, SigTerm);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
