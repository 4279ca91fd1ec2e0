using Federated.Coordinator.Runs;

namespace Federated.Coordinator.Tests;

public sealed class WorkerLivenessValidationTests
{
    [Fact]
    public void A_zero_timeout_is_refused_naming_it()
    {
        var e = Assert.Throws<ArgumentException>(() => (WorkerLiveness.Default with { Timeout = TimeSpan.Zero }).Validate());
        Assert.Contains("timeout", e.Message);
    }

    [Fact]
    public void A_longest_bench_shorter_than_the_first_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => (WorkerLiveness.Default with { MaxBench = TimeSpan.FromSeconds(1) }).Validate());
        Assert.Contains("longest bench", e.Message);
    }
}
