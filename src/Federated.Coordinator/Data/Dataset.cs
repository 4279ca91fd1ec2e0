using Federated.Domain.Runs;

namespace Federated.Coordinator.Data;

/// <summary>A run's text split into a training part (sharded to workers) and a validation tail workers never see.</summary>
public sealed record Dataset(byte[] Train, byte[] Validation)
{
    /// <summary>Loads what the spec names; a file only through <paramref name="dataRoot"/> (see <see cref="DataRoot"/>).
    /// Errors name the spec field: "dataset.path: ...".</summary>
    public static Dataset Load(DatasetSpec spec, DataRoot? dataRoot = null)
    {
        byte[] corpus;
        switch (spec.Source)
        {
            case "builtin":
                corpus = BuiltinCorpus.Generate();
                break;
            case "file":
                if (dataRoot is null)
                    throw new RunSpecException("dataset.path", "no data root is configured, so no dataset file can be read (the coordinator's --data-root or FED_DATA_ROOT)");
                corpus = dataRoot.ReadFile(spec.Path);
                break;
            default:
                throw new RunSpecException("dataset.source", $"unknown source '{spec.Source}'");
        }
        return Split(corpus, spec.ValidationFraction);
    }

    /// <summary>The checks <see cref="Load"/> makes before reading anything: a source it knows, a file inside the root.
    /// Lets a launch request be refused before it is recorded as used.</summary>
    public static void Check(DatasetSpec spec, DataRoot? dataRoot)
    {
        if (spec.Source == "builtin") return;
        if (spec.Source != "file") throw new RunSpecException("dataset.source", $"unknown source '{spec.Source}'");
        if (dataRoot is null)
            throw new RunSpecException("dataset.path", "no data root is configured, so no dataset file can be read (the coordinator's --data-root or FED_DATA_ROOT)");
        dataRoot.Resolve(spec.Path);
    }

    public static Dataset Split(byte[] corpus, double validationFraction)
    {
        var validation = (int)Math.Round(corpus.Length * validationFraction);
        if (corpus.Length < 1024 || validation < 64)
            throw new RunSpecException("dataset", $"corpus of {corpus.Length} bytes is too small: need at least 1024 bytes and 64 for validation");
        return new Dataset(corpus[..^validation], corpus[^validation..]);
    }
}
