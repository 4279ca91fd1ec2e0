using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Federated.Cli.Tests;

/// <summary>The `fed` command as a user runs it: exit codes, messages, and what lands in the data directory.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task A_malformed_spec_names_the_field_exits_2_and_writes_nothing()
    {
        using var dir = new TempDir();
        await System.IO.File.WriteAllTextAsync(dir.File("bad.json"), """{ "name": "x", "rounds": 0 }""");
        var data = dir.File("data");

        var result = await FedProcess.RunAsync("run", dir.File("bad.json"), "--data-dir", data);

        Assert.Equal((2, false), (result.ExitCode, Directory.Exists(data)));
        Assert.Contains("rounds: must be between 1 and 100000, got 0", result.Stderr);
    }

    [Fact]
    public async Task An_unknown_model_family_in_yaml_is_named()
    {
        using var dir = new TempDir();
        await System.IO.File.WriteAllTextAsync(dir.File("bad.yaml"), "name: x\nmodel:\n  family: gpt9\n");

        var result = await FedProcess.RunAsync("run", dir.File("bad.yaml"), "--data-dir", dir.File("data"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("model.family: unknown model family 'gpt9'", result.Stderr);
    }

    [Fact]
    public async Task Verify_without_an_event_log_says_where_it_looked()
    {
        using var dir = new TempDir();

        var result = await FedProcess.RunAsync("verify", "--data-dir", dir.File("nothing"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no event log at", result.Stderr);
    }

    [Fact]
    public async Task Demo_json_then_verify_passes_and_then_fails_on_one_changed_byte()
    {
        using var dir = new TempDir();
        var data = dir.File("data");

        var demo = await FedProcess.RunAsync("demo", "--rounds", "2", "--workers", "2", "--data-dir", data, "--json");
        Assert.True(demo.ExitCode == 0, demo.Stderr);
        using var summary = JsonDocument.Parse(demo.Stdout);
        var root = summary.RootElement;
        Assert.True(root.GetProperty("eventsWritten").GetInt64() > 0);
        Assert.True(root.GetProperty("finalValidationLoss").GetSingle() < root.GetProperty("initialValidationLoss").GetSingle());
        Assert.Equal(2, root.GetProperty("acceptedUpdates").GetInt32() / 2);
        Assert.EndsWith("final.safetensors", root.GetProperty("checkpoint").GetString());

        var generated = await FedProcess.RunAsync("generate", "--data-dir", data, "--prompt", "The ", "-n", "32");
        Assert.True(generated.ExitCode == 0, generated.Stderr);
        Assert.StartsWith("The ", generated.Stdout);

        var clean = await FedProcess.RunAsync("verify", "--data-dir", data);
        Assert.True(clean.ExitCode == 0, clean.Stdout + clean.Stderr);
        Assert.Contains("hash chain intact", clean.Stdout);

        var position = ChangeOneByteOfAnEvent(Path.Combine(data, "events.db"));
        var tampered = await FedProcess.RunAsync("verify", "--data-dir", data);
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains($"FAILED at event global position {position} ", tampered.Stdout);
    }

    [Fact]
    public async Task Events_json_lists_every_event_of_the_run()
    {
        using var dir = new TempDir();
        var data = dir.File("data");
        var demo = await FedProcess.RunAsync("demo", "--rounds", "1", "--workers", "1", "--data-dir", data, "--json");
        Assert.True(demo.ExitCode == 0, demo.Stderr);
        using var summary = JsonDocument.Parse(demo.Stdout);

        var events = await FedProcess.RunAsync("events", "--data-dir", data, "--run", summary.RootElement.GetProperty("runId").GetString()!, "--json");

        using var list = JsonDocument.Parse(events.Stdout);
        Assert.Equal(summary.RootElement.GetProperty("eventsWritten").GetInt64(), list.RootElement.GetArrayLength());
        Assert.Equal("RunLaunched.V1", list.RootElement[0].GetProperty("type").GetString());
    }

    /// <summary>Flips one digit inside the stored JSON of the middle event, as a hand edit of the database would.</summary>
    private static long ChangeOneByteOfAnEvent(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT global_position, data FROM events WHERE global_position = (SELECT MAX(global_position) / 2 FROM events)";
        using var reader = read.ExecuteReader();
        Assert.True(reader.Read());
        var position = reader.GetInt64(0);
        var data = (byte[])reader["data"];
        reader.Close();
        var digit = Array.FindIndex(data, b => b is >= (byte)'0' and <= (byte)'8');
        data[digit]++;
        using var write = connection.CreateCommand();
        write.CommandText = "UPDATE events SET data = $data WHERE global_position = $position";
        write.Parameters.AddWithValue("$data", data);
        write.Parameters.AddWithValue("$position", position);
        Assert.Equal(1, write.ExecuteNonQuery());
        return position;
    }
}
