using Federated.Coordinator.Specs;
using Federated.Domain.Runs;

namespace Federated.Coordinator.Tests;

/// <summary>The rewards section of a spec file: a quoted pool is read exactly, a bare number is refused by name.</summary>
public class RewardSpecFileTests
{
    [Fact]
    public void A_quoted_pool_is_read_to_the_last_base_unit() =>
        Assert.Equal("123456789012345678901234567", RunSpecFile.ParseYaml("rewards:\n  poolPerRound: \"123456789012345678901234567\"\n").Rewards.PoolPerRound);

    [Fact]
    public void A_spec_without_rewards_gets_the_default_pool() =>
        Assert.Equal("100000000000000000000", RunSpecFile.ParseYaml("rounds: 2\n").Rewards.PoolPerRound);

    [Fact]
    public void A_bare_number_is_refused_naming_the_field()
    {
        var error = Assert.Throws<RunSpecException>(() => RunSpecFile.ParseYaml("rewards:\n  poolPerRound: 100\n"));

        Assert.Equal(("rewards.poolPerRound", "must be a string"), (error.Field, error.Detail));
    }
}
