using System.Text.Json;
using Federated.Domain.Runs;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Domain.Tests.Specification;

/// <summary>
/// Given these events, when this command is decided at this time, then exactly these events happen (or the
/// decision throws). Events are compared by value through their JSON form: records with list members compare
/// their lists by reference, so record equality would fail on equal histories.
/// </summary>
public static class RunSpecification
{
    public static RunScenario Given(params object[] history) => new(history);
}

public sealed class RunScenario(IReadOnlyList<object> history)
{
    public RunState State => RunState.Fold(history);

    public RunDecision When(RunCommand command, DateTimeOffset at) => new(State, command, at);
}

public sealed class RunDecision(RunState state, RunCommand command, DateTimeOffset at)
{
    public IReadOnlyList<object> Events => Run.Decide(command, state, at);

    public void Then(params object[] expected) => Assert.Equal(EventJson.Describe(expected), EventJson.Describe(Events));

    public void ThenNothingHappens() => Then();

    public TException ThenThrows<TException>(string messageFragment) where TException : Exception
    {
        var error = Assert.ThrowsAny<TException>(() => Events); // a subclass (RunEndedException) is still the DomainException asked for
        Assert.Contains(messageFragment, error.Message);
        return error;
    }

    /// <summary>The submission is recorded, then refused for <paramref name="reasonCode"/> (one of <see cref="RejectionReasons"/>).
    /// Whether the refusal also ends the lease is asserted by facts of its own.</summary>
    public void ThenRejectedFor(string reasonCode)
    {
        var events = Events;
        var outcome = events.Take(2).Select(e => e.GetType().Name)
            .Concat(events.OfType<UpdateRejected>().Select(r => r.Reason.Split(':')[0]))
            .ToArray();
        Assert.Equal(new[] { nameof(UpdateSubmitted), nameof(UpdateRejected), reasonCode }, outcome);
    }
}

/// <summary>One line per event, "TypeName {json}", so a failed comparison shows which event differs and how.</summary>
public static class EventJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static IReadOnlyList<string> Describe(IEnumerable<object> events) =>
        [.. events.Select(e => $"{e.GetType().Name} {JsonSerializer.Serialize(e, e.GetType(), Options)}")];
}
