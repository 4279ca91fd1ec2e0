using System.CommandLine;
using Federated.Coordinator.Runs;

namespace Federated.Cli.Commands;

/// <summary>`fed coordinator`'s options for when it stops counting on a worker (see <see cref="WorkerLiveness"/>).</summary>
internal sealed class WorkerLivenessOptions
{
    private readonly Option<double> _timeout = new("--worker-timeout-seconds")
    {
        Description = "Forget a worker not heard from for this long (about 3 of its --heartbeat-seconds): no leases, it leaves its runs",
        DefaultValueFactory = _ => WorkerLiveness.Default.Timeout.TotalSeconds,
    };

    private readonly Option<int> _benchAfter = new("--bench-after-expiries")
    {
        Description = "Bench a worker that lets this many leases in a row run out",
        DefaultValueFactory = _ => WorkerLiveness.Default.BenchAfterExpiries,
    };

    private readonly Option<double> _bench = new("--bench-seconds")
    {
        Description = "How long a worker's first bench lasts; each further bench lasts twice as long (at most an hour)",
        DefaultValueFactory = _ => WorkerLiveness.Default.FirstBench.TotalSeconds,
    };

    public IEnumerable<Option> All => [_timeout, _benchAfter, _bench];

    /// <exception cref="ArgumentException">A value is out of range; the message names the option.</exception>
    public WorkerLiveness Read(ParseResult parse)
    {
        var timeout = Seconds(parse.GetValue(_timeout), _timeout.Name);
        var bench = Seconds(parse.GetValue(_bench), _bench.Name);
        var benchAfter = parse.GetValue(_benchAfter);
        if (benchAfter < 1) throw new ArgumentException($"{_benchAfter.Name} must be at least 1, not {benchAfter}");
        var liveness = WorkerLiveness.Default with
        {
            Timeout = timeout, BenchAfterExpiries = benchAfter, FirstBench = bench,
            MaxBench = bench > WorkerLiveness.Default.MaxBench ? bench : WorkerLiveness.Default.MaxBench,
        };
        liveness.Validate();
        return liveness;
    }

    private static TimeSpan Seconds(double value, string name) =>
        double.IsFinite(value) && value > 0 && value <= TimeSpan.FromDays(1).TotalSeconds
            ? TimeSpan.FromSeconds(value)
            : throw new ArgumentException($"{name} must be a positive number of seconds up to a day, not {value}");
}
