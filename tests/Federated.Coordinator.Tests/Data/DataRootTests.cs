using System.Diagnostics;
using Federated.Coordinator.Data;
using Federated.Domain.Runs;

namespace Federated.Coordinator.Tests.Data;

/// <summary>A spec's dataset file comes from the data root and nowhere else: no way out by "..", absolute paths or
/// links, regular files only, and no larger than the limit. Each refusal names dataset.path.</summary>
public sealed class DataRootTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fed-dataroot-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _root;
    private readonly string _secret;

    public DataRootTests()
    {
        _root = Path.Combine(_dir, "root");
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
        File.WriteAllText(Path.Combine(_root, "corpus.txt"), "inside the root");
        File.WriteAllText(Path.Combine(_root, "sub", "nested.txt"), "nested inside");
        _secret = Path.Combine(_dir, "secret.txt");
        File.WriteAllText(_secret, "FED_CHAIN_KEY=0xsecret");
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private DataRoot Root(long max = DataRoot.DefaultMaxFileBytes) => new(_root, max);

    private static RunSpecException Refused(Func<object> read)
    {
        var e = Assert.Throws<RunSpecException>(read);
        Assert.Equal("dataset.path", e.Field);
        return e;
    }

    [Theory]
    [InlineData("corpus.txt", "inside the root")]
    [InlineData("sub/nested.txt", "nested inside")]
    [InlineData("sub/../corpus.txt", "inside the root")]
    [InlineData("./sub/./nested.txt", "nested inside")]
    public void A_relative_path_inside_the_root_is_read(string path, string expected) =>
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(Root().ReadFile(path)));

    [Fact]
    public void An_absolute_path_inside_the_root_is_read() =>
        Assert.Equal("inside the root", System.Text.Encoding.UTF8.GetString(Root().ReadFile(Path.Combine(_root, "corpus.txt"))));

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("sub/../../secret.txt")]
    [InlineData("../../../../../../../../etc/passwd")]
    public void Climbing_out_with_dot_dot_is_refused(string path) =>
        Assert.Contains("outside the data root", Refused(() => Root().ReadFile(path)).Message);

    [Theory]
    [InlineData("/proc/self/environ")]
    [InlineData("/etc/passwd")]
    [InlineData("/dev/zero")]
    public void An_absolute_path_outside_the_root_is_refused(string path) =>
        Assert.Contains("outside the data root", Refused(() => Root().ReadFile(path)).Message);

    [Fact]
    public void A_secret_named_by_its_absolute_path_is_refused() =>
        Assert.DoesNotContain("0xsecret", Refused(() => Root().ReadFile(_secret)).Message);

    [Fact]
    public void A_file_link_leading_out_of_the_root_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "innocent.txt"), _secret);

        Assert.Contains("outside the data root", Refused(() => Root().ReadFile("innocent.txt")).Message);
    }

    [Fact]
    public void A_relative_link_climbing_out_of_the_root_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "sub", "up.txt"), "../../secret.txt");

        Assert.Contains("outside the data root", Refused(() => Root().ReadFile("sub/up.txt")).Message);
    }

    [Fact]
    public void A_folder_link_leading_out_of_the_root_is_refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "elsewhere"), _dir);

        Assert.Contains("outside the data root", Refused(() => Root().ReadFile("elsewhere/secret.txt")).Message);
    }

    [Fact]
    public void A_link_to_proc_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "env.txt"), "/proc/self/environ");

        Assert.Contains("outside the data root", Refused(() => Root().ReadFile("env.txt")).Message);
    }

    [Fact]
    public void A_link_inside_the_root_to_a_file_inside_it_is_read()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "alias.txt"), "sub/nested.txt");

        Assert.Equal("nested inside", System.Text.Encoding.UTF8.GetString(Root().ReadFile("alias.txt")));
    }

    [Fact]
    public void A_root_reached_through_a_link_still_reads_its_files()
    {
        var linkToRoot = Path.Combine(_dir, "root-link");
        Directory.CreateSymbolicLink(linkToRoot, _root);

        Assert.Equal("inside the root", System.Text.Encoding.UTF8.GetString(new DataRoot(linkToRoot).ReadFile("corpus.txt")));
    }

    [Fact]
    public void A_link_loop_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "a"), Path.Combine(_root, "b"));
        File.CreateSymbolicLink(Path.Combine(_root, "b"), Path.Combine(_root, "a"));

        Assert.Contains("symbolic links", Refused(() => Root().ReadFile("a")).Message);
    }

    [Fact]
    public void A_folder_is_refused()
    {
        Assert.Contains("a folder, not a regular file", Refused(() => Root().ReadFile("sub")).Message);
        Assert.Contains("the data root itself", Refused(() => Root().ReadFile(".")).Message);
    }

    [Fact]
    public async Task A_fifo_is_refused_without_blocking()
    {
        var fifo = Path.Combine(_root, "pipe.txt");
        using (var mkfifo = Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();
        Assert.True(File.Exists(fifo), "mkfifo made no FIFO");

        var read = Task.Run(() => Refused(() => Root().ReadFile("pipe.txt")));

        var refusal = await read.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("a FIFO, not a regular file", refusal.Message);
    }

    [Fact]
    public void Devices_are_refused_even_when_the_root_holds_them() =>
        Assert.Contains("kernel pseudo-file", Refused(() => new DataRoot("/dev").ReadFile("zero")).Message);

    [Fact]
    public void A_file_above_the_size_limit_is_refused_before_it_is_read()
    {
        File.WriteAllBytes(Path.Combine(_root, "big.txt"), new byte[2048]);

        Assert.Contains("2048 bytes; dataset files are limited to 1024 bytes", Refused(() => Root(max: 1024).ReadFile("big.txt")).Message);
    }

    [Fact]
    public void A_file_at_the_size_limit_is_read() =>
        Assert.Equal(15, Root(max: 15).ReadFile("corpus.txt").Length);

    [Fact]
    public void A_missing_file_is_named() =>
        Assert.Contains("'nothing.txt' does not exist", Refused(() => Root().ReadFile("nothing.txt")).Message);

    [Fact]
    public void Without_a_data_root_a_file_dataset_is_refused() =>
        Assert.Contains("no data root is configured",
            Assert.Throws<RunSpecException>(() => Dataset.Load(new DatasetSpec("file", "/proc/self/environ", 0.1))).Message);

    [Fact]
    public void The_builtin_corpus_needs_no_data_root() =>
        Assert.True(Dataset.Load(new DatasetSpec("builtin", null, 0.1)).Train.Length > 1024);
}
