using Federated.Domain.Runs;
using Federated.Engine;
using Federated.Engine.Models;

namespace Federated.Coordinator.Models;

/// <summary>The engine model a run spec names. One place for every part of the coordinator (runs, spot checks,
/// verification) and the command line, so all of them build the model the same way.</summary>
public static class SpecModels
{
    /// <summary>The model of <paramref name="spec"/>; a bad setting becomes a <see cref="RunSpecException"/> naming it.</summary>
    public static ILanguageModel Create(ModelSpec spec)
    {
        try
        {
            return ModelFactory.Create(new ModelConfig(spec.Family, spec.Settings));
        }
        catch (ModelConfigException e)
        {
            // The engine names settings "model.<key>"; in a spec they live under model.settings.
            var field = e.Field.StartsWith("model.", StringComparison.Ordinal) && e.Field != "model.family"
                ? "model.settings." + e.Field["model.".Length..]
                : e.Field;
            throw new RunSpecException(field, e.Message[(e.Field.Length + 2)..]);
        }
    }
}
