using System.Runtime.CompilerServices;
using System.Text;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;
using Federated.Testing;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Federated.Containers.Tests;

/// <summary>
/// How these tests use Docker: the fed-* images built by docker/build.sh (never pulled), every container on the host
/// network (all traffic on 127.0.0.1, each server on its own free port), and the docker CLI for what Testcontainers has
/// no call for (docker kill, docker restart).
/// </summary>
public static class DockerHost
{
    /// <summary>The images' tag (docker/build.sh's FED_IMAGE_TAG).</summary>
    public static string Tag { get; } = Environment.GetEnvironmentVariable("FED_IMAGE_TAG") is { Length: > 0 } t ? t : "local";

    public static string Image(string name) => $"{name}:{Tag}";

    /// <summary>Settings this engine (Debian's docker.io 20.10, API 1.41, no registry) needs before Testcontainers
    /// reads its configuration: the API version it speaks, and no Ryuk (its image cannot be pulled; tests remove their containers).</summary>
    [ModuleInitializer]
    internal static void Configure()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_API_VERSION")))
            Environment.SetEnvironmentVariable("DOCKER_API_VERSION", "1.41");
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED")))
            Environment.SetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED", "true");
    }

    /// <summary>A builder for <paramref name="image"/> on the host network that never pulls. Fails at once, naming the
    /// fix, when the engine does not answer or the image was not built.</summary>
    public static ContainerBuilder Container(string image, string name)
    {
        RequireImage(image);
        return new ContainerBuilder(image)
            .WithName($"fed-test-{name}-{Guid.NewGuid().ToString("N")[..8]}")
            .WithImagePullPolicy(PullPolicy.Never)
            .WithLabel("org.federated.tests", "true")
            .WithCreateParameterModifier(p => (p.HostConfig ??= new Docker.DotNet.Models.HostConfig()).NetworkMode = "host");
    }

    /// <summary>For a container that exits by itself: start returns at once, without the default check that it runs;
    /// then <see cref="ExitCodeAsync"/> waits for its end.</summary>
    public static IWaitForContainerOS OneShot() =>
        Wait.ForUnixContainer().AddCustomWaitStrategy(new Started(), w => w.WithMode(WaitStrategyMode.OneShot));

    private static readonly HashSet<string> Checked = [];

    private static void RequireImage(string image)
    {
        lock (Checked)
        {
            if (Checked.Contains(image)) return;
        }
        var result = Cli(["image", "inspect", "--format", "{{.Id}}", image], TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(result.Output.Contains("No such image", StringComparison.OrdinalIgnoreCase)
                ? $"image {image} is not built: run `bash docker/build.sh` (it needs a running dockerd; see docker/README.md)"
                : $"the Docker engine does not answer (`docker image inspect {image}`: {result.Output.Trim()}); start dockerd (docker/README.md)");
        }
        lock (Checked) Checked.Add(image);
    }

    /// <summary>Runs the docker CLI (`docker kill`, `docker restart`, ...).</summary>
    public static Task<ProcessResult> Cli(IReadOnlyList<string> arguments, TimeSpan? timeout = null) =>
        LocalProcess.RunAsync(Environment.GetEnvironmentVariable("FED_DOCKER_CLI") is { Length: > 0 } cli ? cli : "docker", arguments,
            new Dictionary<string, string?>(), timeout ?? TimeSpan.FromSeconds(90));

    /// <summary>Everything the container printed so far, stdout then stderr.</summary>
    public static async Task<string> LogsAsync(this IContainer container)
    {
        var (stdout, stderr) = await container.GetLogsAsync(timestampsEnabled: false);
        return stderr.Length == 0 ? stdout : $"{stdout}\n{stderr}";
    }

    /// <summary>Polls the container's log until a line matches; fails with the log when it exits first or time runs out.</summary>
    public static async Task<string> WaitForLogAsync(this IContainer container, Func<string, bool> line, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var polls = 0;
        while (true)
        {
            var logs = await container.LogsAsync();
            if (logs.Split('\n').FirstOrDefault(line) is { } found) return found;
            if (++polls % 10 == 0 && !await IsRunningAsync(container))
                throw new InvalidOperationException($"container {container.Name} exited before {what}:\n{Tail(logs)}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"container {container.Name} did not log {what} within {timeout.TotalSeconds:0} s:\n{Tail(logs)}");
            await Task.Delay(200);
        }
    }

    public static Task<string> WaitForLogAsync(this IContainer container, string text, TimeSpan timeout) =>
        container.WaitForLogAsync(l => l.Contains(text, StringComparison.Ordinal), timeout, $"'{text}'");

    public static string Tail(string text, int lines = 60)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    /// <summary>`docker kill` (SIGKILL): the process dies at once, as in a crash or a pulled plug.</summary>
    public static async Task KillAsync(this IContainer container) =>
        (await Cli(["kill", container.Id])).EnsureSuccess();

    /// <summary>`docker restart`: the image's stop signal, then a start of the same container (same data).</summary>
    public static async Task RestartAsync(this IContainer container, int stopSeconds = 30) =>
        (await Cli(["restart", "-t", stopSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), container.Id], TimeSpan.FromSeconds(stopSeconds + 60))).EnsureSuccess();

    /// <summary>Waits for the container to exit and returns its exit code.</summary>
    public static async Task<long> ExitCodeAsync(this IContainer container, TimeSpan timeout)
    {
        try
        {
            return await container.GetExitCodeAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"container {container.Name} did not exit within {timeout.TotalSeconds:0} s:\n{Tail(await container.LogsAsync())}");
        }
    }

    /// <summary>Whether the engine reports the container running (asked afresh, not from a cached inspection).</summary>
    public static async Task<bool> IsRunningAsync(this IContainer container) =>
        (await Cli(["inspect", "--format", "{{.State.Running}}", container.Id], TimeSpan.FromSeconds(30))).Output.Trim() == "true";

    /// <summary>A folder under the temp folder that the images' non-root users can read (and, for data, write).</summary>
    public static string SharedFolder(string name, bool writable = false)
    {
        var path = Path.Combine(Path.GetTempPath(), "fed-containers", $"{name}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, writable
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
              | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
              | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }

    private sealed class Started : IWaitUntil
    {
        public Task<bool> UntilAsync(IContainer container) => Task.FromResult(true);
    }
}
