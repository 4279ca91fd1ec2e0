namespace Federated.Trust.Tests;

/// <summary>
/// The promise, on real runs of 8 workers: at f &lt; n/4 (here f = 1) a robust aggregator ends within 5% of
/// the clean FedAvg run's validation loss under sign-flip and scaled updates, and plain FedAvg measurably does not.
/// </summary>
public class RobustnessTests
{
    private const int F = 1;

    public static TheoryData<string, Attack> RobustUnderAttack => new()
    {
        { "median", Attack.SignFlip }, { "median", Attack.Scaled },
        { "trimmed-mean", Attack.SignFlip }, { "trimmed-mean", Attack.Scaled },
        { "multi-krum", Attack.SignFlip }, { "multi-krum", Attack.Scaled },
        { "centered-clipping", Attack.SignFlip }, { "centered-clipping", Attack.Scaled },
    };

    [Theory]
    [MemberData(nameof(RobustUnderAttack))]
    public async Task A_robust_aggregator_ends_within_5_percent_of_the_clean_run(string aggregator, Attack attack)
    {
        var clean = await Experiment.FinalValidationLossAsync(Scenario.Clean("fedavg"));

        var attacked = await Experiment.FinalValidationLossAsync(new Scenario(aggregator, attack, F));

        Assert.True(attacked <= 1.05f * clean, $"{aggregator} under {attack} at f = {F}: {attacked:F4}, clean fedavg {clean:F4}");
    }

    [Theory]
    [InlineData(Attack.SignFlip)]
    public async Task Plain_fedavg_ends_more_than_10_percent_worse_than_the_clean_run(Attack attack)
    {
        // Twice the 5% the robust rules keep to. One sign-flipper of 8 measured +16.7% on the GPT these runs train
        // (docs/attacks.md); the removed bytemlp measured +20.6%, which is what the 20% this test once asked was set from.
        var clean = await Experiment.FinalValidationLossAsync(Scenario.Clean("fedavg"));

        var attacked = await Experiment.FinalValidationLossAsync(new Scenario("fedavg", attack, F));

        Assert.True(!float.IsFinite(attacked) || attacked > 1.1f * clean, $"fedavg under {attack} at f = {F}: {attacked:F4}, clean {clean:F4}");
    }

    /// <summary>A scaled update (n x its honest one) used to wreck plain fedavg (+284% before the update bounds): it now
    /// weighs no more tokens than its local steps trained on, and is shortened to 5 x the round's median norm.</summary>
    [Fact]
    public async Task Under_the_update_bounds_a_scaled_update_no_longer_wrecks_plain_fedavg()
    {
        var clean = await Experiment.FinalValidationLossAsync(Scenario.Clean("fedavg"));

        var attacked = await Experiment.FinalValidationLossAsync(new Scenario("fedavg", Attack.Scaled, F));

        Assert.True(attacked <= 1.05f * clean, $"fedavg under scaled at f = {F}: {attacked:F4}, clean {clean:F4}");
    }
}
